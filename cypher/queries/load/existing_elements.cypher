// The elements that already exist among the ids about to be loaded, with their kind label,
// owning blueprint and content hash (to tell created, updated and unchanged apart).
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id,
       [label IN labels(n) WHERE label <> 'Element'][0] AS label,
       n.blueprint AS blueprint,
       n.content_hash AS content_hash
