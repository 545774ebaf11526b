// id: RES-21
// title: Single-replica topic carrying tier-1 data
// severity: warning
// area: error-handling
// tags: [replication, messaging, durability, tier-1]
// rationale: >
//   A topic or queue with a replication factor of 1 keeps every message on one broker: when
//   that broker's disk fails the messages are gone, and while it is down or restarted the
//   channel can take and deliver nothing. Kafka's replication tolerates N-1 failed brokers
//   out of N copies, so 1 tolerates none; Confluent, Amazon MSK and RabbitMQ (quorum queues,
//   against classic queues that live on one node) recommend three copies for data that
//   matters, with min.insync.replicas 2 on Kafka. The rule reports every topic, queue and
//   dead-letter queue declaring replication_factor 1 that a flow from or to a tier-1 system
//   passes through (its via): the most critical systems' messages must survive the loss of
//   one broker. A channel that declares no replication factor is not judged (the broker's
//   default applies, which the model does not know).
// remediation: >
//   Raise the channel's replication factor to 3 (and min_insync_replicas to 2, with producers
//   waiting for all in-sync replicas), or use a replicated queue type; if the data is truly
//   disposable, record that in a decision and waive the finding.
// references:
//   - https://kafka.apache.org/documentation/#replication
//   - https://docs.confluent.io/platform/current/installation/configuration/topic-configs.html
//   - https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html
//   - https://www.rabbitmq.com/docs/quorum-queues
MATCH (c:Component)<-[:VIA]-(f:Flow)
WHERE c.kind IN ['topic', 'queue', 'dead_letter_queue'] AND c.replication_factor = 1
  AND EXISTS { (f)-[:FROM|TO]->(:System {tier: 1}) }
WITH DISTINCT c, f
ORDER BY f.id
WITH c, collect(f) AS carried
CALL (carried) {
  UNWIND carried AS f
  MATCH (f)-[:FROM|TO]->(s:System {tier: 1})
  WITH DISTINCT s
  ORDER BY s.id
  RETURN collect(s.id) AS systems
}
WITH c, [f IN carried | f.id] AS flows, systems
RETURN c.id AS element,
       [] AS related,
       CASE c.kind WHEN 'topic' THEN 'topic ' WHEN 'queue' THEN 'queue '
                   ELSE 'dead-letter queue ' END + c.id +
       ' keeps a single copy of each message (replication_factor 1) but carries flows of ' +
       'tier-1 system(s) ' + reduce(t = head(systems), x IN tail(systems) | t + ', ' + x) +
       ' (' + reduce(t = head(flows), x IN tail(flows) | t + ', ' + x) + '): the loss of one ' +
       'broker loses their messages and stops the flows until it is back' AS message,
       {kind: c.kind, replication_factor: c.replication_factor, flows: flows,
        tier1_systems: systems} AS details
ORDER BY element
