// id: SEC-03
// title: Bearer token across trust zones not sender-constrained
// severity: warning
// area: security
// tags: [authentication, oauth, trust-boundary]
// rationale: >
//   A plain bearer token works for anyone who obtains it: a token leaked from a log, a proxy or
//   a compromised intermediary can be replayed until it expires. RFC 9700 (section 2.2) says
//   authorization servers and resource servers SHOULD use sender-constrained access tokens,
//   bound to the client's certificate (RFC 8705, cnf.x5t#S256) or to a DPoP key (RFC 9449). The
//   risk is highest where the token crosses trust zones (source and target systems in
//   different trust_zone values, or a third party, external: true, at either end). A credential
//   that declares no sender_constraint is treated as unconstrained: tokens are bearer tokens
//   unless something binds them. mTLS on the transport alone does not bind the token. Flows
//   from actors count too: DPoP was designed for public clients such as browsers and mobile
//   apps, whose tokens are the easiest to steal.
// remediation: >
//   Set sender_constraint to mtls (certificate-bound tokens, RFC 8705) or dpop (RFC 9449) on
//   the credential and configure the authorization and resource servers to enforce it.
// references:
//   - https://www.rfc-editor.org/rfc/rfc9700#section-2.2
//   - https://www.rfc-editor.org/rfc/rfc8705
//   - https://www.rfc-editor.org/rfc/rfc9449
// parameters:
//   bearer_kinds: [oauth2_client_credentials, jwt_bearer]
//   binding_methods: [mtls, dpop]
MATCH (c:Credential)-[:AUTHENTICATES]->(f:Flow)
WHERE c.kind IN $bearer_kinds
  AND NOT coalesce(c.sender_constraint, 'none') IN $binding_methods
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
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
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') ' + crossing + ' with ' + c.kind +
       ' credential ' + c.id + ' whose tokens are not sender-constrained (sender_constraint: ' +
       coalesce(c.sender_constraint, 'not set') + '): bind them with mtls or dpop' AS message,
       {credential: c.id, kind: c.kind, sender_constraint: c.sender_constraint,
        source: s.id, target: t.id, source_zone: s.trust_zone, target_zone: t.trust_zone}
         AS details
ORDER BY element
