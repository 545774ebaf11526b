// id: RES-08
// title: Retries on a non-idempotent operation without an idempotency key
// severity: error
// area: error-handling
// tags: [retry, idempotency, operations, at-least-once]
// rationale: >
//   A repeat after a timeout cannot know whether the first attempt was applied: repeating a
//   state-changing call without an idempotency key creates duplicates (two payments, two
//   orders). The AWS Builders' Library ("Making retries safe with idempotent APIs", REL04-BP04)
//   and the IETF Idempotency-Key draft make the client send a key that the server uses to
//   answer repeats with the first result. Repeats do not need a declared retry policy: gRPC's
//   retry design and Istio's default route retries (2 attempts on connect failures and
//   unavailable upstreams) resend calls on their own, client libraries and proxies do too, and
//   an at-least-once broker redelivers whatever was not acknowledged. A retry policy counts
//   when it applies to the flow or to a component it passes through and allows more than one
//   attempt (or sets no max_attempts); an idempotency policy counts when it reaches the flow
//   the same way and names a key or a key_source. A flow that names no operations is judged as
//   a whole: a command, or a request_response with mutating true, with such a retry policy and
//   no such idempotency policy. A flow that names operations is judged per operation: each one
//   that is mutating and not idempotent (unset, both follow the HTTP method as RFC 9110 defines
//   safe and idempotent methods; no method and unset is false) and declares no idempotency_key
//   is reported when no idempotency policy covers the flow and it is repeated by a retry
//   policy, by the implicit retries of the transport (every request_response flow, unless a
//   retry policy with max_attempts 1 reaches it: retries explicitly disabled), or by
//   at-least-once delivery (event, command and stream flows whose delivery is at_least_once
//   or unset).
// remediation: >
//   Give the operation an idempotency_key (e.g. headers/Idempotency-Key or request/order_id)
//   that the provider deduplicates on, or add an idempotency policy to the flow with key,
//   key_source, dedup_store and window_seconds; or make the operation idempotent (a PUT to a
//   client-chosen id), or switch its retries off explicitly (max_attempts 1) and accept the
//   lost calls.
// references:
//   - https://aws.amazon.com/builders-library/making-retries-safe-with-idempotent-APIs/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel04-bp04.html
//   - https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
//   - https://github.com/grpc/proposal/blob/master/A6-client-retries.md
//   - https://istio.io/latest/docs/concepts/traffic-management/#retries
//   - https://www.rfc-editor.org/rfc/rfc9110#section-9.2
MATCH (f:Flow)-[:HAS_RESILIENCE]->(x:FlowResilience)
// The retry policies allowing more than one attempt (FlowResilience.retry_policies, sorted),
// whether any retry policy reaches the flow (.retried) and whether an idempotency key is set
// (.idempotency_key), on the flow or a component it passes through, are derived at load
// (store/derived.py).
WHERE NOT x.idempotency_key
CALL (f, x) {
  // A flow naming no operations: the flow as a whole.
  WITH f, x
  WHERE NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
    AND (f.pattern = 'command' OR (f.pattern = 'request_response' AND f.mutating = true))
    AND size(x.retry_policies) > 0
  RETURN null AS o, [] AS repeated_by
  UNION
  // A flow naming operations: each mutating, non-idempotent operation without a key.
  MATCH (f)-[:USES_OPERATION]->(o:Operation)
  WHERE coalesce(o.mutating, o.method IS NOT NULL AND NOT o.method IN ['GET', 'HEAD', 'OPTIONS'])
    AND NOT coalesce(o.idempotent, o.method IN ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'], false)
    AND o.idempotency_key IS NULL
  WITH o, [r IN x.retry_policies | 'retry policy ' + r] +
          CASE
            WHEN f.pattern = 'request_response' AND NOT x.retried
              THEN ['implicit retries of clients, proxies and the mesh']
            WHEN f.pattern IN ['event', 'command', 'stream']
                 AND coalesce(f.delivery, 'at_least_once') = 'at_least_once'
              THEN ['at-least-once delivery']
            ELSE []
          END AS repeated_by
  WHERE size(repeated_by) > 0
  RETURN o, repeated_by
}
WITH f, x.retry_policies AS retries, o, repeated_by
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       CASE WHEN o IS NULL THEN [] ELSE [o.id] END AS related,
       CASE
         WHEN o IS NULL
           THEN CASE f.pattern WHEN 'command' THEN 'command' ELSE 'mutating request_response' END +
             ' flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ') is retried by ' +
             reduce(s = head(retries), x IN tail(retries) | s + ', ' + x) +
             ' without an idempotency key: a retry after a timeout can apply the change twice'
         ELSE 'operation ' + o.name + coalesce(' (' + o.method + ')', '') + ' of flow ' + f.id +
           ' (' + src.id + ' -> ' + dst.id + ') changes state and is not idempotent, and is ' +
           'repeated by ' + reduce(s = head(repeated_by), r IN tail(repeated_by) | s + ' and ' + r) +
           ' without an idempotency key: a repeat after a timeout can apply the change twice'
       END AS message,
       CASE
         WHEN o IS NULL
           THEN {pattern: f.pattern, mutating: f.mutating, retry_policies: retries,
                 source: src.id, target: dst.id}
         ELSE {pattern: f.pattern, operation: o.name, method: o.method,
               repeated_by: repeated_by, retry_policies: retries, source: src.id,
               target: dst.id}
       END AS details
ORDER BY element, related
