"""The audit trail: who changed what, when, how and through which operation, newest first.

Every change (a load, an element mutation, a decision, a waiver, a review step) writes an
entry in its own transaction; ``store/audit.py`` says how entries are stored and bounded.
This module reads them: ``audit_trail`` narrows by element, blueprint, actor and time, and
pages with the id of the last entry seen.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from integraph.auth.principal import Principal
from integraph.changes.errors import NotFound
from integraph.errors import IntegraphError
from integraph.model import split_reference
from integraph.store.audit import AuditContext
from integraph.store.driver import Store

MAX_LIMIT = 1_000
"""Entries one call returns at most."""


def audit_context(principal: Principal, operation: str) -> AuditContext:
    """What the audit entry of `operation` done by `principal` says about who did it."""
    return AuditContext(actor=principal.name, via=principal.via, operation=operation)


@dataclass(frozen=True)
class AuditChange:
    """One element an entry changed, with its state before and after when recorded (see
    ``store/audit.State``; None: it did not exist, or the entry was truncated there)."""

    element: str
    kind: str | None
    change: str
    """created, updated or deleted."""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    def differences(self) -> dict[str, tuple[Any, Any]]:
        """The properties that differ between before and after (`relationships` for the
        relationships as a whole): name -> (before, after)."""
        old = (self.before or {}).get("properties", {})
        new = (self.after or {}).get("properties", {})
        found = {k: (old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys())}
        found = {k: pair for k, pair in found.items() if pair[0] != pair[1]}
        old_rels = (self.before or {}).get("relationships", [])
        new_rels = (self.after or {}).get("relationships", [])
        if old_rels != new_rels:
            found["relationships"] = (old_rels, new_rels)
        return found


@dataclass(frozen=True)
class AuditEntry:
    """One change to one blueprint."""

    id: str
    at: datetime.datetime
    actor: str
    via: str
    operation: str
    blueprint: str
    summary: str
    comment: str | None
    """The reason given (a revoked waiver), or the comment of a review step."""
    created: int
    updated: int
    deleted: int
    truncated: bool
    """More elements changed than ``changes`` details (see ``store/audit.MAX_DETAILED``)."""
    changes: tuple[AuditChange, ...]


async def audit_trail(
    store: Store,
    *,
    element: str | None = None,
    blueprint: str | None = None,
    actor: str | None = None,
    since: datetime.date | datetime.datetime | None = None,
    limit: int = 100,
    before_cursor: str | None = None,
) -> list[AuditEntry]:
    """The entries matching every filter given, newest first; `element` is a full identifier,
    `before_cursor` the id of the last entry of the previous page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise IntegraphError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    cursor_at = cursor_id = None
    if before_cursor is not None:
        found = await store.read("queries/audit/entry", id=before_cursor)
        if not found:
            raise NotFound(f"no audit entry '{before_cursor}' to page from")
        # As written (a UTC offset): the driver reads it back with a named zone, which Neo4j
        # does not compare equal to the same instant at an offset.
        cursor_at, cursor_id = found[0]["at"].astimezone(datetime.UTC), found[0]["id"]
    params: dict[str, Any] = {
        "blueprint": blueprint,
        "actor": actor,
        "since": _moment(since),
        "limit": limit,
        "cursor_at": cursor_at,
        "cursor_id": cursor_id,
    }
    if element is None:
        rows = await store.read("queries/audit/entries", **params)
    else:
        rows = await store.read(
            "queries/audit/element_entries", element=element, owner=_owner(element), **params
        )
    return [_entry(row, element) for row in rows]


def _entry(row: dict[str, Any], element: str | None) -> AuditEntry:
    data = row["entry"]
    changes = [
        AuditChange(
            element=c["element"],
            kind=c.get("kind"),
            change=c["change"],
            before=_json(c.get("before")),
            after=_json(c.get("after")),
        )
        for c in row["changes"]
    ]
    if element is not None and row.get("listed") is not None:
        changes.append(AuditChange(element=element, kind=None, change=row["listed"]))
    return AuditEntry(
        id=data["id"],
        at=data["at"],
        actor=data["actor"],
        via=data["via"],
        operation=data["operation"],
        blueprint=data["blueprint"],
        summary=data["summary"],
        comment=data.get("comment"),
        created=int(data.get("created") or 0),
        updated=int(data.get("updated") or 0),
        deleted=int(data.get("deleted") or 0),
        truncated=bool(data.get("truncated")),
        changes=tuple(changes),
    )


def _owner(element: str) -> str:
    """The blueprint an id belongs to: `shop:crm` -> shop; `shop` and `shop#review-1` -> shop."""
    namespace, local = split_reference(element)
    return namespace or local.partition("#")[0]


def _moment(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """A date is its first moment in UTC; a time without a zone is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def _json(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)
