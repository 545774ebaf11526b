// The tokens a user's NAME_OR_ID may mean: the one with that id, the one not revoked with
// that name, and any revoked ones that had that name (to say why they cannot be revoked).
CALL () {
  MATCH (t:ApiToken {id: $key})
  RETURN t
  UNION
  MATCH (t:ApiToken {name: $key})
  RETURN t
}
RETURN t.id AS id, t.name AS name, t.role AS role, t.blueprints AS blueprints,
       t.created AS created, t.created_by AS created_by, t.expires AS expires,
       t.revoked AS revoked, t.revoked_by AS revoked_by, t.last_used AS last_used
ORDER BY created, id
