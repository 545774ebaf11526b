// Serialise the changes of blueprints: take a write lock on each of $blueprints (sorted by
// the caller, so that two changes never wait for each other in a loop), held until the
// transaction ends, before anything is read: a change validates what it read, so a second
// change must read after the first commits. The nodes are left as they were. Returns the ids
// of the blueprints that exist.
UNWIND $blueprints AS id
MATCH (b:Blueprint {id: id})
SET b.integraph_lock = true
REMOVE b.integraph_lock
RETURN b.id AS id
