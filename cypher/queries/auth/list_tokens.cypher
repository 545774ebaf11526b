// Every API token, revoked ones included, oldest first; never its salt or hash.
MATCH (t:ApiToken)
RETURN t.id AS id, t.name AS name, t.role AS role, t.blueprints AS blueprints,
       t.created AS created, t.created_by AS created_by, t.expires AS expires,
       t.revoked AS revoked, t.revoked_by AS revoked_by, t.last_used AS last_used
ORDER BY created, id
