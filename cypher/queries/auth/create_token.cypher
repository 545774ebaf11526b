// A new API token: only the salted hash of its secret is stored. `active_name` holds the
// name while the token is not revoked (unique: migration 007).
CREATE (t:ApiToken {
  id: $id, name: $name, active_name: $name, role: $role, blueprints: $blueprints,
  salt: $salt, hash: $hash, created: datetime(), created_by: $created_by, expires: $expires
})
RETURN t.id AS id, t.name AS name, t.role AS role, t.blueprints AS blueprints,
       t.created AS created, t.created_by AS created_by, t.expires AS expires,
       t.revoked AS revoked, t.revoked_by AS revoked_by, t.last_used AS last_used
