// Every relationship leaving an element of one blueprint.
MATCH (a:Element {blueprint: $blueprint})-[r]->(b:Element)
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY a.id, type, b.id, r.position
