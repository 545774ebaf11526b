// id: RES-02
// title: Dead-letter queue without an alert on its depth
// severity: error
// area: error-handling
// tags: [dead-letter, alerting, messaging]
// rationale: >
//   A dead-letter queue only helps if someone notices that messages arrive in it: every message
//   there is a business transaction that did not happen. Nothing drains a DLQ on its own, so
//   without an alarm on its depth (visible messages > 0 is the usual guidance for SQS) failed
//   messages pile up unseen until they expire with the queue's retention. A DLQ is a component
//   of kind dead_letter_queue or any component a dead_letter policy names as its dlq. An alert
//   counts when it applies to the queue itself, watches a depth metric (matched by the
//   depth_metric_pattern parameter, e.g. dlq_depth, ApproximateNumberOfMessagesVisible) and
//   fires when the depth rises (operator gt or gte). Whether the alert reaches anyone is RES-17.
// remediation: >
//   Add an alert policy applying to the dead-letter queue with metric dlq_depth, operator gt,
//   threshold 0 and a route to the owning team's on-call.
// references:
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/DeadLetterChannel.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp03.html
// parameters:
//   depth_metric_pattern: '(?i).*(depth|visible|backlog|queue_length|queue_size|lag).*'
MATCH (q:Component)
WHERE q.kind = 'dead_letter_queue'
   OR EXISTS { MATCH (q)<-[:DEAD_LETTERS_TO]-(:Policy {kind: 'dead_letter'}) }
// Only alerts that can fire when messages arrive count; other alerts on the DLQ are reported
// in the details so that a misconfigured one is easy to spot.
OPTIONAL MATCH (q)<-[:APPLIES_TO]-(a:Policy {kind: 'alert'})
WITH q, a
ORDER BY a.id
WITH q,
     [x IN collect(a) WHERE x.metric =~ $depth_metric_pattern
                        AND coalesce(x.operator, 'gt') IN ['gt', 'gte'] | x.id] AS depth_alerts,
     [x IN collect(a) | x.id] AS alerts
WHERE size(depth_alerts) = 0
OPTIONAL MATCH (q)<-[:DEAD_LETTERS_TO]-(d:Policy {kind: 'dead_letter'})
WITH q, alerts, d
ORDER BY d.id
WITH q, alerts, collect(d.id) AS dead_letter_policies
RETURN q.id AS element,
       [] AS related,
       'dead-letter queue ' + q.id + ' has no alert on its depth' +
       CASE WHEN size(alerts) > 0
            THEN ' (its alerts ' + reduce(s = head(alerts), x IN tail(alerts) | s + ', ' + x) +
                 ' do not fire on a growing depth)'
            ELSE '' END +
       ': dead-lettered messages pile up unseen' AS message,
       {kind: q.kind, alerts: alerts, dead_letter_policies: dead_letter_policies} AS details
ORDER BY element
