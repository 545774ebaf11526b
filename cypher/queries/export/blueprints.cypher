// The blueprints in the graph.
MATCH (b:Blueprint)
RETURN b.id AS id
ORDER BY id
