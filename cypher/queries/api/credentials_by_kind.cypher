// Dashboard: credentials counted by kind and by rotation window (days; null: never rotated).
MATCH (c:Credential)
WHERE $blueprint IS NULL OR c.blueprint IN $blueprint
RETURN c.kind AS kind,
       CASE
         WHEN c.rotation_days IS NULL THEN 'none'
         WHEN c.rotation_days <= 30 THEN 'within_30_days'
         WHEN c.rotation_days <= 90 THEN 'within_90_days'
         WHEN c.rotation_days <= 365 THEN 'within_365_days'
         ELSE 'over_365_days'
       END AS rotation,
       count(*) AS count
ORDER BY kind, rotation
