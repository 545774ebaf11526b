// The token not revoked that carries this name, if any (names are unique among them).
MATCH (t:ApiToken {active_name: $name})
RETURN t.id AS id
