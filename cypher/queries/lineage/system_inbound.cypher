// Classified fields on the flows touching a system (both directions; Python keeps the ones
// whose data direction ends at the system).
MATCH (s:System {id: $id})
MATCH (s)<-[:FROM|TO]-(f:Flow)-[:USES_VERSION]->(v:ContractVersion)-[:HAS_FIELD]->(fd:Field)
MATCH (fd)-[:CLASSIFIED_AS]->(cl:Classification)
// A flow naming operations carries only their fields and those of the version's own bodies.
WITH f, v, fd, cl
WHERE fd.operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: fd.operation}) }
WITH DISTINCT f, v, fd, cl
RETURN f.id AS flow, v.id AS version, fd.id AS field, fd.path AS path, fd.part AS part,
       fd.operation AS operation, cl.id AS classification
ORDER BY flow, field
