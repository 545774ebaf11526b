"""The audit trail's storage: what a write changed, recorded in that write's own transaction.

    (:AuditEntry {id, at, actor, via, operation, blueprint, summary, comment,
                  created, updated, deleted, truncated,
                  more_created, more_updated, more_deleted})
      -[:CHANGED]->(:AuditChange {position, element, kind, change, before, after})

One entry per change to one blueprint: an element mutation, a review step, or a load (a load
of four blueprints writes four). Its changes are nodes rather than a list of JSON texts on the
entry, so that "who changed landscape:crm" is a lookup in the index on
``AuditChange.element`` (migration 008), not a scan of every entry's text. ``before`` and
``after`` are JSON texts of an element's state (null when it did not exist): its kind, its
properties and the relationships it holds, which is what its content hash covers
(``writer.content_hashes``), bookkeeping left out.

Bounded: the first ``MAX_DETAILED`` changes of an entry (in the order written: updates, then
creations, then deletions) get a node each with their states; the ids beyond go into the
entry's ``more_created`` / ``more_updated`` / ``more_deleted`` lists, ids only, and the entry
is ``truncated``. A first load of 400,000 elements writes one entry, 200 change nodes and a
list of ids, not 400,000 JSON texts; an element query also looks into the lists of the
truncated entries of that element's blueprint.

Neither label is ``:Element``, so lint, export, load records, content hashes and the impact
graph never see audit nodes; ``db/clear`` removes them with everything else.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from integraph.graph import WRITTEN_AT_END, GraphRows, holder
from integraph.store.driver import Tx

MAX_DETAILED = 200
"""Changes per entry stored with their before and after states; beyond, ids only."""

BOOKKEEPING = frozenset({"id", "blueprint", "content_hash"})
"""Properties left out of a state: the id and blueprint are the change's element, the hash
is derived. (Where the files define it, `source_*`, stays: moving it is a change.)"""

IMPLIED = frozenset({"IN_BLUEPRINT"})
"""Relationships left out of a state: every element has one, to its blueprint."""

Change = Literal["created", "updated", "deleted"]
CHANGES: tuple[Change, ...] = ("created", "updated", "deleted")

State = dict[str, Any]
"""{kind, properties, relationships: [{type, target, ...relationship properties}]}."""


@dataclass(frozen=True)
class AuditContext:
    """Who makes a change, how they were established, and through which operation."""

    actor: str
    via: str
    """`token`, `oidc`, `anonymous` or `local` (the CLI on the machine itself)."""
    operation: str
    """What was called: `load`, `upsert_element`, `approve`, ..."""

    @classmethod
    def local(cls, operation: str) -> AuditContext:
        """The CLI run on the machine itself."""
        return cls(actor="local", via="local", operation=operation)


@dataclass
class ChangeLog:
    """What one write changed in one blueprint, filled in by the writer as it writes."""

    limit: int = MAX_DETAILED
    detailed: list[dict[str, Any]] = field(default_factory=list)
    more: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CHANGES})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANGES, 0))

    def room(self) -> int:
        """How many more changes get their states recorded."""
        return max(0, self.limit - len(self.detailed))

    def add(
        self,
        change: Change,
        ids: Iterable[str],
        kinds: dict[str, str],
        before: dict[str, State],
        after: dict[str, State],
    ) -> None:
        """Record changes in order: with their states while there is room, then ids only."""
        for element in ids:
            self.counts[change] += 1
            if self.room():
                self.detailed.append(
                    {
                        "element": element,
                        "kind": kinds.get(element),
                        "change": change,
                        "before": _text(before.get(element)),
                        "after": _text(after.get(element)),
                    }
                )
            else:
                self.more[change].append(element)

    @property
    def changed(self) -> bool:
        return any(self.counts.values())

    @property
    def truncated(self) -> bool:
        return any(self.more.values())


async def stored_states(tx: Tx, ids: list[str]) -> dict[str, State]:
    """The state of each stored element of `ids`, as the graph holds it now."""
    if not ids:
        return {}
    rows = await tx.run("queries/audit/element_states", ids=ids, at_end=sorted(WRITTEN_AT_END))
    return {
        row["id"]: state(
            row["kind"],
            row["props"],
            [{"type": r["type"], "target": r["target"], **r["props"]} for r in row["held"]],
        )
        for row in rows
    }


def row_states(rows: GraphRows, ids: list[str]) -> dict[str, State]:
    """The state of each element of `ids` as `rows` (about to be written) give it."""
    wanted = set(ids)
    if not wanted:
        return {}
    held: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    for rel_type, rel_rows in rows.rels.items():
        for row in rel_rows:
            owner = holder(rel_type, row)
            if owner in wanted:
                target = row["from"] if rel_type in WRITTEN_AT_END else row["to"]
                props = {k: v for k, v in row.items() if k not in ("from", "to")}
                held[owner].append({"type": rel_type, "target": target, **props})
    return {
        row["id"]: state(label, row, held[row["id"]])
        for label, node_rows in rows.nodes.items()
        for row in node_rows
        if row["id"] in wanted
    }


def state(kind: str, props: dict[str, Any], held: list[dict[str, Any]]) -> State:
    """One canonical form for both sides, so that before and after compare key by key."""
    return {
        "kind": kind,
        "properties": {k: props[k] for k in sorted(props) if k not in BOOKKEEPING},
        "relationships": sorted((r for r in held if r["type"] not in IMPLIED), key=_canonical),
    }


async def write_entry(
    tx: Tx,
    context: AuditContext,
    blueprint: str,
    log: ChangeLog,
    *,
    summary: str,
    comment: str | None = None,
    at: datetime.datetime | None = None,
) -> str:
    """Write the entry of `log` in the caller's transaction; return its id."""
    at = at or datetime.datetime.now(datetime.UTC)
    entry_id = new_entry_id(at)
    entry: dict[str, Any] = {
        "id": entry_id,
        "at": at,
        "actor": context.actor,
        "via": context.via,
        "operation": context.operation,
        "blueprint": blueprint,
        "summary": summary,
        **log.counts,
        "truncated": log.truncated,
    }
    if comment is not None:
        entry["comment"] = comment
    for change, ids in log.more.items():
        if ids:
            entry[f"more_{change}"] = ids
    changes = [
        {k: v for k, v in {**c, "position": i}.items() if v is not None}
        for i, c in enumerate(log.detailed)
    ]
    await tx.run("queries/audit/record_entry", entry=entry, changes=changes)
    return entry_id


def new_entry_id(at: datetime.datetime) -> str:
    """Sortable by time, unique: `20261203T101502123456Z-1f2e3d4c`."""
    return f"{at.astimezone(datetime.UTC):%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}"


def _text(value: State | None) -> str | None:
    return None if value is None else _canonical(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
