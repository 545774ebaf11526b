"""Who is asking: API tokens, OIDC bearer tokens, roles, the blueprints one may change."""
