// Flows carrying data of a classification (by its id or its category, e.g. 'pci'): every flow
// using a contract version with a field classified so. One row per (flow, field).
MATCH (cl:Classification)
WHERE cl.id = $name OR cl.category = $name
MATCH (cl)<-[:CLASSIFIED_AS]-(fd:Field)<-[:HAS_FIELD]-(v:ContractVersion)<-[:USES_VERSION]-(f:Flow)
WITH DISTINCT f, v, fd, cl
RETURN f.id AS flow, v.id AS version, fd.id AS field, fd.path AS path, fd.part AS part,
       cl.id AS classification
ORDER BY flow, field
