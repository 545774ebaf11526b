// For each blueprint id, the blueprints that declare they use it.
UNWIND $ids AS id
MATCH (b:Blueprint)
WHERE id IN b.uses
RETURN id, properties(b) AS node, 'Blueprint' AS label
