// For each element id, the team owning it: its own owner, or for a flow the owner of its
// source system (the team that answers for the flow). One value, [[id, team], ...]: an audit
// asks for tens of thousands at once.
UNWIND $ids AS id
MATCH (n:Element {id: id})
OPTIONAL MATCH (n)-[:OWNED_BY]->(own:Team)
OPTIONAL MATCH (n)-[:FROM]->(:System)-[:OWNED_BY]->(source:Team)
WITH id, coalesce(own.id, source.id) AS team
RETURN collect([id, team]) AS teams
