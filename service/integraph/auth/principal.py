"""The principal behind a request or a command, its role, and what that role allows.

Roles are ordered: each one can do what the ones before it can.
- reader: every query.
- editor: load documents, upsert and delete elements, record decisions, add and revoke
  waivers, submit a blueprint for review, in the blueprints it is scoped to.
- approver: what an editor can, and approve or request changes on a review.
- admin: everything, tokens included, in every blueprint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from integraph.errors import IntegraphError


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: Role) -> bool:
        """This role can do everything `other` can."""
        return self.rank >= other.rank


Via = Literal["token", "oidc", "anonymous", "local"]
"""How the principal was established; `local` is the CLI on the machine itself."""


class NotAuthenticated(IntegraphError):
    """No usable credential: missing, malformed, unknown, expired or revoked (HTTP 401)."""

    exit_code = 2
    code = "UNAUTHENTICATED"


class Forbidden(IntegraphError):
    """The principal is known but its role or blueprint scope does not allow this (HTTP 403)."""

    exit_code = 2
    code = "FORBIDDEN"


@dataclass(frozen=True)
class Principal:
    """Who is acting: a name for the audit trail, a role, and optionally a blueprint scope."""

    name: str
    role: Role
    blueprints: frozenset[str] | None = None
    """The blueprints this principal may change; None = every blueprint."""
    via: Via = "token"
    token_id: str | None = None

    def can(self, role: Role) -> bool:
        return self.role.includes(role)

    def may_change(self, blueprint: str) -> bool:
        """Whether writes to `blueprint` are within this principal's scope (role aside)."""
        return self.role is Role.ADMIN or self.blueprints is None or blueprint in self.blueprints

    def require(self, role: Role, blueprints: Iterable[str] = (), *, action: str) -> None:
        """Raise Forbidden unless this principal has `role` and may change every blueprint."""
        if not self.can(role):
            raise Forbidden(f"{action} needs the {role} role; {self.name} is a {self.role}")
        outside = sorted(b for b in set(blueprints) if not self.may_change(b))
        if outside:
            raise Forbidden(
                f"{action}: {self.name} may not change blueprint(s) {', '.join(outside)}"
            )


LOCAL_ADMIN = Principal(name="local", role=Role.ADMIN, via="local")
"""The CLI run on the machine itself: it has the database credentials anyway."""
