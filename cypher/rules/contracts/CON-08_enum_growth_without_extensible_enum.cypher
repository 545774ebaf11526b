// id: CON-08
// title: Enum grows where readers are not told to accept unknown values
// severity: warning
// area: contracts
// tags: [contracts, compatibility, enums]
// check: contract_enum_growth
// rationale: >
//   Readers built against a closed list of values reject or mishandle a value they do not
//   know (Schema Registry: adding an enum value is not FORWARD compatible; oasdiff: a new
//   response enum value is breaking unless the enum is declared extensible). So an enum may
//   only grow where no reader on the previous version sees the new value: not in a response or
//   error body (clients read them, whatever the declared mode) and not in any part a FORWARD or
//   FULL mode governs, unless the previous version already declared the field
//   extensible_enum, telling its readers to accept unknown values (Zalando's
//   x-extensible-enum). Consecutive versions are compared by the contract compatibility engine
//   (integraph.compat, diff_field_lists), as CON-03 does; CON-03 reports the break
//   against a declared mode, this rule names the enum fix and also covers responses of
//   contracts with no mode or NONE. Versions whose fields are not listed are skipped.
// remediation: >
//   Mark the enum extensible_enum (document that readers must accept and tolerate unknown
//   values) one version before adding values, upgrade readers first, or add the value in a
//   new major version.
// references:
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://github.com/oasdiff/oasdiff/blob/main/docs/BREAKING-CHANGES.md
//   - https://opensource.zalando.com/restful-api-guidelines/#112
//   - https://avro.apache.org/docs/1.11.1/specification/#schema-resolution
MATCH (c:Contract)
// The check's input: one row per contract with at least two versions and an enum field: its
// mode, kind, content model and versions oldest first, each with its fields in file order.
WHERE COUNT { (c)-[:HAS_VERSION]->(:ContractVersion) } > 1
  AND EXISTS {
    MATCH (c)-[:HAS_VERSION]->(:ContractVersion)-[:HAS_FIELD]->(e:Field)
    WHERE e.enum IS NOT NULL
  }
MATCH (c)-[:HAS_VERSION]->(v:ContractVersion)
// Each version's fields as one JSON string with its digest, written at load
// (store/derived.py: VersionContent); the check reads them.
OPTIONAL MATCH (v)-[:HAS_CONTENT]->(x:VersionContent)
WITH c, v, x
ORDER BY v.position
WITH c, collect({id: v.id, version: v.version, digest: x.digest, content: x.content,
                 operations: x.operations}) AS versions
RETURN c.id AS element,
       c.kind AS kind,
       c.compatibility AS mode,
       c.versioning AS versioning,
       c.content_model AS content_model,
       versions
ORDER BY element
