// Elements of any blueprint holding a relationship to one of $ids (elements about to be
// deleted by a mutation), except those among $ids themselves: the same relationships as
// foreign_referrers.cypher (held by their start, or by their end for the types in $at_end),
// without its restriction to other blueprints. Used to refuse the deletion, naming them.
UNWIND $ids AS id
MATCH (n:Element {id: id})
CALL (n) {
  MATCH (m:Element)-[r]->(n)
  WHERE NOT type(r) IN $at_end
  RETURN m, type(r) AS type
  UNION
  MATCH (n)-[r]->(m:Element)
  WHERE type(r) IN $at_end
  RETURN m, type(r) AS type
}
WITH n, m, type
WHERE NOT m.id IN $ids
RETURN n.id AS element,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind,
       m.id AS referrer,
       [label IN labels(m) WHERE label <> 'Element'][0] AS referrer_kind,
       m.blueprint AS blueprint, type, m.source_file AS file, m.source_line AS line
ORDER BY element, blueprint, referrer, type
