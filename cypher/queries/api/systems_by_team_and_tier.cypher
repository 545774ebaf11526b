// Dashboard: systems counted by owner team and criticality tier (null: not set), as one row
// holding [[team, tier, count], ...] in team and tier order (a landscape has thousands of
// such pairs: one value decodes far faster than a row each).
MATCH (s:System)
WHERE $blueprint IS NULL OR s.blueprint IN $blueprint
OPTIONAL MATCH (s)-[:OWNED_BY]->(t:Team)
WITH t.id AS team, s.tier AS tier, count(*) AS count
ORDER BY team, tier
RETURN collect([team, tier, count]) AS counts
