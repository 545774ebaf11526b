// Flows carrying a field: every flow using a version of the field's contract that has a
// field at the same part and path. One row per (flow, field on the version the flow uses).
MATCH (start:Field {id: $id})<-[:HAS_FIELD]-(:ContractVersion)<-[:HAS_VERSION]-(c:Contract)
MATCH (c)-[:HAS_VERSION]->(v:ContractVersion)-[:HAS_FIELD]->(fd:Field)
WHERE fd.path = start.path AND fd.part = start.part
MATCH (f:Flow)-[:USES_VERSION]->(v)
WITH DISTINCT f, v, fd
OPTIONAL MATCH (fd)-[:CLASSIFIED_AS]->(cl:Classification)
RETURN f.id AS flow, v.id AS version, fd.id AS field, fd.path AS path, fd.part AS part,
       cl.id AS classification
ORDER BY flow, field
