// What verifying a presented token needs, by its public id (one index seek): run on every
// API request that carries an `igt_` token.
MATCH (t:ApiToken {id: $id})
RETURN t.id AS id, t.name AS name, t.role AS role, t.blueprints AS blueprints,
       t.salt AS salt, t.hash AS hash, t.expires AS expires, t.revoked AS revoked,
       t.last_used AS last_used
