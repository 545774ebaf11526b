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
//   legitimate caller from any other process that can reach it. Flows whose source is an actor
//   (a system of kind actor: people and clients outside the landscape, such as an anonymous
//   shopper's browser) are not service-to-service and are left out, since there is no service
//   credential to give them; what they carry is judged by the data rules (SEC-08 to SEC-10,
//   SEC-15).
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
WHERE coalesce(s.kind, 'service') <> 'actor'
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
