// Elements of a blueprint whose ids are no longer in its files (for --prune), with their
// kind label (for the audit trail).
MATCH (n:Element {blueprint: $blueprint})
WHERE NOT n.id IN $ids
RETURN n.id AS id, [label IN labels(n) WHERE label <> 'Element'][0] AS label
ORDER BY id
