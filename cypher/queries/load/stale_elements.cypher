// Elements of a blueprint whose ids are no longer in its files (for --prune).
MATCH (n:Element {blueprint: $blueprint})
WHERE NOT n.id IN $ids
RETURN n.id AS id
ORDER BY id
