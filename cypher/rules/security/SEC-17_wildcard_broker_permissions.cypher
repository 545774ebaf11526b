// id: SEC-17
// title: Wildcard or write-everywhere broker permissions
// severity: warning
// area: security
// tags: [messaging, authorization, least-privilege]
// rationale: >
//   Least privilege (NIST SP 800-53 AC-6) grants each client only the access its function
//   needs. At a broker that means permissions on the topics, queues and consumer groups it
//   uses: Kafka ACLs allow an operation to a principal on a literal resource name, a prefix or
//   the wildcard `*` (every resource), and Confluent RBAC binds roles to named or prefixed
//   resources for the same reason. A permission on every channel, on every channel matching a
//   prefix, or on any consumer group reaches channels nobody named for the client, including
//   those created later by other teams. Writing is the worst case: a client that may write to
//   every channel can inject or poison messages on any topic at the broker (commands, events,
//   replies, dead-letter queues) with a valid identity, so a leak of its secret is a leak of
//   the whole broker; reading everywhere discloses every stream, and any consumer group lets
//   it join, and disturb, other applications' groups. One finding per credential lists its
//   permissions whose channel is `*` or a prefix ending in `*`, or whose consumer group is
//   `*`, worst first, and says whether they write (access in write_access).
// remediation: >
//   Grant the credential the channels it uses by name (one permission per topic or queue,
//   read for what it consumes, write for what it produces) and its own consumer group; where
//   a prefix is really needed, make it the application's own namespace and record the reason
//   in a decision.
// references:
//   - https://kafka.apache.org/documentation/#security_authz
//   - https://docs.confluent.io/platform/current/security/authorization/acls/overview.html
//   - https://docs.confluent.io/platform/current/security/authorization/rbac/rbac-predefined-roles.html
//   - https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final
// parameters:
//   write_access: [write, all]
MATCH (c:Credential)
WHERE size(coalesce(c.permission_channels, [])) > 0
UNWIND range(0, size(c.permission_channels) - 1) AS i
WITH c, i, c.permission_channels[i] AS channel, c.permission_groups[i] AS grp,
     c.permission_access[i] AS access
WITH c, i, channel, grp, access,
     channel = '*' OR channel ENDS WITH '*' AS wild_channel,
     grp = '*' AS wild_group,
     any(a IN split(access, ',') WHERE a IN $write_access) AS writes
WHERE wild_channel OR wild_group
WITH c, i, channel, grp, access, writes, wild_channel,
     wild_channel AND channel = '*' AND writes AS everywhere,
     replace(access, ',', '/') + ' on ' +
     CASE
       WHEN channel = '*' THEN 'every channel'
       WHEN wild_channel THEN 'every channel matching ' + channel
       ELSE 'any consumer group'
     END AS text
ORDER BY c.id, everywhere DESC, writes DESC, i
WITH c,
     collect(text) AS texts,
     collect({channel: CASE WHEN channel = '' THEN null ELSE channel END,
              consumer_group: CASE WHEN grp = '' THEN null ELSE grp END,
              access: split(access, ','), writes: writes}) AS permissions,
     any(x IN collect(everywhere) WHERE x) AS everywhere,
     any(x IN collect(writes) WHERE x) AS writes,
     any(x IN collect(wild_channel) WHERE x) AS channels,
     any(x IN collect(grp = '*') WHERE x) AS groups
WITH c, texts, permissions, everywhere, writes, channels, groups,
     COLLECT { MATCH (c)-[:AUTHENTICATES_TO]->(t:Component) RETURN t.id ORDER BY t.id } AS towards
RETURN c.id AS element,
       [] AS related,
       'credential ' + c.id + ' has wildcard permissions' +
       CASE
         WHEN size(towards) > 0
           THEN ' at ' + reduce(x = head(towards), t IN tail(towards) | x + ', ' + t)
         ELSE ''
       END + ' (' + reduce(x = head(texts), t IN tail(texts) | x + '; ' + t) + '): ' +
       CASE
         WHEN everywhere
           THEN 'it writes everywhere, the worst case: with its secret anyone can inject ' +
             'messages into every channel at the broker'
         WHEN writes THEN 'it writes to channels nobody named for it'
         WHEN channels AND groups
           THEN 'it reaches channels and consumer groups nobody named for it'
         WHEN channels THEN 'it reaches channels nobody named for it'
         ELSE 'it joins consumer groups nobody named for it'
       END AS message,
       {permissions: permissions, writes: writes, write_everywhere: everywhere,
        towards: towards} AS details
ORDER BY element
