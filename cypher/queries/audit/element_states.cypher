// The stored state of elements about to change, for the audit trail: kind, properties and
// the relationships each holds between elements (those leaving it, and those of the types
// written at their end, $at_end, arriving at it), as writer.content_hashes counts them.
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind,
       properties(n) AS props,
       COLLECT {
         MATCH (n)-[r]->(m:Element)
         WHERE NOT type(r) IN $at_end
         RETURN {type: type(r), target: m.id, props: properties(r)} AS held
       } + COLLECT {
         MATCH (n)<-[r]-(m:Element)
         WHERE type(r) IN $at_end
         RETURN {type: type(r), target: m.id, props: properties(r)} AS held
       } AS held
