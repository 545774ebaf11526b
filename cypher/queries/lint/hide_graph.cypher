// Inside a scratch transaction that is always rolled back: remove every element except those
// of the blueprints in $keep (those the linted files use), so that the blueprint rows written
// next are linted alone, over what they build on. Schema bookkeeping stays, and so do API
// tokens (deleting them, even in a transaction rolled back, would lock them for its length
// and hold up every API request that records a token's use) and the audit trail (no rule
// reads it: deleting it would only make the scratch slower).
MATCH (n)
WHERE NOT n:SchemaMigration AND NOT n:ApiToken AND NOT n:AuditEntry AND NOT n:AuditChange
  AND NOT (n:Element AND n.blueprint IN $keep)
DETACH DELETE n
