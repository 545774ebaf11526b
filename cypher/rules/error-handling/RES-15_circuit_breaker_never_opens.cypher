// id: RES-15
// title: Circuit breaker that can never open
// severity: info
// area: error-handling
// tags: [circuit-breaker]
// rationale: >
//   A circuit breaker evaluates its failure rate only once its sliding window holds at least
//   minimum_calls calls (resilience4j defaults: minimum 100 calls, window 100 calls). If the
//   protected flow makes fewer calls than that in one window, the breaker stays closed however
//   many calls fail, and gives a false sense of protection. The calls per window are the
//   policy's expected_calls_per_window when set; otherwise, for a time window, the rate of the
//   protected flows (applied directly or through a component they pass through: peak_per_second,
//   else volume_per_day / 86400) times the window in seconds; for a count window, the window size
//   (a minimum above the window size can never be reached by libraries that do not cap it).
//   Unset minimum_calls and sliding_window_size take the resilience4j defaults. When the calls
//   per window cannot be known (a time window over flows without rates), nothing is reported.
// remediation: >
//   Lower minimum_calls below the calls the flow makes in one window, or lengthen a time window
//   so it holds enough calls; for rarely-called dependencies, rely on timeouts and bounded
//   retries instead.
// references:
//   - https://resilience4j.readme.io/docs/circuitbreaker
//   - https://martinfowler.com/bliki/CircuitBreaker.html
//   - https://learn.microsoft.com/en-us/azure/architecture/patterns/circuit-breaker
// parameters:
//   default_minimum_calls: 100
//   default_window_size: 100
MATCH (cb:Policy {kind: 'circuit_breaker'})
WITH cb,
     coalesce(cb.minimum_calls, $default_minimum_calls) AS minimum_calls,
     coalesce(cb.sliding_window_size, $default_window_size) AS window_size,
     coalesce(cb.sliding_window_type, 'count') AS window_type
// The flows the breaker protects: named directly, or passing through a component it is on.
OPTIONAL CALL (cb) {
  MATCH (cb)-[:APPLIES_TO]->(f:Flow)
  RETURN f
  UNION
  MATCH (cb)-[:APPLIES_TO]->(:Component)<-[:VIA]-(f:Flow)
  RETURN f
}
WITH cb, minimum_calls, window_size, window_type,
     sum(coalesce(f.peak_per_second, f.volume_per_day / 86400.0)) AS rate,
     count(f.peak_per_second) + count(f.volume_per_day) AS rated
WITH cb, minimum_calls, window_size, window_type, rate,
     CASE
       WHEN cb.expected_calls_per_window IS NOT NULL THEN toFloat(cb.expected_calls_per_window)
       WHEN window_type = 'time' AND rated > 0 THEN rate * window_size
       WHEN window_type = 'count' THEN toFloat(window_size)
     END AS expected
WHERE expected IS NOT NULL AND minimum_calls > expected
RETURN cb.id AS element,
       [] AS related,
       'circuit breaker ' + cb.id + ' needs ' + toString(minimum_calls) +
       ' calls before it can open, but its ' + window_type + ' window of ' +
       toString(window_size) + CASE window_type WHEN 'time' THEN ' s' ELSE ' calls' END +
       ' sees about ' + toString(round(expected, 1)) + ': it never opens' AS message,
       {minimum_calls: minimum_calls, expected_calls_per_window: round(expected, 1),
        sliding_window_type: window_type, sliding_window_size: window_size} AS details
ORDER BY element
