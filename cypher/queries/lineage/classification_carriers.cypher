// Flows carrying data of a classification (by its id or its category, e.g. 'pci'): every flow
// using a contract version with a field classified so (of an operation the flow names, or of
// the version's own bodies, when the flow names operations). One row per (flow, field).
MATCH (cl:Classification)
WHERE cl.id = $name OR cl.category = $name
MATCH (cl)<-[:CLASSIFIED_AS]-(fd:Field)<-[:HAS_FIELD]-(v:ContractVersion)<-[:USES_VERSION]-(f:Flow)
// A flow naming operations carries only their fields and those of the version's own bodies.
WHERE fd.operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: fd.operation}) }
WITH DISTINCT f, v, fd, cl
RETURN f.id AS flow, v.id AS version, fd.id AS field, fd.path AS path, fd.part AS part,
       fd.operation AS operation, cl.id AS classification,
       [(fd)-[:CLEAR_FOR]->(entitled:System) | entitled.id] AS clear_for
ORDER BY flow, field
