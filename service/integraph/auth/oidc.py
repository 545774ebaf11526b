"""OpenID Connect bearer tokens: verify a JWT from the configured issuer, make its principal.

The signature is checked against the issuer's published keys (JWKS, fetched and cached by
PyJWT's ``PyJWKClient``), with RS256 or ES256 only: never ``none`` nor a shared-secret HS*
algorithm. Then the issuer, the audience, ``exp`` and ``nbf`` (with ``LEEWAY_S`` of clock
skew) and a ``sub``. The role is the highest Integraph role named in the roles claim; the
blueprint scope is the blueprints claim (absent = every blueprint).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt

from integraph.auth.principal import NotAuthenticated, Principal, Role
from integraph.config import Settings
from integraph.errors import ConfigurationError

ALGORITHMS = ("RS256", "ES256")
LEEWAY_S = 30
JWKS_TIMEOUT_S = 10.0
JWKS_LIFESPAN_S = 300.0
"""How long the fetched key set is trusted before it is fetched again (a new key id seen
sooner fetches it at once, at most every 30 s)."""

_ROLES = {role.value: role for role in Role}
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def looks_like_jwt(text: str) -> bool:
    """Whether `text` has a JWT's shape (three base64url parts), unlike an `igt_` token."""
    return bool(_JWT.match(text))


def default_jwks_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/jwks.json"


class OidcVerifier:
    """Verifies bearer JWTs of one issuer and audience; one per process (it caches keys)."""

    def __init__(self, settings: Settings, *, jwks_client: jwt.PyJWKClient | None = None) -> None:
        if not settings.oidc_issuer:
            raise ConfigurationError("OIDC is off: set INTEGRAPH_OIDC_ISSUER to turn it on")
        if not settings.oidc_audience:
            # Without it any token the issuer made for any other client would be accepted.
            raise ConfigurationError(
                "INTEGRAPH_OIDC_AUDIENCE is required with INTEGRAPH_OIDC_ISSUER: the client "
                "id (or API identifier) the issuer puts in the tokens meant for Integraph"
            )
        self.issuer = settings.oidc_issuer
        self.audience = settings.oidc_audience
        self.jwks_url = settings.oidc_jwks_url or default_jwks_url(self.issuer)
        self.roles_claim = settings.oidc_roles_claim
        self.blueprints_claim = settings.oidc_blueprints_claim
        try:
            self._keys = jwks_client or jwt.PyJWKClient(
                self.jwks_url, lifespan=JWKS_LIFESPAN_S, timeout=JWKS_TIMEOUT_S
            )
        except jwt.PyJWKClientError as exc:
            raise ConfigurationError(f"INTEGRAPH_OIDC_JWKS_URL {self.jwks_url}: {exc}") from None

    async def verify_async(self, bearer: str) -> Principal:
        """``verify`` in a worker thread: fetching the key set blocks."""
        return await asyncio.to_thread(self.verify, bearer)

    def verify(self, bearer: str) -> Principal:
        """The principal behind a bearer JWT; NotAuthenticated says what is wrong with it."""
        claims = self._verified_claims(bearer)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise NotAuthenticated("the bearer token has no subject (sub)")
        username = claims.get("preferred_username")
        shown = username if isinstance(username, str) and username else subject
        return Principal(
            name=f"oidc:{shown}",
            role=self._role(claims),
            blueprints=self._blueprints(claims),
            via="oidc",
        )

    def _verified_claims(self, bearer: str) -> dict[str, Any]:
        if not looks_like_jwt(bearer):
            raise NotAuthenticated("the bearer token is not a JWT")
        try:
            header = jwt.get_unverified_header(bearer)
        except jwt.DecodeError:
            raise NotAuthenticated("the bearer token is a malformed JWT") from None
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise NotAuthenticated(
                f"the bearer token is signed with {algorithm!r}; Integraph accepts "
                f"{' and '.join(ALGORITHMS)} only"
            )
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise NotAuthenticated("the bearer token names no signing key (kid)")
        key = self._signing_key(kid)
        try:
            return jwt.decode(
                bearer,
                key,
                algorithms=list(ALGORITHMS),
                issuer=self.issuer,
                audience=self.audience,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.InvalidSignatureError:
            raise NotAuthenticated(
                f"the bearer token's signature does not verify with the issuer's key {kid!r}"
            ) from None
        except jwt.ExpiredSignatureError:
            raise NotAuthenticated(f"the bearer token expired at {_when(bearer, 'exp')}") from None
        except jwt.ImmatureSignatureError:  # nbf, or iat, in the future
            claim = "nbf" if "nbf" in _unverified(bearer) else "iat"
            raise NotAuthenticated(
                f"the bearer token is not valid before {_when(bearer, claim)}"
            ) from None
        except jwt.InvalidIssuerError:
            issuer = _unverified(bearer).get("iss")
            raise NotAuthenticated(
                f"the bearer token was issued by {issuer!r}, not by {self.issuer!r}"
            ) from None
        except jwt.InvalidAudienceError:
            audience = _unverified(bearer).get("aud")
            raise NotAuthenticated(
                f"the bearer token is meant for audience {audience!r}, not {self.audience!r}"
            ) from None
        except jwt.MissingRequiredClaimError as exc:
            raise NotAuthenticated(f"the bearer token lacks the claim {exc.claim!r}") from None
        except jwt.InvalidAlgorithmError as exc:
            raise NotAuthenticated(f"the bearer token's algorithm is refused: {exc}") from None
        except (jwt.InvalidTokenError, jwt.InvalidKeyError) as exc:
            raise NotAuthenticated(f"the bearer token is invalid: {exc}") from None

    def _signing_key(self, kid: str) -> jwt.PyJWK:
        try:
            return self._keys.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise NotAuthenticated(
                f"cannot fetch the issuer's signing keys from {self.jwks_url}: {exc}"
            ) from None
        except jwt.PyJWKClientError as exc:
            if "Unable to find a signing key" in str(exc):
                raise NotAuthenticated(
                    f"the bearer token is signed with key {kid!r}, which the issuer does not "
                    f"publish at {self.jwks_url}"
                ) from None
            raise NotAuthenticated(
                f"the issuer's key set at {self.jwks_url} is unusable: {exc}"
            ) from None
        except jwt.PyJWTError as exc:  # a key set that does not parse (PyJWKSetError...)
            raise NotAuthenticated(
                f"the issuer's key set at {self.jwks_url} is unusable: {exc}"
            ) from None

    def _role(self, claims: Mapping[str, Any]) -> Role:
        value = _claim(claims, self.roles_claim)
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        known = [_ROLES[n.lower()] for n in names if isinstance(n, str) and n.lower() in _ROLES]
        if not known:
            raise NotAuthenticated(
                f"the token carries no Integraph role in claim {self.roles_claim!r} "
                f"(one of {', '.join(r.value for r in Role)})"
            )
        return max(known, key=lambda role: role.rank)

    def _blueprints(self, claims: Mapping[str, Any]) -> frozenset[str] | None:
        value = _claim(claims, self.blueprints_claim)
        if value is None:
            return None
        if isinstance(value, str):
            return frozenset({value})
        if isinstance(value, list) and all(isinstance(b, str) for b in value):
            return frozenset(value)  # an empty list: no blueprint may be changed
        raise NotAuthenticated(
            f"the token's claim {self.blueprints_claim!r} is not a list of blueprint ids"
        )


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """The claim `name`, or, when there is none by that name, the nested claim it is a dotted
    path to (Keycloak's `realm_access.roles`); claim names may contain dots (URLs)."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _unverified(bearer: str) -> dict[str, Any]:
    return jwt.decode(bearer, options={"verify_signature": False})


def _when(bearer: str, claim: str) -> str:
    moment = _unverified(bearer).get(claim)
    if not isinstance(moment, int | float):
        return "(no valid time in the token)"
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")
