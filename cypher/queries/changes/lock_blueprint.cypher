// Serialise the changes of one blueprint: take a write lock on its node, held until the
// transaction ends, before the blueprint is read (a change validates what it read, so a
// second change of the same blueprint must read after the first commits). The node is left
// as it was. No row: there is no such blueprint.
MATCH (b:Blueprint {id: $blueprint})
SET b.integraph_lock = true
REMOVE b.integraph_lock
RETURN b.id AS id
