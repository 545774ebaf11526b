// Write the content of contract versions started by new_version_content: `content` is the
// version's fields as canonical JSON and `digest` its SHA-256 (store/derived.py), read once
// at load instead of field by field by every contract rule. Not an element: export, impact
// and lineage never see it.
UNWIND $rows AS row
MATCH (:ContractVersion {id: row.id})-[:HAS_CONTENT]->(x:VersionContent)
SET x.digest = row.digest, x.content = row.content
RETURN count(x) AS written
