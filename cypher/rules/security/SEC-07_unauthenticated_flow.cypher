// id: SEC-07
// title: Service-to-service flow without authentication
// severity: error
// area: security
// tags: [authentication, owasp-api2, zero-trust]
// rationale: >
//   OWASP API2 lists microservices reachable without authentication as broken authentication,
//   and zero trust (NIST SP 800-207) grants no implicit trust for being inside the network:
//   every request between services is authenticated. A flow that names no credential is
//   unauthenticated (the model says absent = unauthenticated), as is one whose credential is of
//   kind none; both are reported, whatever the trust zones, since the target cannot tell a
//   legitimate caller from any other process that can reach it.
// remediation: >
//   Give the flow a credential identifying its source system (mTLS or OAuth 2.0 client
//   credentials), held by that system only.
// references:
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
//   - https://csrc.nist.gov/pubs/sp/800/207/final
MATCH (f:Flow)
OPTIONAL MATCH (c:Credential)-[:AUTHENTICATES]->(f)
WITH f, c
WHERE c IS NULL OR c.kind = 'none'
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
RETURN f.id AS element,
       CASE WHEN c IS NULL THEN [] ELSE [c.id] END AS related,
       f.pattern + ' flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') is unauthenticated: ' +
       CASE
         WHEN c IS NULL THEN 'it names no credential'
         ELSE 'its credential ' + c.id + ' is of kind none'
       END AS message,
       {pattern: f.pattern, source: s.id, target: t.id,
        credential: CASE WHEN c IS NULL THEN null ELSE c.id END} AS details
ORDER BY element
