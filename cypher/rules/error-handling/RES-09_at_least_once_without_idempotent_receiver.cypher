// id: RES-09
// title: Consumer of an at-least-once flow without idempotency
// severity: error
// area: error-handling
// tags: [idempotency, messaging, delivery]
// rationale: >
//   At-least-once delivery means duplicates: a message is redelivered whenever an
//   acknowledgement is lost, a consumer restarts before committing, or a producer retries a
//   publish. The receiver must therefore be an Idempotent Receiver (Enterprise Integration
//   Patterns) that recognises a repeat by a key and ignores it. A flow counts as at-least-once
//   when its delivery is at_least_once, or when an asynchronous flow (event, command, stream)
//   declares no delivery at all, since at-least-once is what brokers such as SQS standard queues
//   and Kafka consumers give by default. An idempotency policy on the flow, or on a component it
//   passes through, that names a key or key_source satisfies the rule; none is the violation.
// remediation: >
//   Add an idempotency policy to the flow naming the deduplication key (message_id or a business
//   key such as /orderId), the dedup_store and window_seconds, so the consumer processes each
//   message once; or declare the delivery the platform actually guarantees.
// references:
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/IdempotentReceiver.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel04-bp04.html
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html
MATCH (f:Flow)-[:HAS_RESILIENCE]->(x:FlowResilience)
// Whether an idempotency policy with a key reaches the flow (on it, or on a component it
// passes through) is derived at load (store/derived.py: FlowResilience.idempotency_key).
WHERE (f.delivery = 'at_least_once'
       OR (f.delivery IS NULL AND f.pattern IN ['event', 'command', 'stream']))
  AND NOT x.idempotency_key
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [] AS related,
       'consumer ' + dst.id + ' of ' + f.pattern + ' flow ' + f.id + ' (from ' + src.id + ') ' +
       CASE WHEN f.delivery IS NULL THEN 'gets at-least-once delivery by default'
            ELSE 'gets at-least-once delivery' END +
       ' but has no idempotency key: redelivered messages are processed twice' AS message,
       {pattern: f.pattern, delivery: coalesce(f.delivery, 'at_least_once (assumed)'),
        consumer: dst.id, source: src.id} AS details
ORDER BY element
