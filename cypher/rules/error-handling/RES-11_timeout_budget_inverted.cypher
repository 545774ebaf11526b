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
//   attempts counts. When the caller flow names operations of its contract, B's downstream
//   work is what those operations declare in their calls: the caller flow is paired only with
//   the flows listed there (none when no operation it names declares calls); a caller flow
//   naming no operations is paired with every synchronous flow leaving B. Flows without
//   timeouts are RES-10's. A caller flow from an actor (a shopper's browser) counts like any
//   other: it has a limit only when a timeout policy reaches it (one on the gateway in front
//   of the browsers), and B's work past that limit is thrown away just the same.
// remediation: >
//   Give the caller a timeout above the callee's whole budget (timeout x attempts plus
//   backoff), or shrink the callee's timeout or attempts, or set a total_budget_ms on the
//   callee flow below the caller's timeout and propagate the deadline.
// references:
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://sre.google/sre-book/addressing-cascading-failures/
//   - https://grpc.io/docs/guides/deadlines/
MATCH (s:System)<-[:FROM]-(x:Flow {pattern: 'request_response'})-[:TO]->(t:System)
WHERE s <> t
// Each synchronous flow's figures: its limit as a caller flow (smallest request timeout,
// else smallest total budget) and the time its source may spend on it as a callee flow
// (smallest total budget, else smallest request timeout x largest attempts), from the
// timeouts and attempts derived at load (store/derived.py: FlowResilience).
MATCH (x)-[:HAS_RESILIENCE]->(r:FlowResilience)
// The flows the operations a caller flow names call while serving it (null: it names none).
WITH x, s, t, r,
     CASE WHEN EXISTS { (x)-[:USES_OPERATION]->(:Operation) }
       THEN [(x)-[:USES_OPERATION]->(:Operation)-[:CALLS]->(c:Flow) | c.id] END AS calls
WITH x, s, t, calls, r.declared_attempts AS attempts, r.request_timeout_ms AS request,
     r.total_budget_ms IS NOT NULL AS budgeted,
     coalesce(r.request_timeout_ms, r.total_budget_ms) AS limit,
     coalesce(r.total_budget_ms, r.request_timeout_ms * r.declared_attempts) AS spend
UNWIND [{middle: t, role: 'caller'}, {middle: s, role: 'callee'}] AS side
WITH side.middle AS b, side.role AS role, x, s, t, calls, attempts, request, budgeted, limit,
     spend
ORDER BY x.id
WITH b,
     [r IN collect(CASE WHEN role = 'caller' AND limit IS NOT NULL
                        THEN {flow: x.id, from: s.id, limit: limit, calls: calls} END)
        WHERE r IS NOT NULL] AS callers,
     [r IN collect(CASE WHEN role = 'callee' AND spend IS NOT NULL
                        THEN {flow: x.id, to: t.id, spend: spend, request: request,
                              attempts: attempts, budgeted: budgeted} END) WHERE r IS NOT NULL]
       AS callees
UNWIND callers AS f
UNWIND callees AS g
WITH b, f, g
WHERE g.spend >= f.limit AND g.to <> f.from AND (f.calls IS NULL OR g.flow IN f.calls)
RETURN f.flow AS element,
       [g.flow] AS related,
       'timeout budget inverted: ' + f.from + ' gives up on ' + b.id + ' after ' +
       toString(f.limit) + ' ms (flow ' + f.flow + '), but ' + b.id +
       ' may spend ' + toString(g.spend) + ' ms on ' + g.to + ' (flow ' + g.flow + ', ' +
       CASE WHEN g.budgeted THEN 'total budget'
            ELSE toString(g.request) + ' ms x ' + toString(g.attempts) + ' attempt(s)' END +
       ')' AS message,
       {caller: f.from, callee: b.id, downstream: g.to, caller_timeout_ms: f.limit,
        callee_timeout_ms: g.request, callee_attempts: g.attempts,
        callee_time_ms: g.spend} AS details
ORDER BY element, related
