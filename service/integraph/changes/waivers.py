"""Waivers through the service: accept a lint finding with a justification, or revoke that.

A waiver is an element of its blueprint (it accepts that blueprint's findings only, see
``lint/waivers.py``). Adding one refuses an id that exists (replace a waiver with
``upsert_element``) and a waiver that has already expired; revoking deletes it, with the reason
in the audit entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from integraph.auth.principal import Principal, Role
from integraph.changes.elements import (
    ElementChange,
    element_address,
    remove_element,
    write_element,
)
from integraph.changes.errors import MutationRefused, Problem
from integraph.model import qualify
from integraph.store.driver import Store


async def add_waiver(
    store: Store,
    principal: Principal,
    blueprint: str,
    data: Mapping[str, Any],
    *,
    today: datetime.date | None = None,
) -> ElementChange:
    """Add the waiver ``data`` describes (rule, element or fingerprint, justification, ...)."""
    principal.require(Role.EDITOR, [blueprint], action="adding a waiver")
    expires = _date(data.get("expires"))
    day = today or datetime.date.today()
    if expires is not None and expires < day:
        element = qualify(blueprint, str(data.get("id", "?")))
        raise MutationRefused(
            f"add_waiver of waiver '{element}'",
            [
                Problem(
                    f"the waiver expired on {expires.isoformat()}: it would cover nothing "
                    "(give a later date, or none)",
                    element,
                    "expires",
                )
            ],
        )
    return await write_element(
        store, principal, blueprint, "waivers", data, "add_waiver", create_only=True
    )


async def revoke_waiver(
    store: Store, principal: Principal, full_id: str, reason: str
) -> ElementChange:
    """Delete the waiver ``full_id``; ``reason`` goes into the audit entry."""
    blueprint, local = element_address(full_id, "revoke_waiver")
    principal.require(Role.EDITOR, [blueprint], action="revoking a waiver")
    if not reason or not reason.strip():
        raise MutationRefused(
            f"revoke_waiver of '{full_id}'",
            [Problem("say why the waiver is revoked", field="reason", code="missing_field")],
        )
    return await remove_element(
        store,
        principal,
        blueprint,
        local,
        "revoke_waiver",
        section="waivers",
        comment=reason.strip(),
    )


def _date(value: Any) -> datetime.date | None:
    """The expiry as a date; anything unreadable is left to the model's validation."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None
