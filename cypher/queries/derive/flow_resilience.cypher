// The resilience facts of every flow that has none (new, or dropped by the stale_* queries),
// from the policies that reach it (applied to the flow itself, or to a component it passes
// through), as the rules read them: written once per load instead of being recomputed by
// every rule. One FlowResilience node per flow,
// `(flow)-[:HAS_RESILIENCE]->(facts)`, and `(policy)-[:SHAPES]->(facts)` from each policy it
// was computed from, `facts.policies` of them (store/derived.py says how that keeps them
// current). Not an element: export, impact and lineage never see it.
MATCH (f:Flow)
WHERE NOT EXISTS { (f)-[:HAS_RESILIENCE]->(:FlowResilience) }
CALL (f) {
  OPTIONAL CALL (f) {
    MATCH (p:Policy)-[:APPLIES_TO]->(f)
    WHERE p.kind IN $kinds
    RETURN p
    UNION
    MATCH (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(p:Policy)
    WHERE p.kind IN $kinds
    RETURN p
  }
  WITH p
  ORDER BY p.id
  RETURN collect(p) AS policies
}
WITH f, policies,
     [p IN policies WHERE p.kind = 'retry'] AS retries,
     [p IN policies WHERE p.kind = 'timeout'] AS timeouts
WITH f, policies, retries, timeouts,
     [t IN timeouts WHERE coalesce(t.request_timeout_ms, 0) > 0 | t.request_timeout_ms]
       AS requests,
     [t IN timeouts WHERE coalesce(t.total_budget_ms, 0) > 0 | t.total_budget_ms] AS budgets
CREATE (f)-[:HAS_RESILIENCE]->(x:FlowResilience)
SET x.flow = f.id,
    x.policies = size(policies),
    // any retry policy at all, and those that allow more than one attempt (sorted ids)
    x.retried = size(retries) > 0,
    x.retry_policies = [r IN retries WHERE coalesce(r.max_attempts, 2) > 1 | r.id],
    // the most attempts one call may take: null when a retry policy sets no max_attempts
    x.attempts = CASE WHEN any(r IN retries WHERE r.max_attempts IS NULL) THEN null
                      ELSE reduce(n = 1, r IN retries | CASE WHEN r.max_attempts > n
                                                             THEN r.max_attempts ELSE n END)
                 END,
    // the same, counting only the retry policies that set max_attempts
    x.declared_attempts = reduce(n = 1, r IN retries | CASE WHEN r.max_attempts > n
                                                            THEN r.max_attempts ELSE n END),
    x.timeout_policies = [t IN timeouts | t.id],
    // the shortest request timeout and total budget set (> 0: 0 disables a timeout)
    x.request_timeout_ms = reduce(m = head(requests), v IN requests |
                                  CASE WHEN v < m THEN v ELSE m END),
    x.total_budget_ms = reduce(m = head(budgets), v IN budgets |
                               CASE WHEN v < m THEN v ELSE m END),
    x.connect_timeout = any(t IN timeouts WHERE coalesce(t.connect_timeout_ms, 0) > 0),
    x.dead_lettered = any(p IN policies WHERE p.kind = 'dead_letter'),
    x.idempotency_key = any(p IN policies WHERE p.kind = 'idempotency'
                                             AND (p.key IS NOT NULL OR p.key_source IS NOT NULL)),
    x.circuit_breaker = any(p IN policies WHERE p.kind = 'circuit_breaker')
WITH x, policies
CALL (x, policies) {
  UNWIND policies AS p
  CREATE (p)-[:SHAPES]->(x)
}
RETURN count(x) AS derived
