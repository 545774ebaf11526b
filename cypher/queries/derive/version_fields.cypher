// The fields of the given contract versions, in the order the compatibility checks read them
// (by part, then position), each as [id, part, path, type, required, enum, extensible_enum,
// default].
UNWIND $ids AS id
MATCH (v:ContractVersion {id: id})
CALL (v) {
  OPTIONAL MATCH (v)-[:HAS_FIELD]->(f:Field)
  WITH f
  ORDER BY f.part, f.position
  RETURN [x IN collect(f) | [x.id, x.part, x.path, x.type, x.required, x.enum,
                              x.extensible_enum, x.`default`]] AS fields
}
RETURN v.id AS id, fields
