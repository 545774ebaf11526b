// Create relationships of one type between loaded elements. $type is one of the fixed
// relationship types of integraph.blueprint.graph.RelType, checked in Python before the call.
UNWIND $rows AS row
MATCH (a:Element {id: row.from})
MATCH (b:Element {id: row.to})
CREATE (a)-[r:$($type)]->(b)
SET r = row.props
RETURN count(r) AS created
