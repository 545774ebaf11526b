// Every system with what an impact analysis shows of it (as queries/impact/systems gives it):
// the nodes of the in-process dependency graph (integraph.impact.adjacency).
MATCH (s:System)
OPTIONAL MATCH (s)-[:OWNED_BY]->(t:Team)
RETURN s.id AS id, coalesce(s.name, s.id) AS name, t.id AS team, s.tier AS tier
