// For each element, the elements its relationships of one type lead to, in order (position,
// then id), each as [label, the values of the properties $keys, the values of the
// relationship's properties $rel_keys]: only what a GraphQL selection asks for. One row of
// one value, [[id, related], ...] over the ids that exist: decoding one large value costs
// far less than a row per element. $type is one of the fixed relationship types of
// integraph.graph.RelType, checked in Python before the call.
UNWIND $ids AS id
MATCH (e:Element {id: id})
WITH id, COLLECT {
  MATCH (e)-[r:$($type)]->(m)
  WITH r, m ORDER BY coalesce(r.position, m.position, 0), m.id
  RETURN [[label IN labels(m) WHERE label <> 'Element'][0], [k IN $keys | m[k]],
          [k IN $rel_keys | r[k]]]
} AS related
RETURN collect([id, related]) AS related
