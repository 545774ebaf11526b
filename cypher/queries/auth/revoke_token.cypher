// Revoke a token: it stops verifying at once, and its name is free for a new token.
MATCH (t:ApiToken {id: $id})
WHERE t.revoked IS NULL
SET t.revoked = datetime(), t.revoked_by = $by
REMOVE t.active_name
RETURN t.id AS id, t.name AS name, t.role AS role, t.blueprints AS blueprints,
       t.created AS created, t.created_by AS created_by, t.expires AS expires,
       t.revoked AS revoked, t.revoked_by AS revoked_by, t.last_used AS last_used
