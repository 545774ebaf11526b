// Inside a scratch transaction that is always rolled back: remove every element except those
// of the blueprints in $keep (those the linted files use), so that the blueprint rows written
// next are linted alone, over what they build on. Schema bookkeeping stays, and so does the
// audit trail (no rule reads it: deleting it would only make the scratch slower).
MATCH (n)
WHERE NOT n:SchemaMigration AND NOT n:AuditEntry AND NOT n:AuditChange
  AND NOT (n:Element AND n.blueprint IN $keep)
DETACH DELETE n
