// Dashboard: systems counted by owner team and criticality tier (null: not set).
MATCH (s:System)
WHERE $blueprint IS NULL OR s.blueprint IN $blueprint
OPTIONAL MATCH (s)-[:OWNED_BY]->(t:Team)
RETURN t.id AS team, s.tier AS tier, count(*) AS count
ORDER BY team, tier
