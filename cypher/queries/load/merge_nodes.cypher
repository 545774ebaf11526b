// Create or replace elements of one kind. $label is one of the fixed node labels of
// integraph.blueprint.graph.NodeLabel, checked in Python before the call.
UNWIND $rows AS row
MERGE (n:Element {id: row.id})
SET n = row.props
SET n:$($label)
RETURN count(n) AS written
