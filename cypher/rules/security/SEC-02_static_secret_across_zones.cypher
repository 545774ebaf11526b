// id: SEC-02
// title: API key or basic authentication across trust zones
// severity: error
// area: security
// tags: [authentication, trust-boundary, owasp-api2]
// rationale: >
//   An API key or a user name and password is a static bearer secret: whoever has a copy can
//   call, it proves no identity, it is not bound to the sender, audience or time, and it is
//   usually long-lived. OWASP API2 lists API keys used as authentication and long-lived keys as
//   broken authentication; RFC 9700 asks for sender-constrained, audience-restricted tokens and
//   asymmetric client authentication between parties. Inside one trust zone the risk may be
//   accepted, but once the flow crosses zones (its source and target systems sit in different
//   trust_zone values, or either of them is operated by a third party, external: true) the
//   secret travels through networks and hands that the zone does not control. Flows from actors
//   (people and clients outside the landscape) are judged the same way on purpose: OWASP API2
//   warns against API keys as user authentication, and a user's password sent with every call
//   is the same static bearer secret.
// remediation: >
//   Authenticate the flow with mTLS (RFC 8705) or OAuth 2.0 client credentials with
//   private_key_jwt or tls_client_auth and sender-constrained tokens; if the partner only
//   supports API keys, record that in a decision and waive the finding with it. For an actor's
//   users, sign them in with OpenID Connect and send short-lived, sender-constrained tokens.
// references:
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
//   - https://www.rfc-editor.org/rfc/rfc9700
//   - https://www.rfc-editor.org/rfc/rfc8705
// parameters:
//   weak_kinds: [api_key, basic]
MATCH (c:Credential)-[:AUTHENTICATES]->(f:Flow)
WHERE c.kind IN $weak_kinds
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
// Crossing = different trust zones, or a third party at either end (the secret leaves us).
WHERE s.trust_zone <> t.trust_zone OR s.external = true OR t.external = true
WITH c, f, s, t,
     CASE
       WHEN s.trust_zone <> t.trust_zone THEN 'crosses trust zones ' + s.trust_zone + ' -> ' +
         t.trust_zone
       WHEN t.external = true THEN 'goes to third party ' + t.id
       ELSE 'comes from third party ' + s.id
     END AS crossing
RETURN f.id AS element,
       [c.id] AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') ' + crossing + ' but is authenticated by ' +
       c.kind + ' credential ' + c.id + ': use mTLS or sender-constrained OAuth tokens' AS message,
       {credential: c.id, kind: c.kind, source: s.id, target: t.id,
        source_zone: s.trust_zone, target_zone: t.trust_zone,
        source_external: s.external, target_external: t.external} AS details
ORDER BY element
