// Every element of one blueprint with its kind label and properties.
MATCH (n:Element {blueprint: $blueprint})
RETURN [label IN labels(n) WHERE label <> 'Element'][0] AS label, properties(n) AS props
ORDER BY n.id
