// Delete every node and relationship except the schema bookkeeping (tests isolate this way,
// since Neo4j Community has a single user database).
MATCH (n)
WHERE NOT n:SchemaMigration
DETACH DELETE n
