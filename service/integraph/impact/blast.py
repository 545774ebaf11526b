"""Blast radius: what is affected, and how, when an element changes or fails.

Dependencies run from a consumer to its provider: a caller depends on the system it calls
synchronously; a receiver depends on the sender of an event, command, stream or batch. The
effect reaching a system is given by the last hop's semantics:

* synchronous request-response: ``outage`` (the failure propagates at once);
* asynchronous through a dead-letter destination: ``delayed`` (messages wait, nothing is lost);
* asynchronous without one: ``data_loss_risk``;
* scheduled batch: ``deferred`` (to the next run);
* a contract or field change reaching the systems that read it: ``contract_break``.

The walk is breadth-first, visits each system once, and is bounded by ``depth``. Each affected
system keeps its shortest path and the most severe effect among paths of that length (ties
broken by the flow ids along the path, compared as a list): answers are deterministic. A
change to an element that is not a system starts from the flows it touches
(``queries/impact/changed_flows``): those flows, and the systems at their ends that read or
rely on what changed, are affected at depth 1.

**How it is answered.** `blast_radius` walks an in-process copy of the system dependency
graph (`integraph.impact.adjacency`: systems, and per flow its pattern, ends and dead-letter
cover), rebuilt whenever the graph's version token changes, so it never answers from stale
data. The breadth-first search ranks an explanation by ``(severity of the last hop, rank of
the parent's path, flow id)``: paths of one level have one length, so this orders them
exactly as comparing the whole lists of flow ids would. A system needs one round trip (the
version check) and the walk; another element also reads its changed flows, in a transaction
that checks the version again. Paths are rebuilt (from parent pointers) only for the page
returned: an answer holds the counts by effect, team and tier over everything affected, the
total, and ``limit`` affected elements from ``offset`` on, in a fixed order (downstream
first, then by depth, severity and id), so pages concatenate to the whole answer.

`blast_radius_in` answers inside a transaction the caller holds, walking the database one
Cypher query per level (``queries/impact/dependents`` / ``providers``) over the whole
frontier: what-if uses it in its rolled-back transaction, which sees writes no committed
version has, and it is the reference the in-memory walk is tested against
(``tests/impact/test_blast_equivalence.py``). `blast_radius` also falls back to it when the
graph has no version token.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from integraph.errors import IntegraphError
from integraph.impact.adjacency import (
    BUILD_ATTEMPTS,
    DependencyGraph,
    dependency_graph,
    version_token,
)
from integraph.impact.effects import SEVERITY, Effect, hop_effect
from integraph.store.driver import Store, Tx

__all__ = [
    "DEFAULT_LIMIT",
    "SEVERITY",
    "Affected",
    "BlastRadius",
    "Direction",
    "Effect",
    "Step",
    "blast_radius",
    "blast_radius_in",
    "hop_effect",
]

DEFAULT_LIMIT = 100
"""Affected elements an answer lists unless asked for another page size (None: all)."""

_MOST_SEVERE = max(SEVERITY.values())


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
    """What a change affects: ``affected`` is one page (``offset``, at most ``limit``) of the
    ``total`` affected elements in order; ``counts`` cover all of them."""

    element: str
    kind: str
    direction: Direction
    depth: int
    affected: list[Affected] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts of all affected systems (not only this page) by effect, owner team and
        criticality tier."""
        return self.counts


def _summary(
    effects: Counter[Effect], teams: Counter[str | None], tiers: Counter[int | None]
) -> dict[str, dict[str, int]]:
    """Counts by effect, owner team and tier, as the answer shows them."""
    by_team: Counter[str] = Counter()
    for team, number in teams.items():
        by_team[team or "(no owner)"] += number
    by_tier: Counter[str] = Counter()
    for tier, number in tiers.items():
        by_tier["-" if tier is None else str(tier)] += number
    return {
        "effect": dict(sorted((str(e), n) for e, n in effects.items())),
        "team": dict(sorted(by_team.items())),
        "tier": dict(sorted(by_tier.items())),
    }


def _check(depth: int, limit: int | None, offset: int) -> None:
    if depth < 1:
        raise IntegraphError("--depth must be at least 1")
    if limit is not None and limit < 1:
        raise IntegraphError("--limit must be at least 1")
    if offset < 0:
        raise IntegraphError("--offset must be at least 0")


def _ways(direction: Direction) -> list[Direction]:
    if direction == Direction.BOTH:
        return [Direction.DOWNSTREAM, Direction.UPSTREAM]
    return [direction]


def _order(direction: Direction, depth: int, effect: Effect, element: str) -> tuple[Any, ...]:
    """The order of an answer: downstream first, then nearest, most severe, by id."""
    return (direction != Direction.DOWNSTREAM, depth, -SEVERITY[effect], element)


# -- the in-memory walk ------------------------------------------------------------------------


async def blast_radius(
    store: Store,
    element_id: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    depth: int = 6,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> BlastRadius:
    """Everything affected by a change to ``element_id``, each with its effect and path, as
    the committed graph is now: counts over all, the elements of one page."""
    _check(depth, limit, offset)
    for _ in range(BUILD_ATTEMPTS):
        graph = await dependency_graph(store)
        if graph is None:
            break
        number = graph.index.get(element_id)
        if number is not None:
            walks = [(way, _walk_graph(graph, way, number, [], depth)) for way in _ways(direction)]
            return _assemble(
                graph, element_id, "System", direction, depth, {}, walks, limit, offset
            )
        answer = await store.read_transaction(
            lambda tx, g=graph: _answer_element(tx, g, element_id, direction, depth, limit, offset)
        )
        if answer is not None:
            return answer
    # No version token (or writes kept committing): ask the database itself.
    return await store.read_transaction(
        lambda tx: blast_radius_in(tx, element_id, direction, depth, limit=limit, offset=offset)
    )


async def _answer_element(
    tx: Tx,
    graph: DependencyGraph,
    element_id: str,
    direction: Direction,
    depth: int,
    limit: int | None,
    offset: int,
) -> BlastRadius | None:
    """The answer for an element that is not a system: its changed flows read in ``tx``, the
    walk in ``graph``; None if the graph changed since ``graph`` was read."""
    rows = await tx.run("queries/impact/element", id=element_id)
    kind = rows[0]["kind"] if rows else None
    found: dict[tuple[str, Direction], Affected] = {}
    seeds_of: dict[Direction, list[tuple[str, Effect, list[Step]]]] = {}
    if kind is not None and kind != "System":
        for way in _ways(direction):
            _, seeds_of[way] = await _seeds(tx, element_id, kind, way, found)
    if await version_token(tx) != graph.token:
        return None  # a write committed after the graph was read: read again
    if kind is None:
        raise IntegraphError(f"no element '{element_id}' in the graph")
    if kind == "System":
        return None  # cannot be at that version (the graph holds every system)
    walks = []
    for way, seeds in seeds_of.items():
        numbered = [
            (graph.index[system], effect, path[0])
            for system, effect, path in seeds
            if system in graph.index
        ]
        if len(numbered) != len(seeds):
            return None
        walks.append((way, _walk_graph(graph, way, None, numbered, depth)))
    return _assemble(graph, element_id, kind, direction, depth, found, walks, limit, offset)


class _Walk:
    """The systems one walk reached, in lists indexed by system number: ``level`` (0 not
    reached, -1 the start, else the depth), and the ``edge`` and ``parent`` system it was
    reached over (-1 for a system a changed flow reaches at depth 1: ``seed`` holds that
    flow's effect and step); ``reached`` in the order of the walk."""

    __slots__ = ("edge", "level", "parent", "reached", "seed")

    def __init__(self, systems: int) -> None:
        self.level = [0] * systems
        self.edge = [-1] * systems
        self.parent = [-1] * systems
        self.reached: list[int] = []
        self.seed: dict[int, tuple[Effect, Step]] = {}


def _walk_graph(
    graph: DependencyGraph,
    way: Direction,
    start: int | None,
    seeds: list[tuple[int, Effect, Step]],
    depth: int,
) -> _Walk:
    """Breadth-first from ``start`` (a system) or from the ``seeds`` (at depth 1).

    The best explanation of a system reached at a level minimises ``(severity order of the
    last edge, rank of the parent's path among the previous level's paths, edge)``; edges are
    numbered in flow id order, so this is the order of ``(-severity, [flow ids])`` that
    `_rank` gives, computed as one integer per candidate (no allocation per edge).
    """
    edges = graph.dependents if way == Direction.DOWNSTREAM else graph.providers
    severity_order = graph.severity_order
    width = max(graph.edge_count, 1)
    walk = _Walk(len(graph.systems))
    level_of, edge_of, parent_of, reached = walk.level, walk.edge, walk.parent, walk.reached
    key_of = [0] * len(graph.systems)
    path_of = [0] * len(graph.systems)
    frontier: list[int]
    ranks: list[int]  # of the frontier's paths, in the frontier's order
    if start is not None:
        level_of[start] = -1
        frontier, ranks = [start], [0]
        level = 1
    else:
        chosen: dict[int, tuple[int, str, Effect, Step]] = {}
        for system, effect, step in seeds:
            rank = _MOST_SEVERE - SEVERITY[effect]
            current = chosen.get(system)
            if current is None or (rank, step.flow) < current[:2]:
                chosen[system] = (rank, step.flow, effect, step)
        frontier = sorted(chosen, key=lambda s: chosen[s][1])
        ranks = []
        previous, rank = None, -1
        for system in frontier:
            _, flow, effect, step = chosen[system]
            level_of[system] = 1
            walk.seed[system] = (effect, step)
            reached.append(system)
            # Paths of one step: equal flow ids are equal paths (one flow reaching both ends).
            if flow != previous:
                previous, rank = flow, rank + 1
            ranks.append(rank)
        level = 2
    while frontier and level <= depth:
        stride = (ranks[-1] + 1) * width
        found: list[int] = []
        for parent, rank in zip(frontier, ranks, strict=True):
            base = rank * width
            for edge, system in edges[parent]:
                seen = level_of[system]
                if seen == 0:
                    level_of[system] = level
                    path = base + edge
                    path_of[system] = path
                    key_of[system] = severity_order[edge] * stride + path
                    parent_of[system] = parent
                    edge_of[system] = edge
                    found.append(system)
                elif seen == level:
                    path = base + edge
                    key = severity_order[edge] * stride + path
                    if key < key_of[system]:
                        key_of[system] = key
                        path_of[system] = path
                        parent_of[system] = parent
                        edge_of[system] = edge
        found.sort(key=path_of.__getitem__)
        reached.extend(found)
        # (parent rank, edge) pairs are distinct, so positions are the ranks of the paths.
        frontier, ranks = found, list(range(len(found)))
        level += 1
    return walk


def _assemble(
    graph: DependencyGraph,
    element_id: str,
    kind: str,
    direction: Direction,
    depth: int,
    flows: dict[tuple[str, Direction], Affected],
    walks: list[tuple[Direction, _Walk]],
    limit: int | None,
    offset: int,
) -> BlastRadius:
    """Order everything reached, count it, and describe one page of it (paths included)."""
    count = len(graph.systems)
    effects: Counter[Effect] = Counter()
    teams: Counter[str | None] = Counter()
    tiers: Counter[int | None] = Counter()
    ordered: list[tuple[Direction, _Walk, int]] = []
    for way, walk in walks:
        level, edge_of = walk.level, walk.edge
        walked = [n for n in walk.reached if edge_of[n] >= 0]
        # Systems are numbered in id order: (depth, severity, id) as one integer each.
        keys = [(level[n] * 8 + graph.severity_order[edge_of[n]]) * count + n for n in walked]
        keys.extend(
            (8 + _MOST_SEVERE - SEVERITY[effect]) * count + n
            for n, (effect, _) in walk.seed.items()
        )
        keys.sort()
        ordered.extend((way, walk, key % count) for key in keys)
        effects.update(graph.effects[edge_of[n]] for n in walked)
        effects.update(effect for effect, _ in walk.seed.values())
        teams.update(map(graph.teams.__getitem__, walk.reached))
        tiers.update(map(graph.tiers.__getitem__, walk.reached))
    end = None if limit is None else offset + limit
    if flows:
        # Flows touched by the change (depth 1) sort among the systems by id.
        entries: list[tuple[tuple[Any, ...], Affected | tuple[Direction, _Walk, int]]] = [
            (_order(a.direction, a.depth, a.effect, a.id), a) for a in flows.values()
        ]
        entries.extend(
            (
                _order(way, walk.level[n], _effect_of(graph, walk, n), graph.systems[n]),
                (way, walk, n),
            )
            for way, walk, n in ordered
        )
        entries.sort(key=lambda entry: entry[0])
        chosen = [item for _, item in entries[offset:end]]
    else:
        chosen = list(ordered[offset:end])
    page = []
    for item in chosen:
        if isinstance(item, Affected):
            page.append(item)
            continue
        way, walk, number = item
        page.append(
            Affected(
                graph.systems[number],
                "System",
                _effect_of(graph, walk, number),
                walk.level[number],
                way,
                _path(graph, walk, number),
                name=graph.names[number],
                team=graph.teams[number],
                tier=graph.tiers[number],
            )
        )
    return BlastRadius(
        element_id,
        kind,
        direction,
        depth,
        affected=page,
        total=len(flows) + len(ordered),
        offset=offset,
        limit=limit,
        counts=_summary(effects, teams, tiers),
    )


def _effect_of(graph: DependencyGraph, walk: _Walk, number: int) -> Effect:
    edge = walk.edge[number]
    return graph.effects[edge] if edge >= 0 else walk.seed[number][0]


def _path(graph: DependencyGraph, walk: _Walk, number: int) -> list[Step]:
    steps = []
    while walk.edge[number] >= 0:
        edge, parent = walk.edge[number], walk.parent[number]
        steps.append(
            Step(
                graph.flows[edge],
                graph.systems[parent],
                graph.systems[number],
                graph.patterns[edge],
                graph.effects[edge],
            )
        )
        number = parent
    if number in walk.seed:
        steps.append(walk.seed[number][1])
    steps.reverse()
    return steps


# -- the walk in the database (inside a given transaction) ---------------------------------


async def blast_radius_in(
    tx: Tx,
    element_id: str,
    direction: Direction,
    depth: int,
    *,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> BlastRadius:
    """The blast radius as ``tx`` sees the graph (its own uncommitted writes included), one
    Cypher query per level."""
    _check(depth, limit, offset)
    rows = await tx.run("queries/impact/element", id=element_id)
    if not rows:
        raise IntegraphError(f"no element '{element_id}' in the graph")
    kind = rows[0]["kind"]
    found: dict[tuple[str, Direction], Affected] = {}
    for way in _ways(direction):
        start, seeds = await _seeds(tx, element_id, kind, way, found)
        await _walk(tx, start, seeds, way, depth, found)
    affected = sorted(found.values(), key=lambda a: _order(a.direction, a.depth, a.effect, a.id))
    await _describe(tx, affected)
    systems = [a for a in affected if a.kind == "System"]
    end = None if limit is None else offset + limit
    return BlastRadius(
        element_id,
        kind,
        direction,
        depth,
        affected=affected[offset:end],
        total=len(affected),
        offset=offset,
        limit=limit,
        counts=_summary(
            Counter(a.effect for a in systems),
            Counter(a.team for a in systems),
            Counter(a.tier for a in systems),
        ),
    )


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
