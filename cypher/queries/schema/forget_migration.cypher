// Forget that a migration was applied (tests of the schema check; its statements stay).
MATCH (m:SchemaMigration {version: $version})
DELETE m
