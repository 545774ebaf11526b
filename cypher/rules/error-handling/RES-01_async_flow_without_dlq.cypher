// id: RES-01
// title: Asynchronous flow without a dead-letter destination
// severity: error
// area: error-handling
// tags: [dead-letter, messaging]
// rationale: >
//   A message that cannot be delivered or processed must go somewhere people can see it. Without
//   a Dead Letter Channel the broker either drops it silently or redelivers it forever, blocking
//   the consumer (poison message).
// remediation: >
//   Attach a dead_letter policy to the flow, or to the queue/topic it passes through, naming a
//   dead_letter_queue component, with a max_deliveries and an alert on the queue's depth.
// references:
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/DeadLetterChannel.html
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
MATCH (f:Flow)-[:HAS_RESILIENCE]->(x:FlowResilience)
// Whether a dead_letter policy reaches the flow (on it, or on a component it passes through)
// is derived at load (store/derived.py: FlowResilience.dead_lettered).
WHERE f.pattern IN ['event', 'command', 'stream'] AND NOT x.dead_lettered
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [] AS related,
       'asynchronous ' + f.pattern + ' flow ' + f.id + ' (' + src.id + ' -> ' + dst.id +
       ') has no dead-letter destination: undeliverable messages are lost or block the consumer'
         AS message,
       {pattern: f.pattern, source: src.id, target: dst.id} AS details
ORDER BY element
