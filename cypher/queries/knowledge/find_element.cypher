// The elements a user's id may name: the full identifier itself, or the short id in any
// blueprint (`crm` -> `landscape:crm`, `card-payments:crm`).
MATCH (b:Blueprint)
WITH [$text] + collect(b.id + ':' + $text) AS ids
UNWIND ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id, n.blueprint AS blueprint,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind
ORDER BY id
