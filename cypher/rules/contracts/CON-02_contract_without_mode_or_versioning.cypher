// id: CON-02
// title: Contract without an explicit compatibility mode or versioning strategy
// severity: warning
// area: contracts
// tags: [contracts, compatibility, versioning]
// rationale: >
//   A contract's evolution rules must be stated before its second version ships. The
//   compatibility mode (Schema Registry: BACKWARD, FORWARD, FULL, their transitive variants or
//   NONE) says which changes are allowed and which side upgrades first; the versioning strategy
//   (semver, URL, header, media type, registry, date) says how consumers pick a version. Left
//   implicit, every tool applies its own default (Schema Registry assumes BACKWARD) and CON-03,
//   CON-05 and CON-09 cannot judge the contract. Absence is the violation: a contract without
//   `compatibility` or without `versioning` is reported (an explicit `versioning: none` or
//   `compatibility: NONE` is a declared choice, left to ADR-01 and CON-04).
// remediation: >
//   Declare `compatibility` (BACKWARD is the usual default for events, FULL for contracts shared
//   widely) and `versioning` (e.g. semver) on the contract.
// references:
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://semver.org/
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
MATCH (c:Contract)
WHERE c.compatibility IS NULL OR c.versioning IS NULL
WITH c,
     [x IN [CASE WHEN c.compatibility IS NULL THEN 'compatibility mode' END,
            CASE WHEN c.versioning IS NULL THEN 'versioning strategy' END]
        WHERE x IS NOT NULL] AS missing
RETURN c.id AS element,
       [] AS related,
       c.kind + ' contract ' + c.id + ' declares no ' +
       reduce(s = head(missing), m IN tail(missing) | s + ' and no ' + m) +
       ': which changes are allowed and how consumers choose a version is left to each tool'
         AS message,
       {kind: c.kind, compatibility: c.compatibility, versioning: c.versioning,
        missing: missing} AS details
ORDER BY element
