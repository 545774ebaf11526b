// Take the lease of a scope for one period: granted when the lease has never run that period,
// or its holder took it for that period and neither finished nor renewed before it expired
// (a crashed holder). The first SET takes the node's write lock, so two schedulers racing
// are serialised here and the second reads what the first committed.
MERGE (l:AuditLease {scope_key: $scope_key})
SET l.contended = coalesce(l.contended, 0) + 1
WITH l,
     l.period IS NULL OR l.period < $period
     OR (l.period = $period AND NOT coalesce(l.done, false) AND l.expires < $now) AS free
SET l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.period = CASE WHEN free THEN $period ELSE l.period END,
    l.expires = CASE WHEN free THEN $expires ELSE l.expires END,
    l.done = CASE WHEN free THEN false ELSE l.done END
RETURN free AS taken
