// Up to $batch runs beyond the newest $keep of each scope or started before $cutoff (either
// may be null), deleted with their findings and alert deliveries. Returns how many.
MATCH (r:AuditRun)
WITH r.scope_key AS scope, r ORDER BY r.started DESC
WITH scope, collect(r) AS runs
UNWIND range(0, size(runs) - 1) AS position
WITH runs[position] AS r, position
WHERE ($keep IS NOT NULL AND position >= $keep) OR ($cutoff IS NOT NULL AND r.started < $cutoff)
WITH r LIMIT $batch
OPTIONAL MATCH (r)-[:HAS_FINDINGS]->(f:AuditFindings)
OPTIONAL MATCH (d:AlertDelivery {run: r.id})
DETACH DELETE f, d
WITH DISTINCT r
DETACH DELETE r
RETURN count(*) AS pruned
