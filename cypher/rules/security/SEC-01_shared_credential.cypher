// id: SEC-01
// title: Shared credential
// severity: error
// area: security
// tags: [authentication, owasp-api2]
// rationale: >
//   A credential held by more than one system cannot tell its holders apart: access cannot be
//   revoked for one without breaking the others, audit logs cannot say who called, and a leak
//   anywhere compromises every holder. Each service needs an identity of its own.
// remediation: >
//   Issue one credential per calling system (its own OAuth client or certificate) and record
//   the choice in a decision.
// references:
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
//   - https://www.rfc-editor.org/rfc/rfc9700
// parameters:
//   max_holders: 1
MATCH (holder:System)-[:HOLDS]->(c:Credential)
WITH c, holder
ORDER BY holder.id
WITH c, collect(DISTINCT holder.id) AS holders
WHERE size(holders) > $max_holders
RETURN c.id AS element,
       holders AS related,
       'credential ' + c.id + ' is held by ' + toString(size(holders)) + ' systems (' +
       reduce(s = head(holders), h IN tail(holders) | s + ', ' + h) + ')' AS message,
       {holders: holders} AS details
ORDER BY element
