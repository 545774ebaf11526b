"""API tokens: create, list and revoke them, and verify the one a request presents.

A token reads ``igt_<id>_<secret>``: ``id`` is public (12 hex characters: the node's key,
shown by ``integraph token list``), ``secret`` is 32 random bytes in base64url. The graph
keeps only a salted hash of the secret, so a token is shown once, when it is created.

Expiry is a date: a token is valid through the end of that day in UTC, and refused from
00:00 UTC the day after.

Verifying runs on every API request: it is one read of one node by its indexed id. There is
no cache, so a revocation is seen by every process at its next request. When a token was
last used is recorded at most once per ``LAST_USED_RESOLUTION``, so that nearly every
verification stays that one read.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from integraph.auth.principal import NotAuthenticated, Principal, Role
from integraph.errors import CypherError, DatabaseUnavailable, IntegraphError, QueryFailed
from integraph.store.driver import Row, Store, Tx

PREFIX = "igt"
LAST_USED_RESOLUTION = timedelta(hours=1)

_PRESENTED = re.compile(r"^igt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$")
_LOOKS_LIKE_ID = re.compile(r"^[0-9a-f]{12}$")
BLUEPRINT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

Status = Literal["active", "expired", "revoked"]
log = logging.getLogger(__name__)


class TokenError(IntegraphError):
    """A token request that cannot be done as asked (bad name, role, scope or date)."""

    exit_code = 2
    code = "BAD_USER_INPUT"


class UnknownToken(TokenError):
    """No token has that id or name."""

    code = "NOT_FOUND"


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about a token: never its secret or hash."""

    id: str
    name: str
    role: Role
    blueprints: tuple[str, ...] | None
    """The blueprints the token may change, sorted; None = every blueprint."""
    created: datetime
    created_by: str
    expires: date | None
    """The last day (UTC) the token is valid; None = it does not expire."""
    revoked: datetime | None = None
    revoked_by: str | None = None
    last_used: datetime | None = None

    def status(self, today: date | None = None) -> Status:
        if self.revoked is not None:
            return "revoked"
        if self.expires is not None and _expired(self.expires, today or utc_today()):
            return "expired"
        return "active"


@dataclass(frozen=True)
class CreatedToken:
    """A token just created: ``token`` is the full string, shown this once and never again."""

    token: str
    info: TokenInfo

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return f"CreatedToken(token='igt_{self.info.id}_…', info={self.info!r})"


def utc_today() -> date:
    return datetime.now(UTC).date()


async def create_token(
    store: Store,
    *,
    name: str,
    role: Role | str,
    blueprints: Iterable[str] | None = None,
    expires: date | None = None,
    created_by: str,
) -> CreatedToken:
    """Create a token and return it with its secret (stored only as a salted hash)."""
    chosen = _role(role)
    scope = _scope(blueprints, chosen)
    _check_name(name)
    if expires is not None and _expired(expires, utc_today()):
        raise TokenError(f"the expiry date {expires.isoformat()} is already past")

    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)

    async def work(tx: Tx) -> Row:
        if await tx.run("queries/auth/active_token_named", name=name):
            raise _name_taken(name)
        (row,) = await tx.run(
            "queries/auth/create_token",
            id=token_id,
            name=name,
            role=chosen.value,
            blueprints=list(scope) if scope is not None else None,
            salt=salt,
            hash=_hash(salt, secret),
            created_by=created_by,
            expires=expires,
        )
        return row

    try:
        row = await store.write_transaction(work)
    except CypherError as exc:
        if "ConstraintValidationFailed" in exc.code:  # created at the same moment elsewhere
            raise _name_taken(name) from None
        raise
    return CreatedToken(token=f"{PREFIX}_{token_id}_{secret}", info=_info(row))


async def list_tokens(store: Store) -> list[TokenInfo]:
    """Every token, revoked ones included, oldest first."""
    return [_info(row) for row in await store.read("queries/auth/list_tokens")]


async def revoke_token(store: Store, name_or_id: str, *, by: str) -> TokenInfo:
    """Revoke the token with this id, or the one not revoked with this name."""

    async def work(tx: Tx) -> Row:
        found = await tx.run("queries/auth/find_tokens", key=name_or_id)
        live = [row for row in found if row["revoked"] is None]
        if not live:
            if not found:
                raise UnknownToken(
                    f"no API token has the id or name '{name_or_id}' (see `integraph token list`)"
                )
            gone = found[-1]
            raise TokenError(
                f"API token '{gone['name']}' ({gone['id']}) was already revoked on "
                f"{_day(gone['revoked'])} by {gone['revoked_by']}"
            )
        (row,) = await tx.run("queries/auth/revoke_token", id=live[0]["id"], by=by)
        return row

    return _info(await store.write_transaction(work))


async def verify_token(store: Store, presented: str, *, now: datetime | None = None) -> Principal:
    """The principal behind a presented ``igt_`` token; NotAuthenticated says why not.

    Whether a token is revoked or expired is told only to someone who holds its secret.
    """
    now = _utc(now)
    match = _PRESENTED.match(presented)
    if match is None:
        raise NotAuthenticated("malformed API token: expected igt_<id>_<secret>")
    token_id, secret = match.groups()
    rows = await store.read("queries/auth/token_for_verification", id=token_id)
    if not rows:
        raise NotAuthenticated(f"unknown API token {token_id}")
    row = rows[0]
    if not hmac.compare_digest(_hash(row["salt"], secret), row["hash"]):
        raise NotAuthenticated(f"wrong secret for API token {token_id}")
    label = f"API token '{row['name']}' ({token_id})"
    if row["revoked"] is not None:
        raise NotAuthenticated(f"{label} was revoked on {_day(row['revoked'])}")
    if row["expires"] is not None and _expired(row["expires"], now.date()):
        raise NotAuthenticated(f"{label} expired on {row['expires'].isoformat()}")
    try:
        role = Role(row["role"])
    except ValueError:
        raise NotAuthenticated(f"{label} has an unknown role '{row['role']}'") from None
    last_used = row["last_used"]
    if last_used is None or last_used < now - LAST_USED_RESOLUTION:
        await _record_use(store, token_id, now)
    scope = row["blueprints"]
    return Principal(
        name=f"token:{row['name']}",
        role=role,
        blueprints=frozenset(scope) if scope is not None else None,
        via="token",
        token_id=token_id,
    )


# Plain SHA-256 (as an HMAC keyed by the salt) rather than a slow KDF: a secret of 256
# random bits cannot be guessed, so the slowness that protects human passwords buys nothing
# here and would cost every API request.
def _hash(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode("ascii"), hashlib.sha256).hexdigest()


async def _record_use(store: Store, token_id: str, now: datetime) -> None:
    # Bookkeeping only: a request must not fail because this write did (the leader of a
    # cluster being elected, say) when the read that authenticated it worked.
    try:
        await store.write(
            "queries/auth/touch_token",
            id=token_id,
            now=now,
            stale_before=now - LAST_USED_RESOLUTION,
        )
    except (DatabaseUnavailable, QueryFailed) as exc:
        log.warning("could not record the use of API token %s: %s", token_id, exc)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise TokenError(
            f"unknown role '{role}': use one of {', '.join(r.value for r in Role)}"
        ) from None


def _scope(blueprints: Iterable[str] | None, role: Role) -> tuple[str, ...] | None:
    if blueprints is None:
        return None
    scope = tuple(sorted(set(blueprints)))
    if not scope:
        raise TokenError("an empty blueprint scope allows no change: give None for every one")
    if role in (Role.READER, Role.ADMIN):
        raise TokenError(
            f"{role} tokens cannot be scoped to blueprints: readers change none and admins "
            "change every one"
        )
    bad = [b for b in scope if not BLUEPRINT_ID.match(b)]
    if bad:
        raise TokenError(
            f"not a blueprint id: {', '.join(repr(b) for b in bad)} "
            "(lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)"
        )
    return scope


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise TokenError(
            f"'{name}' is not a token name: up to 64 letters, digits, '.', '_', '@', ':' "
            "and '-', starting with a letter or digit"
        )
    if _LOOKS_LIKE_ID.match(name):
        raise TokenError(f"'{name}' would read as a token id: choose another name")


def _name_taken(name: str) -> TokenError:
    return TokenError(
        f"an API token named '{name}' exists and is not revoked: choose another name or "
        f"revoke it first (`integraph token revoke {name}`)"
    )


def _expired(expires: date, today: date) -> bool:
    return today > expires


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()


def _info(row: dict[str, Any]) -> TokenInfo:
    scope = row["blueprints"]
    return TokenInfo(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        blueprints=tuple(scope) if scope is not None else None,
        created=row["created"],
        created_by=row["created_by"],
        expires=row["expires"],
        revoked=row["revoked"],
        revoked_by=row["revoked_by"],
        last_used=row["last_used"],
    )
