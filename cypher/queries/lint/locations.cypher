// Where elements are defined (file and line), their kind and the blueprint that owns them,
// to place lint findings.
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id, n.source_file AS file, n.source_line AS line, n.blueprint AS blueprint,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind
