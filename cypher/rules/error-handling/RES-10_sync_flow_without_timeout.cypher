// id: RES-10
// title: Synchronous flow without a timeout
// severity: error
// area: error-handling
// tags: [timeout, synchronous]
// rationale: >
//   A caller that waits without a limit ties up a thread, a connection and its own caller's
//   budget as soon as the callee slows down, and the slowdown spreads up the call chain.
//   Well-Architected REL05-BP05 asks for both a connection timeout and a request timeout on
//   every remote call, because framework defaults are often infinite. A request_response flow
//   is checked against the timeout policies applying to it or to a component it passes through
//   (e.g. an API gateway): it needs a request timeout (request_timeout_ms, or a total_budget_ms)
//   and a connect_timeout_ms. Missing values are the violation, and so is 0, which most HTTP
//   clients read as "wait forever". Flows from an actor (a shopper's browser, a partner's
//   user) are not checked: there is no client of ours to configure; calls to data stores are
//   checked like any other (many database drivers set no socket timeout by default).
// remediation: >
//   Attach a timeout policy to the flow with connect_timeout_ms and request_timeout_ms set from
//   the callee's latency (e.g. its p99 plus a margin), and a total_budget_ms if it retries.
// references:
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp05.html
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://sre.google/sre-book/addressing-cascading-failures/
MATCH (f:Flow {pattern: 'request_response'})-[:HAS_RESILIENCE]->(x:FlowResilience)
WHERE NOT EXISTS { (f)-[:FROM]->(:System {kind: 'actor'}) }
// The timeout policies reaching the flow (on it, or on a component it passes through) and
// the timeouts they set are derived at load (store/derived.py: FlowResilience).
WITH f, x.timeout_policies AS policies,
     // A value of 0 disables the timeout in most clients, so it does not count.
     x.request_timeout_ms IS NOT NULL OR x.total_budget_ms IS NOT NULL AS has_request,
     x.connect_timeout AS has_connect
WHERE NOT has_request OR NOT has_connect
WITH f, policies,
     CASE WHEN has_request THEN [] ELSE ['request timeout'] END +
     CASE WHEN has_connect THEN [] ELSE ['connect timeout'] END AS missing
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [] AS related,
       'synchronous flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ') has ' +
       CASE WHEN size(policies) = 0 THEN 'no timeout policy'
            ELSE 'no ' + reduce(s = head(missing), m IN tail(missing) | s + ' and no ' + m) +
                 ' in ' + reduce(s = head(policies), p IN tail(policies) | s + ', ' + p) END +
       ': ' + src.id + ' can wait forever when ' + dst.id + ' hangs' AS message,
       {timeout_policies: policies, missing: missing, source: src.id, target: dst.id} AS details
ORDER BY element
