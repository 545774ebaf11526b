// One audit run and, when $findings, its per-rule finding lists, as one value [run
// properties, [chunk properties, ...]]; null when there is no such run.
OPTIONAL MATCH (r:AuditRun {id: $id})
OPTIONAL MATCH (r)-[:HAS_FINDINGS]->(f:AuditFindings)
WHERE $findings
WITH r, f ORDER BY f.rule
WITH r, collect(properties(f)) AS chunks
RETURN CASE WHEN r IS NULL THEN null ELSE [properties(r), chunks] END AS run
