// Elements of other blueprints holding a relationship to one of $ids (elements of
// $blueprint about to be deleted): a relationship is held by its start element, or by its
// end element for the types in $at_end. Used to refuse the deletion, naming them.
UNWIND $ids AS id
MATCH (n:Element {id: id})
CALL (n) {
  MATCH (m:Element)-[r]->(n)
  WHERE m.blueprint <> $blueprint AND NOT type(r) IN $at_end
  RETURN m, type(r) AS type
  UNION
  MATCH (n)-[r]->(m:Element)
  WHERE m.blueprint <> $blueprint AND type(r) IN $at_end
  RETURN m, type(r) AS type
}
RETURN n.id AS element,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind,
       m.id AS referrer,
       [label IN labels(m) WHERE label <> 'Element'][0] AS referrer_kind,
       m.blueprint AS blueprint, type, m.source_file AS file, m.source_line AS line
ORDER BY element, blueprint, referrer, type
