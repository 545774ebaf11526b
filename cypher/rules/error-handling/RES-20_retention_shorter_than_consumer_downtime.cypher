// id: RES-20
// title: Message retention shorter than a consumer may be down
// severity: warning
// area: error-handling
// tags: [retention, messaging, alerting, dead-letter]
// rationale: >
//   A broker deletes messages when their retention runs out, read or not (Kafka's
//   retention.ms under cleanup.policy delete; SQS's message retention period, at most 14
//   days). A consumer that is down longer than the retention comes back to a gap: the events
//   published meanwhile are gone, with no error anywhere. How long a consumer may be down is
//   what its alerting allows: the alert's window before it fires plus the on-call's response
//   target once it has (the SRE book's on-call response times; Well-Architected REL06-BP03,
//   notifications on the workload's metrics). So for each asynchronous flow (event, command,
//   stream) through
//   a topic, queue or dead-letter queue with a finite retention (retention_ms 0 or more; -1
//   keeps messages forever, and a compacted topic (cleanup_policy compact) keeps each key's
//   latest message whatever its age), every alert rule applying to the channel or to the flow
//   that sets a response_seconds gives a time the consumer may stay down, window_seconds plus
//   response_seconds (an alert without response_seconds gives none); the channel is reported
//   when its retention is below the largest of them: alerts watch different symptoms, and a
//   failure only the slowest one notices lasts that long. Dead-letter queues have the same
//   problem with their redrive: a dead_letter policy's redrive_within_seconds says how soon
//   its messages are redriven, and a queue it dead-letters to that keeps them for less loses
//   them first (SQS even counts a dead-lettered message's age from its first enqueue, and
//   advises a dead-letter queue retention longer than the source queue's).
// remediation: >
//   Raise the channel's retention above the longest time its consumers may be down (with a
//   margin for the fix itself, e.g. 7 days for a weekend), or tighten the alert's window and
//   response target; for a dead-letter queue, keep messages longer than the redrive target
//   (14 days where the broker allows it) or redrive sooner.
// references:
//   - https://kafka.apache.org/documentation/#topicconfigs_retention.ms
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
//   - https://sre.google/sre-book/being-on-call/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel06-bp03.html
CALL () {
  // Channels flows pass, against how long the consumers may be down before anyone acts.
  MATCH (f:Flow)-[:VIA]->(t:Component)
  WHERE f.pattern IN ['event', 'command', 'stream']
    AND t.kind IN ['topic', 'queue', 'dead_letter_queue']
    AND t.retention_ms >= 0
    AND coalesce(t.cleanup_policy, 'delete') <> 'compact'
  // The alert rules applying to the channel or to the flow, each once.
  CALL (t, f) {
    MATCH (a:Policy {kind: 'alert'})-[:APPLIES_TO]->(t)
    RETURN a
    UNION
    MATCH (a:Policy {kind: 'alert'})-[:APPLIES_TO]->(f)
    RETURN a
  }
  WITH t, f, a
  WHERE a.response_seconds IS NOT NULL
  WITH t, f, a, coalesce(a.window_seconds, 0) + a.response_seconds AS down_seconds
  ORDER BY t.id, down_seconds DESC, a.id, f.id
  WITH t, collect({alert: a, down: down_seconds, flow: f.id}) AS rows
  WITH t, rows, head(rows) AS worst
  WHERE t.retention_ms < worst.down * 1000
  WITH t, worst, [r IN rows WHERE r.alert = worst.alert | r.flow] AS flows
  RETURN t AS channel, worst.alert AS policy,
         CASE t.kind WHEN 'topic' THEN 'topic ' WHEN 'queue' THEN 'queue '
                     ELSE 'dead-letter queue ' END + t.id + ' keeps messages ' +
         toString(t.retention_ms) + ' ms, but a consumer of ' +
         reduce(s = head(flows), x IN tail(flows) | s + ', ' + x) + ' may be down ' +
         toString(worst.down) + ' s before anyone acts (alert ' + worst.alert.id + ': ' +
         toString(coalesce(worst.alert.window_seconds, 0)) + ' s window + ' +
         toString(worst.alert.response_seconds) + ' s response): messages published ' +
         'meanwhile expire unread' AS message,
         {case: 'consumer_down', retention_ms: t.retention_ms, down_ms: worst.down * 1000,
          alert: worst.alert.id, window_seconds: worst.alert.window_seconds,
          response_seconds: worst.alert.response_seconds, flows: flows} AS details
  UNION
  // Dead-letter queues, against how soon the policies dead-lettering to them redrive.
  MATCH (p:Policy {kind: 'dead_letter'})-[:DEAD_LETTERS_TO]->(d:Component)
  WHERE d.retention_ms >= 0
    AND coalesce(d.cleanup_policy, 'delete') <> 'compact'
    AND d.retention_ms < p.redrive_within_seconds * 1000
  WITH d, p
  ORDER BY d.id, p.redrive_within_seconds DESC, p.id
  WITH d, head(collect(p)) AS p
  RETURN d AS channel, p AS policy,
         'dead-letter queue ' + d.id + ' keeps messages ' + toString(d.retention_ms) +
         ' ms, but dead-letter policy ' + p.id + ' redrives them within ' +
         toString(p.redrive_within_seconds) + ' s: dead-lettered messages may expire ' +
         'before they are redriven' AS message,
         {case: 'redrive', retention_ms: d.retention_ms,
          redrive_within_ms: p.redrive_within_seconds * 1000} AS details
}
RETURN channel.id AS element,
       [policy.id] AS related,
       message,
       details
ORDER BY element, related
