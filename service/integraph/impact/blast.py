"""Blast radius: what is affected, and how, when an element changes or fails.

Dependencies run from a consumer to its provider: a caller depends on the system it calls
synchronously; a receiver depends on the sender of an event, command, stream or batch. The
effect reaching a system is given by the last hop's semantics:

* synchronous request-response: ``outage`` (the failure propagates at once);
* asynchronous through a dead-letter destination: ``delayed`` (messages wait, nothing is lost);
* asynchronous without one: ``data_loss_risk``;
* scheduled batch: ``deferred`` (to the next run);
* a contract or field change reaching the systems that read it: ``contract_break``.

The walk is breadth-first, one Cypher query per level (never per element), visits each system
once, and is bounded by ``depth``. Each affected system keeps its shortest path and the most
severe effect among paths of that length (ties broken by flow ids): answers are deterministic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from integraph.errors import IntegraphError
from integraph.store.driver import Store, Tx


class Effect(StrEnum):
    OUTAGE = "outage"
    CONTRACT_BREAK = "contract_break"
    DATA_LOSS_RISK = "data_loss_risk"
    DELAYED = "delayed"
    DEFERRED = "deferred"


SEVERITY = {
    Effect.OUTAGE: 5,
    Effect.CONTRACT_BREAK: 4,
    Effect.DATA_LOSS_RISK: 3,
    Effect.DELAYED: 2,
    Effect.DEFERRED: 1,
}


class Direction(StrEnum):
    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    BOTH = "both"


@dataclass(frozen=True)
class Step:
    """One hop of an explanation: ``source`` -> ``target`` over ``flow``."""

    flow: str
    source: str
    target: str
    pattern: str
    effect: Effect


@dataclass
class Affected:
    id: str
    kind: str
    effect: Effect
    depth: int
    direction: Direction
    path: list[Step]
    name: str | None = None
    team: str | None = None
    tier: int | None = None


@dataclass
class BlastRadius:
    element: str
    kind: str
    direction: Direction
    depth: int
    affected: list[Affected] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts of affected systems by effect, owner team and criticality tier."""
        systems = [a for a in self.affected if a.kind == "System"]
        return {
            "effect": dict(sorted(Counter(str(a.effect) for a in systems).items())),
            "team": dict(sorted(Counter(a.team or "(no owner)" for a in systems).items())),
            "tier": dict(
                sorted(Counter("-" if a.tier is None else str(a.tier) for a in systems).items())
            ),
        }


def hop_effect(pattern: str, dead_letter: bool) -> Effect:
    """The effect one flow hop carries to the system that depends on it."""
    if pattern == "request_response":
        return Effect.OUTAGE
    if pattern == "batch":
        return Effect.DEFERRED
    return Effect.DELAYED if dead_letter else Effect.DATA_LOSS_RISK


async def blast_radius(
    store: Store,
    element_id: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    depth: int = 6,
) -> BlastRadius:
    """Everything affected by a change to ``element_id``, each with its effect and path."""
    if depth < 1:
        raise IntegraphError("--depth must be at least 1")
    return await store.read_transaction(
        lambda tx: blast_radius_in(tx, element_id, direction, depth)
    )


async def blast_radius_in(tx: Tx, element_id: str, direction: Direction, depth: int) -> BlastRadius:
    rows = await tx.run("queries/impact/element", id=element_id)
    if not rows:
        raise IntegraphError(f"no element '{element_id}' in the graph")
    kind = rows[0]["kind"]
    result = BlastRadius(element_id, kind, direction, depth)
    directions = (
        [Direction.DOWNSTREAM, Direction.UPSTREAM] if direction == Direction.BOTH else [direction]
    )
    found: dict[tuple[str, Direction], Affected] = {}
    for way in directions:
        start, seeds = await _seeds(tx, element_id, kind, way, found)
        await _walk(tx, start, seeds, way, depth, found)
    affected = sorted(
        found.values(),
        key=lambda a: (a.direction != Direction.DOWNSTREAM, a.depth, -SEVERITY[a.effect], a.id),
    )
    await _describe(tx, affected)
    result.affected = affected
    return result


async def _seeds(
    tx: Tx,
    element_id: str,
    kind: str,
    way: Direction,
    found: dict[tuple[str, Direction], Affected],
) -> tuple[set[str], list[tuple[str, Effect, list[Step]]]]:
    """The systems the walk starts from, and those already affected at depth 1."""
    if kind == "System":
        return {element_id}, []
    seeds: list[tuple[str, Effect, list[Step]]] = []
    for row in await tx.run("queries/impact/changed_flows", id=element_id):
        flow_effect = hop_effect(row["pattern"], row["dead_letter"])
        if row["cause"] == "contract":
            flow_effect = Effect.CONTRACT_BREAK
        _record(
            found,
            Affected(row["flow"], "Flow", flow_effect, 1, way, []),
        )
        for system, step in _flow_sides(row, way, flow_effect):
            seeds.append((system, step.effect, [step]))
    return set(), seeds


def _flow_sides(row: dict[str, Any], way: Direction, effect: Effect) -> list[tuple[str, Step]]:
    """The systems a changed flow affects (downstream) or relies on (upstream)."""
    source, target, pattern = row["source"], row["target"], row["pattern"]
    sync = pattern == "request_response"
    if row["cause"] == "contract":
        # The systems that read what changed: a request is read by the callee, a response or
        # error by the caller, a message by its receiver; a whole contract by both sides.
        part = row.get("part")
        if part in ("response", "error"):
            readers = [source]
        elif part in ("request", "message") or not sync:
            readers = [target]
        else:
            readers = [source, target]
    else:
        readers = [source] if sync else [target]
    if way == Direction.UPSTREAM:
        readers = [target] if sync else [source]
    step_from = {source: target, target: source}
    return [
        (system, Step(row["flow"], step_from[system], system, pattern, effect))
        for system in readers
    ]


async def _walk(
    tx: Tx,
    start: set[str],
    seeds: list[tuple[str, Effect, list[Step]]],
    way: Direction,
    depth: int,
    found: dict[tuple[str, Direction], Affected],
) -> None:
    visited = set(start)
    frontier: list[str] = []
    for system, effect, path in seeds:
        recorded = _record(found, Affected(system, "System", effect, 1, way, path))
        if recorded and system not in visited:
            visited.add(system)
            frontier.append(system)
    frontier = sorted(set(frontier) | start)
    query = (
        "queries/impact/dependents" if way == Direction.DOWNSTREAM else "queries/impact/providers"
    )
    level = 1 if not seeds else 2
    while frontier and level <= depth:
        paths = {s: found[(s, way)].path if (s, way) in found else [] for s in frontier}
        next_frontier: set[str] = set()
        for row in await tx.run(query, ids=frontier):
            system = row["to"]
            if system in start:
                continue  # the changed element itself is not "affected"
            effect = hop_effect(row["pattern"], row["dead_letter"])
            step = Step(row["flow"], row["from"], system, row["pattern"], effect)
            _record(
                found, Affected(system, "System", effect, level, way, [*paths[row["from"]], step])
            )
            if system not in visited:
                visited.add(system)
                next_frontier.add(system)
        frontier = sorted(next_frontier)
        level += 1


def _record(found: dict[tuple[str, Direction], Affected], candidate: Affected) -> bool:
    """Keep the shortest path (the explanation), then the most severe effect at that depth,
    then the smallest flow ids."""
    key = (candidate.id, candidate.direction)
    current = found.get(key)
    if current is None or _rank(candidate) < _rank(current):
        found[key] = candidate
        return True
    return False


def _rank(affected: Affected) -> tuple[int, int, list[str]]:
    return (affected.depth, -SEVERITY[affected.effect], [s.flow for s in affected.path])


async def _describe(tx: Tx, affected: list[Affected]) -> None:
    ids = sorted({a.id for a in affected if a.kind == "System"})
    if not ids:
        return
    info = {row["id"]: row for row in await tx.run("queries/impact/systems", ids=ids)}
    for item in affected:
        row = info.get(item.id)
        if row:
            item.name, item.team, item.tier = row["name"], row["team"], row["tier"]
