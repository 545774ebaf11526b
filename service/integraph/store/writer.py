"""Batched writes of blueprint graph rows: the one place blueprint data enters Neo4j.

Inside one transaction (the caller's): find what exists, merge nodes label by label with
UNWIND, rewrite the outgoing relationships of every loaded element, and optionally prune the
blueprint's elements that are no longer in its files. Given a ``ChangeLog``, it also notes
what it created, updated and deleted, for the audit entry the caller writes in the same
transaction (``store/audit.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from integraph.errors import IntegraphError
from integraph.graph import WRITTEN_AT_END, GraphRows, NodeLabel, RelType, holder
from integraph.store.audit import ChangeLog, row_states, stored_states
from integraph.store.derived import derive_facts
from integraph.store.driver import Store, Tx

BATCH = 5_000
"""Rows per UNWIND call: large enough to amortise round trips, small enough for the heap."""

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as batches are written."""


class LoadConflict(IntegraphError):
    """The load would break another blueprint: it removes (or changes the kind of) elements
    that another blueprint's elements refer to."""

    exit_code = 2

    def __init__(self, message: str, referrers: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.referrers = referrers or []
        """Each {element, kind, referrer, referrer_kind, blueprint, type, file, line}."""


@dataclass(frozen=True)
class WriteCounts:
    created: int
    updated: int
    unchanged: int
    deleted: int
    relationships: int


def content_hashes(rows: GraphRows) -> dict[str, str]:
    """A hash per element of its properties and the relationships it holds (those its own
    fields store, see `graph.holder`), to detect changes."""
    outgoing: dict[str, list[Any]] = defaultdict(list)
    for rel_type, rel_rows in rows.rels.items():
        for row in rel_rows:
            outgoing[holder(rel_type, row)].append([rel_type, row])
    hashes = {}
    for label, node_rows in rows.nodes.items():
        for row in node_rows:
            payload = [label, row, sorted(outgoing.get(row["id"], []), key=_canonical)]
            hashes[row["id"]] = hashlib.sha256(_canonical(payload).encode()).hexdigest()[:32]
    return hashes


async def write_rows(
    tx: Tx,
    rows: GraphRows,
    blueprint_id: str,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    log: ChangeLog | None = None,
) -> WriteCounts:
    """Write one blueprint's rows; idempotent (MERGE by id), all in the caller's transaction.

    ``log`` (optional) is told what was created, updated and deleted, with states."""
    for label in rows.nodes:
        NodeLabel(label)  # only the fixed labels reach Cypher
    for rel_type in rows.rels:
        RelType(rel_type)
    hashes = content_hashes(rows)
    ids = list(hashes)
    existing = {
        row["id"]: row
        for batch in _batches(ids)
        for row in await tx.run("queries/load/existing_elements", ids=batch)
    }
    foreign = sorted(i for i, row in existing.items() if row["blueprint"] != blueprint_id)
    if foreign:  # full identifiers carry their blueprint: only a corrupted graph gets here
        owners = ", ".join(f"'{i}' (in '{existing[i]['blueprint']}')" for i in foreign[:5])
        raise LoadConflict(f"{len(foreign)} id(s) already belong to another blueprint: {owners}")
    labels = {row["id"]: label for label, node_rows in rows.nodes.items() for row in node_rows}
    changed_kind = [i for i, row in existing.items() if row["label"] != labels[i]]
    await _refuse_if_referred(tx, blueprint_id, changed_kind, "changes the kind of")
    if log is not None:  # before anything is rewritten: the states before are read here
        await _log_writes(tx, log, rows, ids, existing, hashes, labels)
    for batch in _batches(changed_kind):
        await tx.run("queries/load/delete_elements", ids=batch)

    created = sum(1 for i in ids if i not in existing)
    updated = sum(1 for i, row in existing.items() if row["content_hash"] != hashes[i])
    unchanged = _unchanged(rows, existing, hashes, labels, set(changed_kind))
    total = len(ids) - len(unchanged) + sum(len(r) for r in rows.rels.values())
    done = 0
    for label, all_rows in sorted(rows.nodes.items()):
        node_rows = [row for row in all_rows if row["id"] not in unchanged]
        for batch in _batches(node_rows):
            payload = [
                {"id": row["id"], "props": {**row, "content_hash": hashes[row["id"]]}}
                for row in batch
            ]
            await tx.run("queries/load/merge_nodes", rows=payload, label=label)
            done += len(batch)
            if progress:
                progress("elements", done, total)

    # Only elements that were already there, and changed, have relationships to replace.
    for batch in _batches([i for i in ids if i in existing and i not in unchanged]):
        await tx.run("queries/load/delete_held", ids=batch, at_end=sorted(WRITTEN_AT_END))
    relationships = 0
    for rel_type, all_rels in sorted(rows.rels.items()):
        rel_rows = [row for row in all_rels if holder(rel_type, row) not in unchanged]
        relationships += len(all_rels) - len(rel_rows)
        for batch in _batches(rel_rows):
            payload = [
                {
                    "from": row["from"],
                    "to": row["to"],
                    "props": {k: v for k, v in row.items() if k not in ("from", "to")},
                }
                for row in batch
            ]
            result = await tx.run("queries/load/create_relationships", rows=payload, type=rel_type)
            written = result[0]["created"] if result else 0
            if written != len(batch):
                # A relationship whose end is missing would vanish silently: refuse instead.
                raise IntegraphError(
                    f"{len(batch) - written} {rel_type} relationship(s) point at elements that "
                    "are not in the graph; nothing was loaded"
                )
            relationships += written
            done += len(batch)
            if progress:
                progress("relationships", done, total)

    deleted = await prune_blueprint(tx, blueprint_id, ids, log=log) if prune else 0
    await derive_facts(tx)
    await mark_graph_changed(tx)
    return WriteCounts(
        created=created,
        updated=updated,
        unchanged=len(existing) - updated,
        deleted=deleted,
        relationships=relationships,
    )


async def prune_blueprint(
    tx: Tx, blueprint_id: str, kept: list[str], *, log: ChangeLog | None = None
) -> int:
    """Delete the blueprint's elements whose ids are not in `kept`; how many were deleted.

    Refused (LoadConflict, naming the referring elements and their files) when elements of
    other blueprints still refer to one of them: a load of several blueprints writes them all
    before pruning any, so that references dropped in the same load do not count.
    """
    rows = await tx.run("queries/load/stale_elements", blueprint=blueprint_id, ids=kept)
    stale = [row["id"] for row in rows]
    await _refuse_if_referred(tx, blueprint_id, stale, "removes")
    if log is not None and stale:
        before = await stored_states(tx, stale[: log.room()])
        log.add("deleted", stale, {row["id"]: row["label"] for row in rows}, before, {})
    for batch in _batches(stale):
        await tx.run("queries/load/delete_elements", ids=batch)
    if stale:
        await derive_facts(tx)  # facts the deleted policies or fields went into are stale
        await mark_graph_changed(tx)
    return len(stale)


async def write_blueprint(
    tx: Tx, rows: GraphRows, blueprint_id: str, log: ChangeLog
) -> WriteCounts:
    """Make the stored blueprint exactly ``rows`` (its whole content, as changed by a service
    call rather than by its files): write what changed, delete what is gone, and forget the
    digest of its last load's files, which no longer describe it (the next load of those
    files is a full one). Deletions must have been checked for referrers (``referrers``)."""
    counts = await write_rows(tx, rows, blueprint_id, prune=True, log=log)
    await tx.run("queries/load/forget_digest", blueprint=blueprint_id)
    return counts


async def lock_blueprints(tx: Tx, blueprint_ids: list[str]) -> set[str]:
    """Hold write locks on the blueprints until the transaction ends, so that the changes
    made through the service that lock one of them run one after the other; the ids of those
    that exist."""
    rows = await tx.run("queries/changes/lock_blueprint", blueprints=sorted(set(blueprint_ids)))
    return {row["id"] for row in rows}


async def referrers(
    tx: Tx, ids: list[str], *, blueprint: str | None = None
) -> list[dict[str, Any]]:
    """The elements holding a relationship to one of ``ids`` (other than ``ids`` themselves):
    of blueprints other than ``blueprint`` when it is given, of any blueprint otherwise. Each
    {element, kind, referrer, referrer_kind, blueprint, type, file, line}."""
    at_end = sorted(WRITTEN_AT_END)
    if blueprint is None:  # a mutation deletes a few elements: one call, excluding them all
        return await tx.run("queries/load/referrers", ids=ids, at_end=at_end)
    return [
        row
        for batch in _batches(ids)
        for row in await tx.run(
            "queries/load/foreign_referrers", ids=batch, blueprint=blueprint, at_end=at_end
        )
    ]


async def _refuse_if_referred(tx: Tx, blueprint_id: str, ids: list[str], change: str) -> None:
    referrers_found = await referrers(tx, ids, blueprint=blueprint_id)
    if not referrers_found:
        return
    shown = [
        f"{r['kind'].lower()} '{r['element']}' is referred to by {r['referrer_kind'].lower()} "
        f"'{r['referrer']}' ({r['type']}, {r['file'] or '?'}:{r['line'] or '?'})"
        for r in referrers_found[:10]
    ]
    more = f"; and {len(referrers_found) - 10} more" if len(referrers_found) > 10 else ""
    raise LoadConflict(
        f"the load {change} {len({r['element'] for r in referrers_found})} element(s) of "
        f"'{blueprint_id}' that other blueprints refer to; nothing was loaded: "
        + "; ".join(shown)
        + more
        + " (change those references in the same load, or keep the elements)",
        referrers_found,
    )


async def _log_writes(
    tx: Tx,
    log: ChangeLog,
    rows: GraphRows,
    ids: list[str],
    existing: dict[str, Any],
    hashes: dict[str, str],
    labels: dict[str, str],
) -> None:
    """Tell ``log`` which elements this write updates and creates, with their states (the
    stored one before, the one written after) while it has room."""
    updated = [
        i
        for i in ids
        if i in existing
        and (existing[i]["content_hash"] != hashes[i] or existing[i]["label"] != labels[i])
    ]
    created = [i for i in ids if i not in existing]
    detailed = updated[: log.room()]
    detailed += created[: max(0, log.room() - len(detailed))]
    before = await stored_states(tx, [i for i in detailed if i in existing])
    after = row_states(rows, detailed)
    log.add("updated", updated, labels, before, after)
    log.add("created", created, labels, before, after)


def _unchanged(
    rows: GraphRows,
    existing: dict[str, Any],
    hashes: dict[str, str],
    labels: dict[str, str],
    changed_kind: set[str],
) -> set[str]:
    """Ids whose node and outgoing relationships are stored exactly as given: not rewritten.

    The content hash covers an element's properties and outgoing relationships. An element
    whose kind changed is deleted and written anew, which takes the relationships pointing at
    it along: their sources are rewritten too.
    """
    same = {
        i
        for i, row in existing.items()
        if row["content_hash"] == hashes[i] and row["label"] == labels[i]
    }
    if changed_kind:
        same -= {
            holder(rel_type, row)
            for rel_type, rel_rows in rows.rels.items()
            for row in rel_rows
            if row["to"] in changed_kind or row["from"] in changed_kind
        }
    return same


async def mark_graph_changed(tx: Tx) -> None:
    """Give the graph a new version token in this transaction (see `graph_version`)."""
    await tx.run("queries/graph/bump_version")


async def graph_version(store: Store) -> str | None:
    """The token of the last committed write: equal tokens mean an unchanged graph."""
    rows = await store.read("queries/graph/version")
    return rows[0]["token"] if rows else None


async def read_rows(tx: Tx, blueprint_id: str) -> GraphRows:
    """Everything stored for one blueprint, as the rows `write_rows` was given: its elements
    and the relationships they hold, some of which reach into other blueprints."""
    rows = GraphRows()
    for record in await tx.run("queries/export/nodes", blueprint=blueprint_id):
        props = {k: v for k, v in record["props"].items() if k != "content_hash"}
        rows.node(NodeLabel(record["label"]), props)
    held = await tx.run(
        "queries/export/relationships", blueprint=blueprint_id, at_end=sorted(WRITTEN_AT_END)
    )
    for record in held:
        rows.rel(RelType(record["type"]), record["from"], record["to"], **record["props"])
    return rows


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
