// The kind label of each of $ids that exists (full identifiers), to check references into
// other blueprints.
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id, [label IN labels(n) WHERE label <> 'Element'][0] AS label
