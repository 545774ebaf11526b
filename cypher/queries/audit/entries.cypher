// Audit entries, newest first, narrowed by blueprint, actor and time (a null filter lets
// everything through) and paged: only entries older than the cursor ($cursor_at, $cursor_id:
// the last entry of the previous page). The lists of ids of truncated entries stay out.
MATCH (e:AuditEntry)
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
         MATCH (e)-[:CHANGED]->(c:AuditChange)
         WITH c ORDER BY c.position
         RETURN properties(c) AS change
       } AS changes,
       null AS listed
ORDER BY entry.at DESC, entry.id DESC
