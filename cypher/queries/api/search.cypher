// Full-text search over names, descriptions and titles (the element_text index), best first.
// $text is Lucene query syntax; special characters are escaped in Python unless asked not to.
CALL db.index.fulltext.queryNodes('element_text', $text) YIELD node, score
WHERE ($labels IS NULL OR any(label IN labels(node) WHERE label IN $labels))
  AND ($blueprint IS NULL OR node.blueprint IN $blueprint)
RETURN properties(node) AS node, [label IN labels(node) WHERE label <> 'Element'][0] AS label,
       score
ORDER BY score DESC, node.id
LIMIT $first
