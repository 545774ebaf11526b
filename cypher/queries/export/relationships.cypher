// Every relationship held by an element of one blueprint: those leaving its elements, and
// those of the types written at their end ($at_end) arriving at them. Their other end may
// be in another blueprint.
CALL () {
  MATCH (a:Element {blueprint: $blueprint})-[r]->(b:Element)
  WHERE NOT type(r) IN $at_end
  RETURN r, a, b
  UNION ALL
  MATCH (a:Element)-[r]->(b:Element {blueprint: $blueprint})
  WHERE type(r) IN $at_end
  RETURN r, a, b
}
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY from, type, to, r.position
