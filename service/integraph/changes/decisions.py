"""Recording architecture decisions, and what superseding another decision does to it.

A decision is an element like any other (``elements.write_element``); what this adds is
supersession. An *accepted* decision that supersedes others marks each of them `superseded`
(the status the model gives a replaced record, and what rules ADR-02 and ADR-03 read), in the
same change and the same audit entry, when it belongs to the same blueprint. A superseded
decision of another blueprint keeps its status (it is that blueprint's to change; the result
says so in its notices). A proposed decision supersedes nothing yet, a rejected one never did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from integraph.auth.principal import Principal, Role
from integraph.changes.apply import Content
from integraph.changes.elements import ElementChange, write_element
from integraph.model import DecisionStatus, Landscape, localize, qualify, split_reference
from integraph.store.driver import Store


async def record_decision(
    store: Store, principal: Principal, blueprint: str, data: Mapping[str, Any]
) -> ElementChange:
    """Create or replace the decision ``data`` describes; if it is accepted, the decisions of
    this blueprint it supersedes become `superseded` (listed in ``also_changed``)."""
    principal.require(Role.EDITOR, [blueprint], action="recording a decision")
    local = localize(blueprint, str(data.get("id", "")))
    superseded: list[str] = []
    notices: list[str] = []

    def supersede(content: Content, stored: Landscape) -> None:
        superseded.clear()  # the driver may run the transaction again
        notices.clear()
        decisions = content.get("decisions", [])
        decision = next(d for d in decisions if d["id"] == local)
        if decision.get("status") != DecisionStatus.ACCEPTED:
            return
        for reference in decision.get("supersedes") or []:
            target = localize(blueprint, str(reference))
            owner, _ = split_reference(target)
            if owner is not None:
                notices.append(
                    f"'{target}' belongs to blueprint '{owner}': its status is left as it is "
                    "(change it there)"
                )
                continue
            old = next((d for d in decisions if d["id"] == target), None)
            if old is not None and old.get("status") != DecisionStatus.SUPERSEDED:
                old["status"] = DecisionStatus.SUPERSEDED.value
                superseded.append(qualify(blueprint, target))
        # A dangling `supersedes` entry is reported by the validation that follows.

    change = await write_element(
        store, principal, blueprint, "decisions", data, "record_decision", then=supersede
    )
    return dataclasses.replace(
        change, also_changed=tuple(sorted(superseded)), notices=tuple(notices)
    )
