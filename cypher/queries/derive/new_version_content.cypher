// Start the content of every contract version that has none (new, or dropped by
// stale_version_content): its node, with the content hashes of the fields it is read from
// and the names of its operations (in file order), and the fields in the order the
// compatibility checks read them (by part, then position), each as [part, path, type,
// required, enum, extensible_enum, default, operation, nullable], for store/derived.py to
// write the content and digest from (version_content).
MATCH (v:ContractVersion)
WHERE NOT EXISTS { (v)-[:HAS_CONTENT]->(:VersionContent) }
CALL (v) {
  OPTIONAL MATCH (v)-[:HAS_FIELD]->(f:Field)
  WITH f
  ORDER BY f.part, f.position
  RETURN collect(f) AS fields
}
CALL (v) {
  OPTIONAL MATCH (v)-[h:HAS_OPERATION]->(o:Operation)
  WITH o, h
  ORDER BY h.position
  RETURN collect(o.name) AS operations
}
CREATE (v)-[:HAS_CONTENT]->(x:VersionContent)
SET x.version = v.id, x.fields = size(fields), x.hashes = [f IN fields | f.content_hash],
    x.operations = operations
RETURN v.id AS id,
       [f IN fields | [f.part, f.path, f.type, f.required, f.enum, f.extensible_enum,
                       f.`default`, f.operation, f.nullable]] AS fields
