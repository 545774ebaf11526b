"""Who sent a request: an Integraph API token, an OIDC bearer JWT, or nobody (anonymous read)."""

from __future__ import annotations

from collections.abc import Mapping

from integraph.auth.oidc import OidcVerifier, looks_like_jwt
from integraph.auth.principal import NotAuthenticated, Principal, Role
from integraph.auth.tokens import verify_token
from integraph.config import Settings
from integraph.store.driver import Store

ANONYMOUS = Principal(name="anonymous", role=Role.READER, blueprints=frozenset(), via="anonymous")
"""A request without a token where anonymous read is on: it may read, and change nothing."""


class Authenticator:
    """Turns a request's Authorization header into a principal, or raises NotAuthenticated."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.oidc = OidcVerifier(settings) if settings.oidc_issuer else None

    async def principal(self, headers: Mapping[str, str]) -> Principal:
        header = headers.get("authorization")
        if not header:
            if self.settings.anonymous_read:
                return ANONYMOUS
            raise NotAuthenticated(
                "this API needs a token: send `Authorization: Bearer <token>` "
                "(create one with `integraph token create`)"
            )
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value or " " in value:
            raise NotAuthenticated("malformed Authorization header: expected `Bearer <token>`")
        if value.startswith("igt_"):
            return await verify_token(self.store, value)
        if looks_like_jwt(value):
            if self.oidc is None:
                raise NotAuthenticated(
                    "a JWT was sent but no OIDC issuer is configured (INTEGRAPH_OIDC_ISSUER)"
                )
            return await self.oidc.verify_async(value)
        raise NotAuthenticated("the bearer token is neither an Integraph API token nor a JWT")
