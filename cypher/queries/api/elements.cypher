// Elements by full identifier, with their kind label: the by-id loader of the GraphQL API.
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN id, properties(n) AS node, [label IN labels(n) WHERE label <> 'Element'][0] AS label
