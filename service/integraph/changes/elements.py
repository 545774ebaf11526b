"""Element mutations: create, replace or delete one element of a blueprint.

An element is given as its file would hold it (``data``: the fields of its section's model,
its id short or full, references short within its blueprint and into the blueprints it uses,
or full). It is checked exactly as files are, written with the writer and audited, in one
transaction (``changes/apply.py``). Deleting refuses while other elements, in this blueprint
or another, still refer to it, and names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from integraph.auth.principal import Principal, Role
from integraph.changes.apply import Applied, Content, Edit, apply_change
from integraph.changes.audit_trail import audit_context
from integraph.changes.errors import MutationRefused, NotFound, Problem
from integraph.graph import SECTION_LABELS
from integraph.model import LIST_SECTIONS, NOUNS, Landscape, localize, qualify, split_reference
from integraph.store.driver import Store

ElementChangeKind = Literal["created", "updated", "deleted", "unchanged"]

PAST = {
    "upsert_element": "upserted",
    "delete_element": "deleted",
    "record_decision": "recorded",
    "add_waiver": "added",
    "revoke_waiver": "revoked",
}
"""How an audit entry's summary says what an operation did."""


@dataclass(frozen=True)
class ElementChange:
    """What a mutation did to one element."""

    element: str
    """Full identifier."""
    kind: str
    """Its node label: `Flow`, `Decision`, ..."""
    change: ElementChangeKind
    blueprint: str
    before: dict[str, Any] | None
    """The element as its file would hold it (JSON values), None if it did not exist."""
    after: dict[str, Any] | None
    audit_entry: str | None
    """The audit entry recording the change (None when nothing changed)."""
    also_changed: tuple[str, ...] = ()
    """Other elements the same change updated (decisions it superseded)."""
    notices: tuple[str, ...] = ()
    """What the change left alone, and why."""


async def upsert_element(
    store: Store, principal: Principal, blueprint: str, section: str, data: Mapping[str, Any]
) -> ElementChange:
    """Create the element ``data`` describes in ``section`` of ``blueprint``, or replace the
    one with its id (wholly: a field ``data`` leaves out takes its default)."""
    principal.require(Role.EDITOR, [blueprint], action="changing an element")
    return await write_element(store, principal, blueprint, section, data, "upsert_element")


async def delete_element(store: Store, principal: Principal, full_id: str) -> ElementChange:
    """Delete the element ``full_id`` (`<blueprint>:<id>`); refused while others refer to it."""
    blueprint, local = element_address(full_id, "deletion")
    principal.require(Role.EDITOR, [blueprint], action="deleting an element")
    return await remove_element(store, principal, blueprint, local, "delete_element")


async def write_element(
    store: Store,
    principal: Principal,
    blueprint: str,
    section: str,
    data: Mapping[str, Any],
    operation: str,
    *,
    create_only: bool = False,
    then: Edit | None = None,
) -> ElementChange:
    """Upsert one element (``create_only``: refuse when its id exists); ``then`` edits the
    content further in the same change (a decision superseding others)."""
    noun = _noun(section)
    local = _own_id(blueprint, data, noun)
    full = qualify(blueprint, local)
    what = f"{operation} of {noun} '{full}'"

    def edit(content: Content, stored: Landscape) -> None:
        for other in LIST_SECTIONS:
            if any(item["id"] == local for item in content.get(other, [])):
                if other != section:
                    raise MutationRefused(
                        what,
                        [
                            Problem(
                                f"'{full}' is a {NOUNS[other]}: ids are unique within a "
                                f"blueprint (delete the {NOUNS[other]} first, or choose "
                                "another id)",
                                element=full,
                                field="id",
                                code="duplicate_id",
                            )
                        ],
                    )
                if create_only:
                    raise MutationRefused(
                        what,
                        [Problem(f"'{full}' exists already", full, "id", "duplicate_id")],
                    )
        items = [item for item in content.get(section, []) if item["id"] != local]
        content[section] = [*items, {**dict(data), "id": local}]
        if then is not None:
            then(content, stored)

    applied = await apply_change(
        store,
        audit_context(principal, operation),
        blueprint,
        edit,
        what=what,
        summary=f"{PAST.get(operation, operation)} {noun} {full}",
    )
    return element_change(applied, section, local)


async def remove_element(
    store: Store,
    principal: Principal,
    blueprint: str,
    local: str,
    operation: str,
    *,
    section: str | None = None,
    comment: str | None = None,
) -> ElementChange:
    """Delete one element of ``blueprint`` (of ``section`` only, when given)."""
    full = qualify(blueprint, local)
    found: list[str] = []
    what = f"{operation} of '{full}'"

    noun = NOUNS[section] if section else "element"

    def edit(content: Content, stored: Landscape) -> None:
        found.clear()  # the driver may run the transaction again
        found.extend(n for n in LIST_SECTIONS if any(i["id"] == local for i in content.get(n, [])))
        if not found:
            raise NotFound(f"no {noun} '{full}' in blueprint '{blueprint}'")
        if section is not None and found[0] != section:
            raise MutationRefused(
                what, [Problem(f"'{full}' is a {NOUNS[found[0]]}, not a {noun}", full, "id")]
            )
        content[found[0]] = [item for item in content[found[0]] if item["id"] != local]

    applied = await apply_change(
        store,
        audit_context(principal, operation),
        blueprint,
        edit,
        what=what,
        summary=f"{PAST.get(operation, operation)} {noun} {full}",
        comment=comment,
    )
    return element_change(applied, found[-1], local)


def element_address(full_id: str, action: str) -> tuple[str, str]:
    """(blueprint, id) of an element's full identifier; refused for anything else."""
    namespace, local = split_reference(full_id)
    if namespace is None:
        raise MutationRefused(
            f"{action} of '{full_id}'",
            [Problem("name the element by its full identifier, <blueprint>:<id>", full_id, "id")],
        )
    if any(mark in local for mark in "@#/"):
        raise MutationRefused(
            f"{action} of '{full_id}'",
            [
                Problem(
                    "a contract version or field is part of its contract: change the contract",
                    full_id,
                    "id",
                )
            ],
        )
    return namespace, local


def element_change(
    applied: Applied,
    section: str,
    local: str,
    *,
    also_changed: tuple[str, ...] = (),
    notices: tuple[str, ...] = (),
) -> ElementChange:
    """The ElementChange of one element from a change that was written."""
    before = _data(_find(applied.before, section, local))
    after = _data(_find(applied.after, section, local))
    change: ElementChangeKind
    if before is None:
        change = "created"
    elif after is None:
        change = "deleted"
    else:
        change = "updated" if before != after else "unchanged"
    return ElementChange(
        element=qualify(applied.blueprint, local),
        kind=SECTION_LABELS[section].value,
        change=change,
        blueprint=applied.blueprint,
        before=before,
        after=after,
        audit_entry=applied.audit_entry,
        also_changed=also_changed,
        notices=notices,
    )


def _noun(section: str) -> str:
    if section not in LIST_SECTIONS:
        problem = Problem(
            f"'{section}' is not a section; one of {', '.join(LIST_SECTIONS)} (the blueprint's "
            "status moves through the review workflow)",
            field="section",
        )
        raise MutationRefused("the change", [problem])
    return NOUNS[section]


def _own_id(blueprint: str, data: Mapping[str, Any], noun: str) -> str:
    """The element's id in its blueprint's files (short), from a short or full id."""
    written = data.get("id") if isinstance(data, Mapping) else None
    if not isinstance(written, str) or not written:
        raise MutationRefused(
            f"the {noun}", [Problem("missing required field", field="id", code="missing_field")]
        )
    local = localize(blueprint, written)
    namespace, _ = split_reference(local)
    if namespace is not None:
        raise MutationRefused(
            f"the {noun} '{written}'",
            [
                Problem(
                    f"'{written}' belongs to blueprint '{namespace}', not '{blueprint}': an "
                    "element is changed in its own blueprint",
                    written,
                    "id",
                )
            ],
        )
    return local


def _find(landscape: Landscape, section: str, local: str) -> BaseModel | None:
    return next((item for item in getattr(landscape, section) if item.id == local), None)


def _data(model: BaseModel | None) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json", exclude_defaults=True)
