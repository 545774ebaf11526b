// id: SEC-14
// title: Reply address taken from the request
// severity: warning
// area: security
// tags: [messaging, authorization, least-privilege, request-reply]
// rationale: >
//   In request-reply over messaging the Return Address pattern (Enterprise Integration
//   Patterns) lets the request name where the reply goes (a JMSReplyTo or reply-topic header).
//   The replier then writes wherever a requester asks: it needs write access to every
//   requester's reply channel, which a least-privilege broker authorisation (Kafka ACLs grant
//   Write per topic to a principal) cannot narrow in advance, so in practice it is granted a
//   prefix or every topic; and a forged or tampered header makes it write replies, possibly
//   carrying the requester's data, to a channel the attacker reads or to one it should never
//   touch. OWASP treats a client-supplied destination the server follows without validation
//   as a vulnerability of its own (API7:2023 server-side request forgery, unvalidated
//   redirects and forwards). A flow with a reply whose reply_address_header is set is
//   reported, whatever else the reply names; the details show the channels the replier's own
//   credential (the flow's receiver_credential) may already write to.
// remediation: >
//   Reply on a fixed reply channel named in the flow's reply via (one per requester, or a
//   shared one with a correlation key) and grant the replier write access to exactly those
//   channels; if the address must come from the request, validate it against an allow-list of
//   the requesters' reply channels before writing, and record that in a decision.
// references:
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/ReturnAddress.html
//   - https://owasp.org/API-Security/editions/2023/en/0xa7-server-side-request-forgery/
//   - https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
//   - https://kafka.apache.org/documentation/#security_authz
// parameters:
//   write_access: [write, all]
MATCH (f:Flow)
WHERE f.has_reply = true AND f.reply_address_header IS NOT NULL
MATCH (f)-[:FROM]->(requester:System), (f)-[:TO]->(replier:System)
OPTIONAL MATCH (rc:Credential)-[:AUTHENTICATES_RECEIVER]->(f)
WITH f, requester, replier, rc,
     coalesce(rc.permission_channels, []) AS channels,
     coalesce(rc.permission_access, []) AS access
WITH f, requester, replier, rc,
     [i IN range(0, size(channels) - 1)
      WHERE channels[i] <> ''
        AND any(a IN split(access[i], ',') WHERE a IN $write_access) | channels[i]] AS writes
RETURN f.id AS element,
       [] AS related,
       'request-reply flow ' + f.id + ' (' + requester.id + ' -> ' + replier.id +
       ') takes its reply address from request header ' + f.reply_address_header + ': ' +
       'replier ' + replier.id + ' writes wherever a requester asks, so it needs write ' +
       'access to the reply channel of every requester, and a forged header makes it write ' +
       'elsewhere' AS message,
       {header: f.reply_address_header, replier: replier.id, requester: requester.id,
        replier_credential: rc.id, replier_writes: writes,
        reply_via: COLLECT {
          MATCH (f)-[r:REPLIES_VIA]->(c:Component)
          RETURN c.id ORDER BY r.position
        }} AS details
ORDER BY element
