// id: RES-08
// title: Retries on a non-idempotent operation without an idempotency key
// severity: error
// area: error-handling
// tags: [retry, idempotency]
// rationale: >
//   A retry after a timeout cannot know whether the first attempt was applied: retrying a
//   command or a state-changing request (request_response with mutating true) without an
//   idempotency key creates duplicates (two payments, two orders). AWS (REL04-BP04, "Making
//   retries safe with idempotent APIs") and the IETF Idempotency-Key draft make the client send
//   a key that the server uses to answer repeats with the first result. A retry policy counts
//   when it applies to the flow or to a component the flow passes through and allows more than
//   one attempt (or sets no max_attempts); an idempotency policy counts when it applies to the
//   flow or to one of its components and names a key or a key_source. No such idempotency
//   policy is the violation.
// remediation: >
//   Add an idempotency policy to the flow with key (e.g. Idempotency-Key, or a field such as
//   /orderId), key_source, dedup_store and window_seconds, or remove the retries.
// references:
//   - https://aws.amazon.com/builders-library/making-retries-safe-with-idempotent-APIs/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel04-bp04.html
//   - https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
//   - https://docs.stripe.com/api/idempotent_requests
MATCH (f:Flow)-[:HAS_RESILIENCE]->(x:FlowResilience)
// The retry policies allowing more than one attempt and whether an idempotency key is set,
// on the flow or a component it passes through, are derived at load (store/derived.py:
// FlowResilience.retry_policies, sorted, and .idempotency_key).
WHERE (f.pattern = 'command' OR (f.pattern = 'request_response' AND f.mutating = true))
  AND size(x.retry_policies) > 0 AND NOT x.idempotency_key
WITH f, x.retry_policies AS retries
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [] AS related,
       CASE f.pattern WHEN 'command' THEN 'command' ELSE 'mutating request_response' END +
       ' flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ') is retried by ' +
       reduce(s = head(retries), x IN tail(retries) | s + ', ' + x) +
       ' without an idempotency key: a retry after a timeout can apply the change twice'
         AS message,
       {pattern: f.pattern, mutating: f.mutating, retry_policies: retries, source: src.id,
        target: dst.id} AS details
ORDER BY element
