// Write the content of contract versions, read once at load instead of by every contract
// rule: `(version)-[:HAS_CONTENT]->(content {fields, digest, content})` with `content` the
// version's fields as canonical JSON and `digest` its SHA-256, and `(field)-[:DESCRIBES]->
// (content)` from each of its `fields` fields (store/derived.py). Not an element: export,
// impact and lineage never see it.
UNWIND $rows AS row
MATCH (v:ContractVersion {id: row.id})
CREATE (v)-[:HAS_CONTENT]->(x:VersionContent)
SET x.version = row.id, x.fields = size(row.fields), x.digest = row.digest,
    x.content = row.content
WITH x, row
CALL (x, row) {
  UNWIND row.fields AS field
  MATCH (f:Field {id: field})
  CREATE (f)-[:DESCRIBES]->(x)
}
RETURN count(x) AS written
