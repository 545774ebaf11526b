// Owner team, criticality and trust zone of systems, for the summary of an impact analysis.
UNWIND $ids AS sid
MATCH (s:System {id: sid})
OPTIONAL MATCH (s)-[:OWNED_BY]->(t:Team)
RETURN s.id AS id, coalesce(s.name, s.id) AS name, t.id AS team, s.tier AS tier,
       s.trust_zone AS zone
