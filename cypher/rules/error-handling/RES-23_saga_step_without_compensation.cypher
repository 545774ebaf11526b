// id: RES-23
// title: Saga step without a compensating action
// severity: warning
// area: error-handling
// tags: [saga, compensation, consistency, operations]
// rationale: >
//   An operation that changes state in several systems, one step after the other, has no
//   transaction spanning them: when a later step fails, the changes the earlier steps made
//   stay, and the operation leaves the landscape half done (a card charged for an order that
//   was never placed). A saga (Garcia-Molina and Salem, Sagas, SIGMOD 1987; Richardson's saga
//   pattern at microservices.io; the Azure Compensating Transaction pattern) pairs every step
//   that changes state with a compensating action that semantically undoes it, run when a
//   later step fails. The rule reads the calls each operation of a contract version declares
//   (versions not retired: a retired one is no longer served), in the order written, when
//   they are made one after the other (calls_in_parallel false, the default): a step changes
//   state when its flow is mutating, is a command, or uses an operation that is mutating
//   (unset, as the HTTP method says: all but GET, HEAD and OPTIONS); such a step without a
//   compensated_by flow is reported when at least one later call is required (a flow with
//   required false degrades instead of failing the operation, so it needs nothing undone).
// remediation: >
//   Give the step a compensating flow (compensated_by: the refund of a charge, the release of
//   a reservation) and call it when a later step fails; or move the step after the steps that
//   can fail (make it the saga's last, pivot step), or make the later steps optional
//   (required false with a fallback) if the operation can complete without them.
// references:
//   - https://doi.org/10.1145/38713.38742
//   - https://microservices.io/patterns/data/saga.html
//   - https://learn.microsoft.com/en-us/azure/architecture/patterns/compensating-transaction
MATCH (v:ContractVersion)-[:HAS_OPERATION]->(o:Operation)-[c:CALLS]->(step:Flow)
WHERE coalesce(v.status, 'active') <> 'retired' AND NOT coalesce(o.calls_in_parallel, false)
  AND NOT EXISTS { (step)-[:COMPENSATED_BY]->(:Flow) }
  AND (step.mutating = true OR step.pattern = 'command'
       OR EXISTS {
            MATCH (step)-[:USES_OPERATION]->(u:Operation)
            WHERE coalesce(u.mutating,
                           u.method IS NOT NULL AND NOT u.method IN ['GET', 'HEAD', 'OPTIONS'])
          })
MATCH (o)-[l:CALLS]->(later:Flow)
WHERE l.position > c.position AND coalesce(later.required, true)
WITH v, o, c, step, l, later
ORDER BY o.id, c.position, l.position
WITH v, o, step, collect(later.id) AS later_steps
MATCH (step)-[:FROM]->(src:System), (step)-[:TO]->(dst:System)
RETURN step.id AS element,
       [o.id] AS related,
       'step ' + step.id + ' (' + src.id + ' -> ' + dst.id + ') of operation ' + o.name +
       ' of ' + v.id + ' changes state and has no compensating action, but later steps can ' +
       'fail: ' + reduce(s = head(later_steps), x IN tail(later_steps) | s + ', ' + x) +
       '; when one does, the change made by ' + step.id + ' stays while the operation fails'
         AS message,
       {operation: o.name, version: v.id, source: src.id, target: dst.id,
        pattern: step.pattern, later_steps: later_steps} AS details
ORDER BY element, related
