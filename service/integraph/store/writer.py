"""Batched writes of blueprint graph rows: the one place blueprint data enters Neo4j.

Inside one transaction (the caller's): find what exists, merge nodes label by label with
UNWIND, rewrite the outgoing relationships of every loaded element, and optionally prune the
blueprint's elements that are no longer in its files.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from integraph.errors import IntegraphError
from integraph.graph import GraphRows, NodeLabel, RelType
from integraph.store.derived import derive_facts
from integraph.store.driver import Store, Tx

BATCH = 5_000
"""Rows per UNWIND call: large enough to amortise round trips, small enough for the heap."""

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as batches are written."""


class LoadConflict(IntegraphError):
    """An element id of the files already belongs to another blueprint in the graph."""

    exit_code = 2


@dataclass(frozen=True)
class WriteCounts:
    created: int
    updated: int
    unchanged: int
    deleted: int
    relationships: int


def content_hashes(rows: GraphRows) -> dict[str, str]:
    """A hash per element of its properties and outgoing relationships, to detect changes."""
    outgoing: dict[str, list[Any]] = defaultdict(list)
    for rel_type, rel_rows in rows.rels.items():
        for row in rel_rows:
            outgoing[row["from"]].append([rel_type, row])
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
) -> WriteCounts:
    """Write one blueprint's rows; idempotent (MERGE by id), all in the caller's transaction."""
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
    if foreign:
        owners = ", ".join(f"'{i}' (in '{existing[i]['blueprint']}')" for i in foreign[:5])
        raise LoadConflict(
            f"{len(foreign)} element id(s) already belong to another blueprint: {owners}; "
            "ids are unique across all blueprints"
        )
    labels = {row["id"]: label for label, node_rows in rows.nodes.items() for row in node_rows}
    changed_kind = [i for i, row in existing.items() if row["label"] != labels[i]]
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
        await tx.run("queries/load/delete_outgoing", ids=batch)
    relationships = 0
    for rel_type, all_rels in sorted(rows.rels.items()):
        rel_rows = [row for row in all_rels if row["from"] not in unchanged]
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

    deleted = 0
    if prune:
        stale = [
            row["id"]
            for row in await tx.run("queries/load/stale_elements", blueprint=blueprint_id, ids=ids)
        ]
        for batch in _batches(stale):
            await tx.run("queries/load/delete_elements", ids=batch)
        deleted = len(stale)
    await derive_facts(tx)
    await mark_graph_changed(tx)
    return WriteCounts(
        created=created,
        updated=updated,
        unchanged=len(existing) - updated,
        deleted=deleted,
        relationships=relationships,
    )


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
            row["from"]
            for rel_rows in rows.rels.values()
            for row in rel_rows
            if row["to"] in changed_kind
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
    """Everything stored for one blueprint, as the rows `write_rows` was given."""
    rows = GraphRows()
    for record in await tx.run("queries/export/nodes", blueprint=blueprint_id):
        props = {k: v for k, v in record["props"].items() if k != "content_hash"}
        rows.node(NodeLabel(record["label"]), props)
    for record in await tx.run("queries/export/relationships", blueprint=blueprint_id):
        rows.rel(RelType(record["type"]), record["from"], record["to"], **record["props"])
    return rows


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
