// API tokens (integraph.auth.tokens): not blueprint elements, so no :Element label. Looked
// up by id on every API request. A token's name is unique among the tokens not revoked: it
// is kept in `active_name` too, which revocation removes (Community has no conditional
// uniqueness, and a uniqueness constraint ignores nodes without the property).
CREATE CONSTRAINT api_token_id IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;

CREATE CONSTRAINT api_token_active_name IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.active_name IS UNIQUE;
