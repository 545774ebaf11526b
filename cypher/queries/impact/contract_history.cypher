// A contract's declared compatibility, content model and its versions oldest first, each with
// its fields (operation, body part and path within it, default, extensible enum, nullable),
// the names of its operations and where its full schema lives.
MATCH (c:Contract {id: $id})
OPTIONAL MATCH (c)-[hv:HAS_VERSION]->(v:ContractVersion)
OPTIONAL MATCH (v)-[:HAS_FIELD]->(fd:Field)
WITH c, hv, v, fd ORDER BY hv.position, fd.part, fd.position
WITH c, hv, v,
     collect(CASE WHEN fd IS NULL THEN null ELSE {
       part: fd.part, path: fd.path, type: fd.type, operation: fd.operation,
       required: coalesce(fd.required, false), enum: fd.enum, `default`: fd.`default`,
       extensible_enum: fd.extensible_enum, nullable: fd.nullable, deprecated_since: null
     } END) AS fields
ORDER BY hv.position
RETURN c.id AS id, c.compatibility AS mode, c.content_model AS content_model, c.kind AS kind,
       collect(CASE WHEN v IS NULL THEN null ELSE
         {id: v.id, version: v.version, schema_ref: v.schema_ref, fields: fields,
          operations: [(v)-[h:HAS_OPERATION]->(o:Operation) | o.name]} END) AS versions
