// For each element id, the team owning it: its own owner, or for a flow the owner of its
// source system (the team that answers for the flow).
UNWIND $ids AS id
MATCH (n:Element {id: id})
OPTIONAL MATCH (n)-[:OWNED_BY]->(own:Team)
OPTIONAL MATCH (n)-[:FROM]->(:System)-[:OWNED_BY]->(source:Team)
RETURN id, coalesce(own.id, source.id) AS team
