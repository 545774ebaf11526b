// id: RES-14
// title: Synchronous call to an external or tier-1 system without a circuit breaker
// severity: warning
// area: error-handling
// tags: [circuit-breaker, synchronous, external, tier-1]
// rationale: >
//   When a dependency fails or slows down, callers that keep calling it exhaust their own
//   threads and connections and fail with it. A circuit breaker stops calling a dependency
//   that keeps failing and lets the caller fail fast or degrade (Fowler; Azure Circuit Breaker
//   pattern; resilience4j; Nygard, Release It!). Two cases matter most. External dependencies:
//   their failures and maintenance windows are outside our control; a system is external when
//   external is true or its trust zone is partner or public. And a call between two tier-1
//   systems inside the landscape: the callee's outage, however short, would otherwise spread
//   to the other most critical system, the cascading failure the SRE book describes (a tier-1
//   caller of a tier-1 callee that is also external is the external case). A circuit_breaker
//   policy applying to the flow, or to a component it passes through (e.g. the API gateway in
//   front of the partner), satisfies the rule; none is the violation. Flows from an actor (a
//   shopper's browser, a partner's user) are not checked, nor a third party's tier-1 call into
//   a tier-1 system of ours: there is no client of ours to configure; data stores are ordinary
//   callees.
// remediation: >
//   Attach a circuit_breaker policy to the flow (or to the gateway it passes through) with a
//   failure_rate_threshold_percent, a sliding window, minimum_calls and wait_in_open_ms, and
//   define the fallback when it is open.
// references:
//   - https://martinfowler.com/bliki/CircuitBreaker.html
//   - https://learn.microsoft.com/en-us/azure/architecture/patterns/circuit-breaker
//   - https://resilience4j.readme.io/docs/circuitbreaker
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
//   - https://sre.google/sre-book/addressing-cascading-failures/
MATCH (src:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(dst:System)
WHERE coalesce(src.kind, 'service') <> 'actor'
WITH src, f, dst,
     CASE
       WHEN dst.external = true OR dst.trust_zone IN ['partner', 'public'] THEN 'external'
       // A third party calling in runs its own client: nothing of ours to configure.
       WHEN src.tier = 1 AND dst.tier = 1 AND coalesce(src.external, false) = false THEN 'tier-1'
     END AS reason
WHERE reason IS NOT NULL
// Whether a circuit_breaker policy reaches the flow (on it, or on a component it passes
// through) is derived at load (store/derived.py: FlowResilience.circuit_breaker).
MATCH (f)-[:HAS_RESILIENCE]->(x:FlowResilience)
WHERE NOT x.circuit_breaker
RETURN f.id AS element,
       [] AS related,
       'synchronous flow ' + f.id + ' calls ' +
       CASE
         WHEN reason = 'tier-1' THEN 'tier-1 system '
         WHEN dst.external = true THEN 'external system '
         ELSE dst.trust_zone + ' system '
       END +
       dst.id + ' from ' + CASE WHEN reason = 'tier-1' THEN 'tier-1 system ' ELSE '' END +
       src.id + ' without a circuit breaker: when ' + dst.id + ' fails, ' + src.id +
       ' keeps calling it and fails with it' AS message,
       {case: reason, source: src.id, target: dst.id, trust_zone: dst.trust_zone,
        external: coalesce(dst.external, false), source_tier: src.tier,
        target_tier: dst.tier} AS details
ORDER BY element
