// The audit entries that changed one element ($element, a full identifier), newest first:
// those with a change node for it (index on AuditChange.element), and the truncated entries
// of its blueprint ($owner) that list it among their ids only (`listed`: how it changed
// there), each with its change of that element only. Filters and paging as in
// entries.cypher.
CALL () {
  MATCH (:AuditChange {element: $element})<-[:CHANGED]-(e:AuditEntry)
  RETURN e
  UNION
  MATCH (e:AuditEntry {blueprint: $owner})
  WHERE e.truncated
    AND ($element IN coalesce(e.more_created, []) OR $element IN coalesce(e.more_updated, [])
         OR $element IN coalesce(e.more_deleted, []))
  RETURN e
}
WITH e
WHERE ($blueprint IS NULL OR e.blueprint = $blueprint)
  AND ($actor IS NULL OR e.actor = $actor)
  AND ($since IS NULL OR e.at >= $since)
  AND ($cursor_at IS NULL OR e.at < $cursor_at OR (e.at = $cursor_at AND e.id < $cursor_id))
WITH e
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
RETURN e {.id, .at, .actor, .via, .operation, .blueprint, .summary, .comment,
          .created, .updated, .deleted, .truncated} AS entry,
       COLLECT {
         MATCH (e)-[:CHANGED]->(c:AuditChange {element: $element})
         RETURN properties(c) AS change
       } AS changes,
       CASE
         WHEN $element IN coalesce(e.more_created, []) THEN 'created'
         WHEN $element IN coalesce(e.more_updated, []) THEN 'updated'
         WHEN $element IN coalesce(e.more_deleted, []) THEN 'deleted'
       END AS listed
ORDER BY entry.at DESC, entry.id DESC
