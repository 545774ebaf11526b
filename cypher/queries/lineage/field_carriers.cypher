// Flows carrying a field: every flow using a version of the field's contract that has a
// field at the same operation, part and path (a flow naming operations carries only theirs and
// the version's own bodies). One row per (flow, field on the version the flow uses).
MATCH (start:Field {id: $id})<-[:HAS_FIELD]-(:ContractVersion)<-[:HAS_VERSION]-(c:Contract)
MATCH (c)-[:HAS_VERSION]->(v:ContractVersion)-[:HAS_FIELD]->(fd:Field)
WHERE fd.path = start.path AND fd.part = start.part
  AND coalesce(fd.operation, '') = coalesce(start.operation, '')
MATCH (f:Flow)-[:USES_VERSION]->(v)
// A flow naming operations carries only their fields and those of the version's own bodies.
WHERE fd.operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: fd.operation}) }
WITH DISTINCT f, v, fd
OPTIONAL MATCH (fd)-[:CLASSIFIED_AS]->(cl:Classification)
RETURN f.id AS flow, v.id AS version, fd.id AS field, fd.path AS path, fd.part AS part,
       fd.operation AS operation, cl.id AS classification,
       [(fd)-[:CLEAR_FOR]->(entitled:System) | entitled.id] AS clear_for
ORDER BY flow, field
