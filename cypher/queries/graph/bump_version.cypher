// Every write transaction ends here: a new random token marks the graph as changed, so any
// structure derived from it (an in-process adjacency, a cache) knows it is stale. A token,
// not a counter, so that clearing the database can never bring an old value back.
MERGE (v:GraphVersion {id: 'graph'})
SET v.token = randomUUID(), v.changed_at = datetime()
