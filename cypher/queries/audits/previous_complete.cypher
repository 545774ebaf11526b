// The newest complete run of a scope started before $before (an ISO timestamp), with the
// findings it saw (not those it marked resolved), as one value: [run id, [[fingerprint,
// status], ...]], or null when there is none.
MATCH (r:AuditRun {scope_key: $scope_key})
WHERE r.status = 'complete' AND r.started < $before
WITH r ORDER BY r.started DESC LIMIT 1
WITH collect(r)[0] AS r
OPTIONAL MATCH (r)-[:HAS_FINDINGS]->(f:AuditFindings)
WITH r, f, range(0, size(coalesce(f.fingerprints, [])) - 1) AS positions
WITH r, [i IN positions WHERE f.marks[i] <> 'resolved' | [f.fingerprints[i], f.statuses[i]]]
     AS seen
WITH r, collect(seen) AS chunks
RETURN CASE WHEN r IS NULL THEN null
            ELSE [r.id, reduce(all = [], c IN chunks | all + c)] END AS previous
