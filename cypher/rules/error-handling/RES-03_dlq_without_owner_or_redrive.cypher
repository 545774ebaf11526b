// id: RES-03
// title: Dead-letter queue without an owner or a redrive procedure
// severity: warning
// area: error-handling
// tags: [dead-letter, ownership, operations]
// rationale: >
//   Dead-lettered messages need a person who decides what happens to them and a known way to
//   put them back (redrive) once the cause is fixed; otherwise an alert on the queue leads
//   nowhere and messages are deleted or replayed ad hoc. The owner must be set on the
//   dead-letter queue itself (the broker's platform team does not own the business messages);
//   the redrive procedure is the redrive_procedure of a dead_letter policy naming the queue.
//   A DLQ is a component of kind dead_letter_queue or any component named by a dead_letter
//   policy. Missing data is the violation: no owner, or no policy giving a procedure.
// remediation: >
//   Set owner on the dead-letter queue to the team that handles its messages, and give the
//   dead_letter policies naming it a redrive_procedure (runbook text or link).
// references:
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/DeadLetterChannel.html
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
MATCH (q:Component)
WHERE q.kind = 'dead_letter_queue'
   OR EXISTS { MATCH (q)<-[:DEAD_LETTERS_TO]-(:Policy {kind: 'dead_letter'}) }
OPTIONAL MATCH (q)<-[:DEAD_LETTERS_TO]-(d:Policy {kind: 'dead_letter'})
WITH q, d
ORDER BY d.id
WITH q,
     collect(d.id) AS policies,
     [x IN collect(d) WHERE trim(coalesce(x.redrive_procedure, '')) <> '' | x.id] AS with_redrive
OPTIONAL MATCH (q)-[:OWNED_BY]->(owner:Team)
WITH q, policies, with_redrive, owner.id AS owner
WITH q, policies, with_redrive, owner,
     CASE WHEN owner IS NULL THEN ['owner'] ELSE [] END +
     CASE WHEN size(with_redrive) = 0 THEN ['redrive procedure'] ELSE [] END AS missing
WHERE size(missing) > 0
RETURN q.id AS element,
       [] AS related,
       'dead-letter queue ' + q.id + ' has no ' +
       reduce(s = head(missing), m IN tail(missing) | s + ' and no ' + m) +
       CASE WHEN size(with_redrive) = 0 AND size(policies) > 0
            THEN ' (dead_letter policies ' + reduce(s = head(policies), p IN tail(policies) |
                 s + ', ' + p) + ' give none)'
            ELSE '' END +
       ': nobody is responsible for its messages or knows how to replay them' AS message,
       {owner: owner, dead_letter_policies: policies, missing: missing} AS details
ORDER BY element
