"""One change to a stored blueprint: read, edit, validate, write and audit, in one transaction.

Every service of this package goes through ``apply_change``. In one write transaction it
locks the blueprint and those it uses (changes of a blueprint, and of one it builds on, run
one after the other, each validating what the previous one left), reads it as stored and
hands its content, as its files would hold it, to the service's edit; validates the edited
content with the checks a load of files runs (schema, secrets, references within the
blueprint and into the blueprints it uses: ``blueprint/content.py``,
``knowledge/resolve.py``); refuses to delete elements that others, in any blueprint, still
refer to; writes through the writer (``store/writer.write_blueprint``: content hashes, so
only what changed is rewritten; derived facts; the graph version) and writes the audit entry.
A refusal anywhere raises before the commit, so nothing is written, audit entry included.

The whole blueprint is validated, not only the element, because that is what catches what one
element alone cannot show (a flow naming a version its contract lacks, a supersession cycle, a
masked field that does not exist). It costs a read and a check of the whole blueprint per
change, in proportion to its size: small for a project blueprint, not for a landscape of
hundreds of thousands of elements (which would want checks of the element and its neighbours).

Sources: elements keep the file and line they were loaded from (an element changed here is
still defined there, as far as anyone reading the files knows); an element created here has
none, so its lint findings carry no file.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from integraph.blueprint.content import landscape_content, validate_content
from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.references import ExternalReference
from integraph.changes.errors import MutationRefused, NotFound, Problem, problems_of
from integraph.graph import GraphRows, from_graph, to_graph
from integraph.knowledge.resolve import Pending, resolve_references
from integraph.model import LIST_SECTIONS, Landscape, qualify
from integraph.store.audit import AuditContext, ChangeLog, write_entry
from integraph.store.driver import Store, Tx
from integraph.store.writer import lock_blueprints, read_rows, referrers, write_blueprint

Content = dict[str, Any]
"""A blueprint's content by section, as its files would hold it (``landscape_content``)."""

Edit = Callable[[Content, Landscape], None]
"""edit(content, stored): change ``content`` in place (``stored`` is the blueprint before);
raise MutationRefused (or another IntegraphError) to refuse."""

Check = Callable[[Tx], Awaitable[None]]
"""check(tx): a precondition read in the change's transaction; raises to refuse."""


@dataclass(frozen=True)
class Applied:
    """A change that was written: the blueprint before and after, and its audit entry."""

    blueprint: str
    before: Landscape
    after: Landscape
    """As stored now, read back from the rows written."""
    audit_entry: str | None
    """None when the edit changed nothing (no entry is written for no change)."""
    counts: dict[str, int]
    """Elements created, updated and deleted (contract versions, fields, reviews included)."""


async def apply_change(
    store: Store,
    context: AuditContext,
    blueprint: str,
    edit: Edit,
    *,
    what: str,
    summary: str,
    comment: str | None = None,
    check: Check | None = None,
) -> Applied:
    """Apply ``edit`` to the stored ``blueprint`` and write it with its audit entry, all in one
    transaction; ``what`` names the change in refusals (`upsert of flow 'shop:checkout'`)."""

    async def work(tx: Tx) -> Applied:
        # Before reading (see the query): this blueprint and those it uses, whose elements
        # it may come to refer to while a change of theirs deletes them.
        uses = {row["id"]: row["uses"] for row in await tx.run("queries/knowledge/blueprint_uses")}
        if blueprint not in await lock_blueprints(tx, [blueprint, *uses.get(blueprint, [])]):
            raise NotFound(f"no blueprint '{blueprint}' in the graph; load it first")
        if check is not None:
            await check(tx)
        rows = await read_rows(tx, blueprint)
        before = from_graph(rows)
        content = copy.deepcopy(landscape_content(before))
        edit(content, before)
        # What the edit removed is checked first: "X refers to it" says more than the
        # dangling references validation would find in X.
        await _refuse_if_referred(tx, _removed(blueprint, rows, before, content), what)
        after, resolved = await _validate(tx, blueprint, content, before, what, uses)
        new_rows = to_graph(after, blueprint, resolved)
        old_ids = {row["id"] for node_rows in rows.nodes.values() for row in node_rows}
        new_ids = {row["id"] for node_rows in new_rows.nodes.values() for row in node_rows}
        await _refuse_if_referred(tx, sorted(old_ids - new_ids), what)
        log = ChangeLog()
        await write_blueprint(tx, new_rows, blueprint, log)
        entry = None
        if log.changed:
            entry = await write_entry(tx, context, blueprint, log, summary=summary, comment=comment)
        # As stored: references into other blueprints by full identifier, as in `before`.
        return Applied(blueprint, before, from_graph(new_rows), entry, dict(log.counts))

    return await store.write_transaction(work)


async def _validate(
    tx: Tx,
    blueprint: str,
    content: Content,
    before: Landscape,
    what: str,
    uses: dict[str, list[str]],
) -> tuple[Landscape, dict[str, str]]:
    """The edited landscape, checked as files are, and its references into used blueprints."""
    external: list[ExternalReference] = []
    try:
        validated = validate_content(
            content, origin=what, sources=before.sources, external=external
        )
    except BlueprintInvalid as invalid:
        raise MutationRefused(what, problems_of(blueprint, invalid.issues)) from None
    # Known elements keep where their files define them; the new ones have no file.
    after = validated.model_copy(update={"sources": dict(before.sources)})
    loaded = {name: used for name, used in uses.items() if name != blueprint}
    try:
        resolved = await resolve_references(tx, [Pending(blueprint, after, external)], loaded)
    except BlueprintInvalid as invalid:
        raise MutationRefused(what, problems_of(blueprint, invalid.issues)) from None
    return after, resolved[blueprint]


def _removed(blueprint: str, rows: GraphRows, before: Landscape, content: Content) -> list[str]:
    """Full identifiers of the elements the edit removed, with their versions and fields."""
    kept = {item["id"] for section in LIST_SECTIONS for item in content.get(section, [])}
    gone = {qualify(blueprint, local) for local in before.by_id() if local not in kept}
    gone.discard(blueprint)
    return sorted(
        row["id"]
        for node_rows in rows.nodes.values()
        for row in node_rows
        if row["id"] in gone or row["id"].partition("@")[0] in gone
    )


async def _refuse_if_referred(tx: Tx, gone: list[str], what: str) -> None:
    """Refuse to delete elements that others (of any blueprint) still refer to."""
    if not gone:
        return
    found = await referrers(tx, gone)
    if found:
        raise MutationRefused(
            what,
            [
                Problem(
                    message=f"{row['kind'].lower()} '{row['element']}' is referred to by "
                    f"{row['referrer_kind'].lower()} '{row['referrer']}' ({row['type']}"
                    + (f", {row['file']}:{row['line']}" if row["file"] else "")
                    + "): change or delete that first",
                    element=row["referrer"],
                    code="referred_to",
                )
                for row in found
            ],
        )
