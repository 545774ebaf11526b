// id: CON-03
// title: Contract version breaks its declared compatibility mode
// severity: error
// area: contracts
// tags: [contracts, compatibility, schema-evolution]
// check: contract_compatibility
// rationale: >
//   The declared mode is a promise to the other side: BACKWARD means the new schema reads data
//   written with the previous one, FORWARD that readers on the previous schema read the new
//   data, FULL both; the *_TRANSITIVE modes hold against every earlier version, not just the
//   latest (Confluent Schema Registry). A version that breaks it fails readers in production:
//   a required field added under BACKWARD, a required field removed under FORWARD, a narrowed
//   type, a removed enum value. Each version is compared with the previous one (all earlier
//   ones for *_TRANSITIVE) by the contract compatibility engine (integraph.compat, the
//   same code as `integraph compat`), on the versions' field lists, with JSON Schema rules for
//   the contract's content model (absent = open, JSON Schema's default; Avro and protobuf
//   contracts without one are partially open, as their readers skip unknown fields, and an
//   Avro field with a default is optional). For HTTP-style parts the reader decides the
//   direction, as in oasdiff: requests are read by the server (always BACKWARD), responses
//   and error bodies by clients (always FORWARD); FULL checks both. Mode NONE, or no mode
//   (CON-02), is never checked; a version whose fields are not listed cannot be compared and
//   is skipped; growth of an enum declared extensible in the earlier version is not a break.
// remediation: >
//   Make the change compatible (add fields as optional or with a default, deprecate instead of
//   removing, keep the old type), or publish it as a new contract (a new subject / major API
//   version) and migrate consumers, recording the decision.
// references:
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://avro.apache.org/docs/1.11.1/specification/#schema-resolution
//   - https://github.com/oasdiff/oasdiff/blob/main/docs/BREAKING-CHANGES.md
//   - https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/
MATCH (c:Contract)
// The check's input: one row per contract with a declared mode other than NONE and at least
// two versions: its mode, kind, content model and versions oldest first (by their position in
// `versions`), each with its fields in file order. The check judges them with the engine.
WHERE c.compatibility IS NOT NULL AND c.compatibility <> 'NONE'
  AND COUNT { (c)-[:HAS_VERSION]->(:ContractVersion) } > 1
MATCH (c)-[:HAS_VERSION]->(v:ContractVersion)
// Each version's fields as one JSON string with its digest, and its operations' names,
// written at load
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
