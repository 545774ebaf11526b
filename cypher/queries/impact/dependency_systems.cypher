// Every system with what an impact analysis shows of it (as queries/impact/systems gives it):
// the nodes of the in-process dependency graph (integraph.impact.adjacency). One row holding
// a list of [id, name, team, tier] (team and tier may be null, which a list keeps and
// collect() alone would drop): the driver decodes lists far faster than as many records.
MATCH (s:System)
OPTIONAL MATCH (s)-[:OWNED_BY]->(t:Team)
RETURN collect([s.id, coalesce(s.name, s.id), t.id, s.tier]) AS systems
