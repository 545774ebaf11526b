// id: RES-11
// title: Timeout budget inverted along a synchronous call
// severity: warning
// area: error-handling
// tags: [timeout, retry, synchronous]
// rationale: >
//   A caller's timeout must leave room for everything its callee does to answer, retries
//   included. When A calls B with a 5 s timeout and B, to answer, calls C with a 4 s timeout
//   and 2 attempts, B may still be working after A has given up: A's retry, or its user, then
//   starts a second request while the first one is still running, load grows exactly when C is
//   slow, and the work B finishes is thrown away. The AWS Builders' Library ("Timeouts,
//   retries and backoff with jitter") and Google's SRE book (deadline propagation) ask for
//   timeouts that shrink along the chain. For two consecutive request_response flows, A -> B
//   (the caller's flow) and B -> C (the callee's flow, C not A: a loop is RES-13), the time
//   B may spend on C is the callee flow's total_budget_ms, or else its request timeout times
//   its attempts (max_attempts of its retry policies, 1 without retries); the violation is
//   that time reaching the caller flow's request timeout (or its total budget when it sets no
//   request timeout). Timeouts and retries count when their policy applies to the flow or to
//   a component it passes through; the smallest positive timeout wins, the largest number of
//   attempts counts. Flows without timeouts are RES-10's.
// remediation: >
//   Give the caller a timeout above the callee's whole budget (timeout x attempts plus
//   backoff), or shrink the callee's timeout or attempts, or set a total_budget_ms on the
//   callee flow below the caller's timeout and propagate the deadline.
// references:
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://sre.google/sre-book/addressing-cascading-failures/
//   - https://grpc.io/docs/guides/deadlines/
MATCH (a:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(b:System)
      <-[:FROM]-(g:Flow {pattern: 'request_response'})-[:TO]->(c:System)
WHERE a <> b AND b <> c AND c <> a
// The caller flow's limit: its smallest request timeout, or its smallest total budget.
CALL (f) {
  OPTIONAL CALL (f) {
    MATCH (p:Policy {kind: 'timeout'})-[:APPLIES_TO]->(f)
    RETURN p
    UNION
    MATCH (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(p:Policy {kind: 'timeout'})
    RETURN p
  }
  WITH collect(p) AS policies
  WITH [x IN policies WHERE coalesce(x.request_timeout_ms, 0) > 0 | x.request_timeout_ms]
         AS requests,
       [x IN policies WHERE coalesce(x.total_budget_ms, 0) > 0 | x.total_budget_ms] AS budgets
  RETURN CASE WHEN size(requests) > 0 THEN reduce(m = head(requests), v IN requests |
                                                  CASE WHEN v < m THEN v ELSE m END)
              WHEN size(budgets) > 0 THEN reduce(m = head(budgets), v IN budgets |
                                                 CASE WHEN v < m THEN v ELSE m END)
         END AS caller_timeout
}
WITH a, b, c, f, g, caller_timeout
WHERE caller_timeout IS NOT NULL
// The callee flow's time: its smallest total budget, or its smallest request timeout times
// its largest number of attempts.
CALL (g) {
  OPTIONAL CALL (g) {
    MATCH (p:Policy)-[:APPLIES_TO]->(g)
    WHERE p.kind IN ['timeout', 'retry']
    RETURN p
    UNION
    MATCH (g)-[:VIA]->(:Component)<-[:APPLIES_TO]-(p:Policy)
    WHERE p.kind IN ['timeout', 'retry']
    RETURN p
  }
  WITH collect(p) AS policies
  WITH [x IN policies WHERE x.kind = 'timeout' AND coalesce(x.request_timeout_ms, 0) > 0 |
          x.request_timeout_ms] AS requests,
       [x IN policies WHERE x.kind = 'timeout' AND coalesce(x.total_budget_ms, 0) > 0 |
          x.total_budget_ms] AS budgets,
       reduce(n = 1, x IN policies | CASE WHEN x.kind = 'retry' AND x.max_attempts > n
                                          THEN x.max_attempts ELSE n END) AS attempts
  WITH requests, budgets, attempts,
       reduce(m = head(requests), v IN requests | CASE WHEN v < m THEN v ELSE m END) AS request
  RETURN attempts, request AS callee_timeout,
         CASE WHEN size(budgets) > 0 THEN reduce(m = head(budgets), v IN budgets |
                                                 CASE WHEN v < m THEN v ELSE m END)
              WHEN request IS NOT NULL THEN request * attempts
         END AS callee_time,
         size(budgets) > 0 AS budgeted
}
WITH a, b, c, f, g, caller_timeout, attempts, callee_timeout, callee_time, budgeted
WHERE callee_time >= caller_timeout
RETURN f.id AS element,
       [g.id] AS related,
       'timeout budget inverted: ' + a.id + ' gives up on ' + b.id + ' after ' +
       toString(caller_timeout) + ' ms (flow ' + f.id + '), but ' + b.id +
       ' may spend ' + toString(callee_time) + ' ms on ' + c.id + ' (flow ' + g.id + ', ' +
       CASE WHEN budgeted THEN 'total budget'
            ELSE toString(callee_timeout) + ' ms x ' + toString(attempts) + ' attempt(s)' END +
       ')' AS message,
       {caller: a.id, callee: b.id, downstream: c.id, caller_timeout_ms: caller_timeout,
        callee_timeout_ms: callee_timeout, callee_attempts: attempts,
        callee_time_ms: callee_time} AS details
ORDER BY element, related
