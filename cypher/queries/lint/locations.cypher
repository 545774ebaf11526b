// Where elements are defined (file and line) and their kind, to place lint findings.
UNWIND $ids AS id
MATCH (n:Element {id: id})
RETURN n.id AS id, n.source_file AS file, n.source_line AS line,
       [label IN labels(n) WHERE label <> 'Element'][0] AS kind
