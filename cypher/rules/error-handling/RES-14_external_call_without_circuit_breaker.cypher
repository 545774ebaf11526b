// id: RES-14
// title: Synchronous call to an external system without a circuit breaker
// severity: warning
// area: error-handling
// tags: [circuit-breaker, synchronous, external]
// rationale: >
//   When a third-party or partner endpoint fails or slows down, callers that keep calling it
//   exhaust their own threads and connections and fail with it. A circuit breaker stops calling
//   a dependency that keeps failing and lets the caller fail fast or degrade (Fowler; Azure
//   Circuit Breaker pattern; resilience4j). External dependencies are where this matters most:
//   their failures and maintenance windows are outside our control. A system is external when
//   external is true or its trust zone is partner or public. A circuit_breaker policy applying
//   to the flow, or to a component it passes through (e.g. the API gateway in front of the
//   partner), satisfies the rule; none is the violation.
// remediation: >
//   Attach a circuit_breaker policy to the flow (or to the gateway it passes through) with a
//   failure_rate_threshold_percent, a sliding window, minimum_calls and wait_in_open_ms, and
//   define the fallback when it is open.
// references:
//   - https://martinfowler.com/bliki/CircuitBreaker.html
//   - https://learn.microsoft.com/en-us/azure/architecture/patterns/circuit-breaker
//   - https://resilience4j.readme.io/docs/circuitbreaker
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
MATCH (f:Flow {pattern: 'request_response'})-[:TO]->(dst:System)
// Whether a circuit_breaker policy reaches the flow (on it, or on a component it passes
// through) is derived at load (store/derived.py: FlowResilience.circuit_breaker).
WHERE dst.external = true OR dst.trust_zone IN ['partner', 'public']
MATCH (f)-[:HAS_RESILIENCE]->(x:FlowResilience)
WHERE NOT x.circuit_breaker
MATCH (f)-[:FROM]->(src:System)
RETURN f.id AS element,
       [] AS related,
       'synchronous flow ' + f.id + ' calls ' +
       CASE WHEN dst.external = true THEN 'external system ' ELSE dst.trust_zone + ' system ' END +
       dst.id + ' from ' + src.id + ' without a circuit breaker: when ' + dst.id +
       ' fails, ' + src.id + ' keeps calling it and fails with it' AS message,
       {source: src.id, target: dst.id, trust_zone: dst.trust_zone,
        external: coalesce(dst.external, false)} AS details
ORDER BY element
