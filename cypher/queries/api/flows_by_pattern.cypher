// Dashboard: flows counted by pattern.
MATCH (f:Flow)
WHERE $blueprint IS NULL OR f.blueprint IN $blueprint
RETURN f.pattern AS key, count(*) AS count
ORDER BY count DESC, key
