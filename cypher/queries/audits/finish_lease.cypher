// The holder of a scope's lease has run its period: nobody takes that period again.
MATCH (l:AuditLease {scope_key: $scope_key, holder: $holder, period: $period})
SET l.done = true
RETURN count(l) AS finished
