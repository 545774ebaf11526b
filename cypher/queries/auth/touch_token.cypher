// Record that a token was used, unless that was recorded since $stale_before (the record is
// coarse so that verification stays a read on almost every request).
MATCH (t:ApiToken {id: $id})
WHERE t.last_used IS NULL OR t.last_used < $stale_before
SET t.last_used = $now
