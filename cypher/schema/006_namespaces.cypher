// Each blueprint is a namespace: an element's id in the graph is its full identifier
// `<blueprint>:<id>`. Elements stored by an older Integraph (short ids) get their blueprint in
// front; blueprints keep their own id and reviews theirs (`shop#review-1`, already unique).
// Content hashes and load records of the old ids are dropped, so the next load rewrites.
MATCH (n:Element)
WHERE NOT n:Blueprint AND NOT n:Review AND NOT n.id CONTAINS ':' AND n.blueprint IS NOT NULL
CALL (n) {
  SET n.id = n.blueprint + ':' + n.id
  REMOVE n.content_hash
} IN TRANSACTIONS OF 10000 ROWS;

MATCH (r:LoadRecord)
DETACH DELETE r;

