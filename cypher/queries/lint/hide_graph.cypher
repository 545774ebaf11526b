// Inside a scratch transaction that is always rolled back: remove every element, so that the
// blueprint rows written next are linted alone. Schema bookkeeping stays.
MATCH (n)
WHERE NOT n:SchemaMigration
DETACH DELETE n
