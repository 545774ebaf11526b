// The newest complete run of a scope started before $before (an ISO timestamp) with its
// per-rule finding lists, as one value: [run id, [chunk properties, ...]], or null when
// there is none.
MATCH (r:AuditRun {scope_key: $scope_key})
WHERE r.status = 'complete' AND r.started < $before
WITH r ORDER BY r.started DESC LIMIT 1
WITH collect(r)[0] AS r
OPTIONAL MATCH (r)-[:HAS_FINDINGS]->(f:AuditFindings)
WITH r, collect(properties(f)) AS chunks
RETURN CASE WHEN r IS NULL THEN null ELSE [r.id, chunks] END AS previous
