// id: RES-07
// title: Retry amplification along a synchronous chain
// severity: warning
// area: error-handling
// tags: [retry, synchronous, overload]
// rationale: >
//   Retries multiply along a call chain: when every layer of five retries three times, one
//   failing call at the bottom becomes 3^5 = 243 calls, arriving exactly when the bottom is
//   already struggling. The AWS Builders' Library ("Timeouts, retries and backoff with
//   jitter") and Google's SRE book ("Addressing cascading failures") therefore retry at one
//   layer only, and cap how many attempts one request may cause. The rule looks, from each
//   retried request_response flow, at the synchronous calls below it (its target calls, their
//   targets call...) on chains of at most max_depth flows (default 3, so 2 or 3,
//   counting the retried flow and the one below it), and reports: retries configured at more
//   than one hop, or a worst case (the flow's attempts, times those of a retried flow below
//   it) above max_attempts_product (default 10). A flow is retried when a retry policy
//   applies to it or to a component it passes through and allows more than one
//   attempt (no max_attempts counts as unbounded: RES-05). It is reported once, at the
//   outermost retried flow; the retried flows below it are related. A flow from an actor
//   (a shopper's browser) counts like any other: it is retried only when a retry policy
//   reaches it (one on the gateway in front of the browsers, a client library's declared
//   retries), and those retries multiply the ones below just the same.
// remediation: >
//   Retry at one layer only, usually the one closest to the user or the one that knows the
//   operation is idempotent; let the layers below fail fast (max_attempts 1) and pass the
//   error up, or use a retry budget (token bucket) instead of fixed attempts.
// references:
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://sre.google/sre-book/addressing-cascading-failures/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp03.html
// parameters:
//   max_attempts_product: 10
//   max_depth: 3
MATCH (f:Flow {pattern: 'request_response'})-[:HAS_RESILIENCE]->(fx:FlowResilience)
// A flow's retry policies and its attempts (null when unbounded) are derived at load
// (store/derived.py): retry_policies lists those allowing more than one attempt.
WHERE size(fx.retry_policies) > 0
MATCH (f)-[:TO]->(b:System)
WITH f, b, fx.attempts AS attempts
OPTIONAL CALL (f, b) {
  MATCH (b)((:System)<-[:FROM]-(x:Flow)-[:TO]->(:System)
            WHERE x.pattern = 'request_response'){0,1}(s:System)
  WHERE size(x) + 2 <= $max_depth
  MATCH (s)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:HAS_RESILIENCE]->(gx:FlowResilience)
  WHERE g <> f AND size(gx.retry_policies) > 0
  WITH g, gx, min(size(x)) + 1 AS hops
  RETURN g, hops, gx.attempts AS below_attempts
}
WITH f, attempts, g, hops, below_attempts
ORDER BY f.id, hops, g.id
WITH f, attempts,
     [x IN collect({flow: g.id, hops: hops, attempts: below_attempts}) WHERE x.flow IS NOT NULL]
       AS below
WITH collect({flow: f, attempts: attempts, below: below}) AS retried
WITH retried, reduce(ids = [], r IN retried | ids + [x IN r.below | x.flow]) AS inner
UNWIND retried AS row
WITH row.flow AS f, row.attempts AS attempts, row.below AS below, inner
WHERE NOT f.id IN inner
WITH f, attempts, below,
     CASE WHEN attempts IS NULL OR any(x IN below WHERE x.attempts IS NULL) THEN null
          ELSE reduce(m = attempts, x IN below | CASE WHEN attempts * x.attempts > m
                                                     THEN attempts * x.attempts ELSE m END)
     END AS worst
WHERE size(below) > 0 OR worst > $max_attempts_product
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [x IN below | x.flow] AS related,
       'retry amplification from flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ', ' +
       coalesce(toString(attempts), 'unbounded') + ' attempts)' +
       CASE WHEN size(below) = 0 THEN ''
            ELSE ': retries also at ' +
                 reduce(s = '', x IN below | s + CASE WHEN s = '' THEN '' ELSE ', ' END +
                        x.flow + ' (' + coalesce(toString(x.attempts), 'unbounded') +
                        ' attempts, ' + toString(x.hops) + ' call(s) below)') END +
       '; one failing call can become ' + coalesce(toString(worst), 'unboundedly many') +
       ' attempts' AS message,
       {attempts: attempts, below: below, worst_case_attempts: worst,
        max_attempts_product: $max_attempts_product} AS details
ORDER BY element
