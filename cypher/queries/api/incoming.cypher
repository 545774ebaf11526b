// For each element, the elements whose relationships of one type lead to it. $type is one
// of the fixed relationship types of integraph.graph.RelType, checked in Python first.
UNWIND $ids AS id
MATCH (:Element {id: id})<-[r:$($type)]-(m)
RETURN id, properties(m) AS node, [label IN labels(m) WHERE label <> 'Element'][0] AS label,
       properties(r) AS rel
