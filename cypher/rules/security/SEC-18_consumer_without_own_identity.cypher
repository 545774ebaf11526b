// id: SEC-18
// title: Consumer without its own identity at the broker
// severity: error
// area: security
// tags: [authentication, messaging, least-privilege, zero-trust]
// rationale: >
//   A broker authorises principals: Kafka ACLs and Confluent RBAC grant read on a topic and
//   membership of a consumer group to the identity a client authenticates with (SASL/SCRAM,
//   mTLS, OAuth). A consumer without an identity of its own cannot be given only what it needs
//   (least privilege, NIST SP 800-53 AC-6), cannot be told apart in the broker's audit logs or
//   revoked alone, and zero trust (NIST SP 800-207) authenticates every client, not only the
//   producers; OWASP API2 counts services reachable without authentication as broken
//   authentication. An asynchronous flow (a pattern in async_patterns) passing a broker (a
//   component whose kind is in broker_kinds, or a channel of channel_kinds that is part of one,
//   up to 5 levels) is reported when its receiver has no credential of its own there: the flow
//   names no receiver_credential; or it names the flow's own credential, the source's (the
//   consumer then also holds the producer's write access, and the broker cannot tell them
//   apart); or the credential is of kind none; or the flow's target does not hold it (it
//   consumes with another system's identity). A receiver that is an actor is not judged: it
//   holds no service credential.
// remediation: >
//   Issue the consuming system its own broker credential (held_by the target, towards the
//   broker, with read on the flow's channels and its own consumer group) and name it in the
//   flow's receiver_credential.
// references:
//   - https://kafka.apache.org/documentation/#security_authz
//   - https://docs.confluent.io/platform/current/security/authorization/acls/overview.html
//   - https://csrc.nist.gov/pubs/sp/800/207/final
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
// parameters:
//   async_patterns: [event, command, stream]
//   broker_kinds: [broker]
//   channel_kinds: [topic, queue, dead_letter_queue]
MATCH (f:Flow)-[:VIA]->(x:Component)
WHERE f.pattern IN $async_patterns
OPTIONAL MATCH (x)-[:PART_OF*1..5]->(b:Component)
WHERE b.kind IN $broker_kinds
WITH f, x, b
WHERE x.kind IN $broker_kinds OR (x.kind IN $channel_kinds AND b IS NOT NULL)
WITH f, CASE WHEN x.kind IN $broker_kinds THEN x.id ELSE b.id END AS broker
ORDER BY broker
WITH f, collect(DISTINCT broker) AS brokers
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WHERE coalesce(t.kind, 'service') <> 'actor'
OPTIONAL MATCH (rc:Credential)-[:AUTHENTICATES_RECEIVER]->(f)
OPTIONAL MATCH (sc:Credential)-[:AUTHENTICATES]->(f)
WITH f, s, t, brokers, rc, sc,
     CASE
       WHEN rc IS NULL THEN 'no_credential'
       WHEN rc = sc THEN 'source_credential'
       WHEN rc.kind = 'none' THEN 'kind_none'
       WHEN NOT EXISTS { MATCH (t)-[:HOLDS]->(rc) } THEN 'not_held'
     END AS reason
WHERE reason IS NOT NULL
WITH f, s, t, brokers, rc, sc, reason,
     COLLECT { MATCH (h:System)-[:HOLDS]->(rc) RETURN h.id ORDER BY h.id } AS holders
RETURN f.id AS element,
       CASE WHEN rc IS NULL THEN [] ELSE [rc.id] END AS related,
       f.pattern + ' flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') passes broker ' +
       reduce(x = head(brokers), b IN tail(brokers) | x + ', ' + b) + ' but its receiver ' +
       t.id + ' has no identity of its own there: ' +
       CASE reason
         WHEN 'no_credential' THEN 'the flow names no receiver_credential'
         WHEN 'source_credential'
           THEN 'its receiver credential ' + rc.id + ' is also the flow credential of ' +
             'source ' + s.id + ', so the broker cannot tell the consumer from the producer'
         WHEN 'kind_none' THEN 'its receiver credential ' + rc.id + ' is of kind none'
         ELSE 'its receiver credential ' + rc.id + ' is not held by ' + t.id +
           CASE
             WHEN size(holders) > 0
               THEN ' but by ' + reduce(x = head(holders), h IN tail(holders) | x + ', ' + h)
             ELSE ''
           END
       END AS message,
       {reason: reason, brokers: brokers, receiver: t.id, source: s.id,
        receiver_credential: rc.id, source_credential: sc.id, holders: holders} AS details
ORDER BY element
