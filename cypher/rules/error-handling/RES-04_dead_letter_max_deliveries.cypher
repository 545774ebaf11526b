// id: RES-04
// title: Max deliveries before dead-lettering missing or too low
// severity: warning
// area: error-handling
// tags: [dead-letter, messaging]
// rationale: >
//   A message should be dead-lettered only after the consumer had a fair number of tries: with
//   a low count, a brief outage of a downstream dependency or a slow restart moves good messages
//   to the DLQ, and they then need a manual redrive. The usual guidance (SQS maxReceiveCount) is
//   at least 5 deliveries. An absent max_deliveries is a violation too: the broker's default is
//   then unknown to the reader of the blueprint (some brokers never dead-letter by count).
// remediation: >
//   Set max_deliveries on the dead_letter policy to at least the min_deliveries parameter
//   (default 5), together with a backoff between redeliveries.
// references:
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/DeadLetterChannel.html
// parameters:
//   min_deliveries: 5
MATCH (d:Policy {kind: 'dead_letter'})
WHERE d.max_deliveries IS NULL OR d.max_deliveries < $min_deliveries
OPTIONAL MATCH (d)-[:DEAD_LETTERS_TO]->(q:Component)
RETURN d.id AS element,
       [] AS related,
       'dead_letter policy ' + d.id + coalesce(' (to ' + q.id + ')', '') +
       CASE WHEN d.max_deliveries IS NULL
            THEN ' sets no max_deliveries'
            ELSE ' dead-letters after ' + toString(d.max_deliveries) + ' deliveries' END +
       ', fewer than the ' + toString($min_deliveries) +
       ' needed to ride out a transient failure' AS message,
       {max_deliveries: d.max_deliveries, min_deliveries: $min_deliveries, dlq: q.id} AS details
ORDER BY element
