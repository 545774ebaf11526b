// id: CON-09
// title: Breaking change without a major version bump
// severity: error
// area: contracts
// tags: [contracts, compatibility, versioning, semver]
// check: contract_semver
// rationale: >
//   Under Semantic Versioning a MINOR or PATCH release must be backward compatible for its
//   users; an incompatible change requires a new MAJOR version, which is how consumers know
//   they cannot upgrade blindly (SemVer 2.0.0, items 7 and 8). So every version of a major
//   line must stay compatible with all earlier versions of that line. Applies to contracts
//   with `versioning: semver`; versions that are not semver strings, and major version 0
//   (initial development, where anything may change: SemVer item 4), are not judged.
//   Compatibility is judged by the contract compatibility engine (integraph.compat,
//   check_history), as in CON-03, under the declared mode made transitive within the major
//   line; a contract with no mode or NONE (no registry check, but still a semver promise) is
//   judged under the undeclared_mode parameter (BACKWARD, Schema Registry's default).
//   Versions whose fields are not listed are skipped.
// remediation: >
//   Release the change as the next major version (and keep the previous major available for
//   its consumers), or make it compatible.
// references:
//   - https://semver.org/
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://github.com/oasdiff/oasdiff/blob/main/docs/BREAKING-CHANGES.md
// parameters:
//   undeclared_mode: BACKWARD
MATCH (c:Contract {versioning: 'semver'})
// The check's input: one row per semver contract with at least two versions: its mode, kind,
// content model and versions oldest first, each with its fields in file order.
WHERE COUNT { (c)-[:HAS_VERSION]->(:ContractVersion) } > 1
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
