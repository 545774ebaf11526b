// Audit runs newest first, of one scope ($scope_key) or all (null), without their findings.
MATCH (r:AuditRun)
WHERE $scope_key IS NULL OR r.scope_key = $scope_key
WITH r ORDER BY r.started DESC LIMIT $limit
RETURN collect(properties(r)) AS runs
