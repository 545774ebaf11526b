// A finding's history: every run whose findings hold $fingerprint, oldest first, as one
// value [[run properties, position data], ...].
MATCH (r:AuditRun)-[:HAS_FINDINGS]->(f:AuditFindings)
WHERE $fingerprint IN f.fingerprints
WITH r, f, [i IN range(0, size(f.fingerprints) - 1) WHERE f.fingerprints[i] = $fingerprint][0]
     AS i
WITH r, f, i ORDER BY r.started
RETURN collect([properties(r), {rule: f.rule, area: f.area, severity: f.severities[i],
  element: f.elements[i], blueprint: f.blueprints[i], team: f.teams[i],
  message: f.messages[i], status: f.statuses[i], mark: f.marks[i]}]) AS history
