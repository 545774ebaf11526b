"""Blast radius: what is affected, and how, when an element changes or fails.

Dependencies run from a consumer to its provider: a caller depends on the system it calls
synchronously; a receiver depends on the sender of an event, command, stream or batch; the
requester of a request-reply flow (a command or event with a ``reply``) also depends on its
replier, like a caller. Effects are ordered by severity: ``outage`` 6 > ``contract_break`` 5 >
``data_loss_risk`` 4 > ``degraded`` 3 > ``delayed`` 2 > ``deferred`` 1.

**Composition.** Each hop (one dependency over one flow) has a cap
(`integraph.impact.effects.hop_effect`):

* a synchronous request-response the caller requires: ``outage``; one with ``required:
  false`` (the caller has a fallback): ``degraded``;
* asynchronous (event, command, stream) through a dead-letter destination: ``delayed``;
  without one: ``data_loss_risk``;
* scheduled batch: ``deferred`` (to the next run);
* any flow with ``required: false`` caps at ``degraded`` at most (the least severe of that and
  its pattern's cap);
* a requester's dependency on its replier: ``outage`` if the flow is required, else
  ``degraded``.

The effect reaching a system over a hop is the least severe of the effect at the system it
depends on and the hop's cap. The changed system itself suffers ``outage``; a change to
another element starts from the flows it touches (``queries/impact/changed_flows``): those
flows, and the systems at their ends that rely on them (or read what changed), are affected
at depth 1 with the hop's cap (``contract_break`` for the readers of a changed contract or
field), and the composition goes on from there. So an outage travels only along required
synchronous dependencies, a caller of a failed system over a degradable flow is ``degraded``
(and so, at most, are its own callers), the callers of a delayed consumer are at most
``delayed``, and what lies beyond a batch is at most ``deferred``.

A system's effect is the most severe composed effect over the paths of at most ``depth``
hops reaching it; its explanation is the shortest path achieving that effect, ties broken by
the flow ids along the path compared as a list, so answers are deterministic. Each step of a
path carries the composed effect after that hop. Upstream (``direction`` upstream or both)
composes the same way over the reversed dependencies (from a system to what it relies on).
A component that is an instance of a logical one (a cluster per environment,
``instance_of``) changes the flows of the logical component, in its environments only: the
answer names the environments the change reaches (``environments``: those the changed
component or credential is bound to, none meaning every environment) and whether one of them
is a production one (``production``, true when unbound).

**How it is answered.** `blast_radius` walks an in-process copy of the system dependency
graph (`integraph.impact.adjacency`: systems, and per dependency its flow, ends and cap),
rebuilt whenever the graph's version token changes, so it never answers from stale data. It
runs one breadth-first search per effect level, most severe first, over the edges whose cap is
at least that level (from the seeds whose effect is): a system takes the first (most severe)
level reaching it, with that search's path. A search ranks the paths of one length by
``(rank of the parent's path, edge)``: edges are numbered in flow id order, so this orders them
exactly as comparing the whole lists of flow ids would. A system needs one round trip (the
version check) and the walk; another element also reads its changed flows, in a transaction
that checks the version again. Paths are rebuilt (from parent pointers) only for the page
returned: an answer holds the counts by effect, team and tier over everything affected, the
total, and ``limit`` affected elements from ``offset`` on, in a fixed order (downstream
first, then by depth, severity and id), so pages concatenate to the whole answer.

`blast_radius_in` answers inside a transaction the caller holds, walking the database one
Cypher query per depth (``queries/impact/dependents`` / ``providers``) over the whole
frontier, a breadth-first search over (system, composed effect) pairs: what-if uses it in its
rolled-back transaction, which sees writes no committed version has, and it is the reference
the in-memory walk is tested against (``tests/impact/test_blast_equivalence.py``).
`blast_radius` also falls back to it when the graph has no version token.
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
from integraph.impact.effects import (
    BY_SEVERITY,
    MOST_SEVERE,
    SEVERITY,
    Effect,
    hop_effect,
    least_severe,
)
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


class Direction(StrEnum):
    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    BOTH = "both"


@dataclass(frozen=True)
class Step:
    """One hop of an explanation: ``source`` -> ``target`` over ``flow``; ``effect`` is the
    composed effect after the hop."""

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
    ``total`` affected elements in order; ``counts`` cover all of them. ``environments``: the
    environments the change reaches (sorted ids; empty: not bound, every environment), and
    ``production`` whether one of them serves production (true when unbound)."""

    element: str
    kind: str
    direction: Direction
    depth: int
    affected: list[Affected] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    environments: list[str] = field(default_factory=list)
    production: bool = True

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


def _environments(row: dict[str, Any] | None) -> tuple[list[str], bool]:
    """The environments an element is bound to (sorted ids), and whether the change reaches
    production: one of them is, or there are none (every environment)."""
    bound = (row or {}).get("environments") or []
    ids = sorted({env for env, _ in bound})
    return ids, not ids or any(production for _, production in bound)


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
                graph, element_id, "System", direction, depth, {}, walks, limit, offset, None
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
    return _assemble(
        graph, element_id, kind, direction, depth, found, walks, limit, offset, rows[0]
    )


class _Walk:
    """The systems one walk reached, in lists indexed by system number: ``level`` (0 not
    reached, -1 the start, else the depth of its explanation) and ``severity`` (of its effect);
    ``reached`` in the order found. ``trees[level]`` holds the search of that effect level,
    ``(parent, edge)`` lists of the system and edge each system was reached over (-1 for the
    start and for a system a changed flow reaches at depth 1: ``seeds[level]`` holds that
    flow's effect and step)."""

    __slots__ = ("level", "reached", "seeds", "severity", "trees")

    def __init__(self, systems: int) -> None:
        self.level = [0] * systems
        self.severity = [0] * systems
        self.reached: list[int] = []
        self.trees: dict[int, tuple[list[int], list[int]]] = {}
        self.seeds: dict[int, dict[int, tuple[Effect, Step]]] = {}


def _walk_graph(
    graph: DependencyGraph,
    way: Direction,
    start: int | None,
    seeds: list[tuple[int, Effect, Step]],
    depth: int,
) -> _Walk:
    """One breadth-first search per effect level, most severe first, from ``start`` (a system,
    at ``outage``) or from the ``seeds`` (at depth 1) whose effect is at least the level, over
    the edges whose cap is at least the level; each system keeps the first level reaching it.

    Levels that no edge cap and no seed has reach what the next more severe one does, so only
    the others are searched. Within a search the best explanation of a system reached at one
    depth minimises ``(rank of the parent's path among the previous depth's paths, edge)``:
    edges are numbered in flow id order, so this is the order of the lists of flow ids,
    computed as one integer per candidate (no allocation per edge).
    """
    edges = graph.dependents if way == Direction.DOWNSTREAM else graph.providers
    caps = graph.caps
    count = len(graph.systems)
    width = max(graph.edge_count, 1)
    walk = _Walk(count)
    severity_of, level_of, reached = walk.severity, walk.level, walk.reached
    if start is not None:
        level_of[start] = -1
        levels: list[int] = list(graph.levels)
    else:
        seeded = {SEVERITY[effect] for _, effect, _ in seeds}
        top = max(seeded, default=0)
        levels = sorted({lv for lv in (*graph.levels, *seeded) if lv <= top}, reverse=True)
    for threshold in levels:
        dist = [0] * count
        parent_of = [-1] * count
        edge_of = [-1] * count
        key_of = [0] * count
        frontier: list[int]
        ranks: list[int]  # of the frontier's paths, in the frontier's order
        if start is not None:
            dist[start] = -1
            frontier, ranks = [start], [0]
            level = 1
        else:
            chosen: dict[int, tuple[str, int, Effect, Step]] = {}
            for system, effect, step in seeds:
                severity = SEVERITY[effect]
                if severity < threshold:
                    continue
                current = chosen.get(system)
                # The smallest flow id; one flow reaching a system twice: its worse effect.
                if current is None or (step.flow, -severity) < current[:2]:
                    chosen[system] = (step.flow, -severity, effect, step)
            frontier = sorted(chosen, key=lambda s: chosen[s][0])
            ranks = []
            at_level: dict[int, tuple[Effect, Step]] = {}
            previous, rank = None, -1
            for system in frontier:
                flow, _, effect, step = chosen[system]
                dist[system] = 1
                at_level[system] = (effect, step)
                if severity_of[system] == 0:
                    severity_of[system] = threshold
                    level_of[system] = 1
                    reached.append(system)
                # Paths of one step: equal flow ids are equal paths (one flow reaching both ends).
                if flow != previous:
                    previous, rank = flow, rank + 1
                ranks.append(rank)
            walk.seeds[threshold] = at_level
            level = 2
        while frontier and level <= depth:
            found: list[int] = []
            for parent, rank in zip(frontier, ranks, strict=True):
                base = rank * width
                for edge, system in edges[parent]:
                    if caps[edge] < threshold:
                        break  # the list is ordered by cap, most severe first
                    seen = dist[system]
                    if seen == 0:
                        dist[system] = level
                        key_of[system] = base + edge
                        parent_of[system] = parent
                        edge_of[system] = edge
                        found.append(system)
                    elif seen == level:
                        key = base + edge
                        if key < key_of[system]:
                            key_of[system] = key
                            parent_of[system] = parent
                            edge_of[system] = edge
            found.sort(key=key_of.__getitem__)
            for system in found:
                if severity_of[system] == 0:
                    severity_of[system] = threshold
                    level_of[system] = level
                    reached.append(system)
            # (parent rank, edge) pairs of distinct systems are distinct paths, so positions
            # are the ranks of the paths.
            frontier, ranks = found, list(range(len(found)))
            level += 1
        walk.trees[threshold] = (parent_of, edge_of)
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
    element: dict[str, Any] | None,
) -> BlastRadius:
    """Order everything reached, count it, and describe one page of it (paths included)."""
    count = len(graph.systems)
    effects: Counter[Effect] = Counter()
    teams: Counter[str | None] = Counter()
    tiers: Counter[int | None] = Counter()
    ordered: list[tuple[Direction, _Walk, int]] = []
    for way, walk in walks:
        level, severity = walk.level, walk.severity
        # Systems are numbered in id order: (depth, severity, id) as one integer each.
        keys = [(level[n] * 8 + MOST_SEVERE - severity[n]) * count + n for n in walk.reached]
        keys.sort()
        ordered.extend((way, walk, key % count) for key in keys)
        effects.update(BY_SEVERITY[severity[n]] for n in walk.reached)
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
                _order(way, walk.level[n], BY_SEVERITY[walk.severity[n]], graph.systems[n]),
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
                BY_SEVERITY[walk.severity[number]],
                walk.level[number],
                way,
                _path(graph, walk, number),
                name=graph.names[number],
                team=graph.teams[number],
                tier=graph.tiers[number],
            )
        )
    environments, production = _environments(element)
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
        environments=environments,
        production=production,
    )


def _path(graph: DependencyGraph, walk: _Walk, number: int) -> list[Step]:
    """The explanation of a system: the path of the search of its effect level, each step
    with the effect composed so far."""
    threshold = walk.severity[number]
    parent_of, edge_of = walk.trees[threshold]
    hops = []
    while edge_of[number] >= 0:
        hops.append((edge_of[number], parent_of[number], number))
        number = parent_of[number]
    hops.reverse()
    steps = []
    seed = walk.seeds.get(threshold, {}).get(number)
    if seed is None:
        effect = Effect.OUTAGE  # the changed system itself
    else:
        effect, step = seed
        steps.append(step)
    for edge, parent, system in hops:
        effect = least_severe(effect, graph.effects[edge])
        steps.append(
            Step(
                graph.flows[edge],
                graph.systems[parent],
                graph.systems[system],
                graph.patterns[edge],
                effect,
            )
        )
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
    Cypher query per depth."""
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
    environments, production = _environments(rows[0])
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
        environments=environments,
        production=production,
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
    seeds: dict[tuple[str, str], tuple[str, Effect, list[Step]]] = {}
    for row in await tx.run("queries/impact/changed_flows", id=element_id):
        dependencies = _dependencies(row)
        if row["cause"] == "contract":
            flow_effect = Effect.CONTRACT_BREAK
        else:
            # What the flow's failure does to the side suffering most from it.
            flow_effect = max(
                (cap for _, _, cap in dependencies),
                key=SEVERITY.__getitem__,
                default=hop_effect(row["pattern"], row["dead_letter"], row["required"]),
            )
        _record(
            found,
            Affected(row["flow"], "Flow", flow_effect, 1, way, []),
        )
        for system, step in _flow_sides(row, way, dependencies):
            # One flow reaching a system twice (both of its dependencies, a flow from a
            # system to itself) reaches it with the worse effect.
            current = seeds.get((system, step.flow))
            if current is None or SEVERITY[step.effect] > SEVERITY[current[1]]:
                seeds[(system, step.flow)] = (system, step.effect, [step])
    return set(), list(seeds.values())


def _dependencies(row: dict[str, Any]) -> list[tuple[str, str, Effect]]:
    """``(dependent, provider, cap)`` of each dependency over a changed flow: the caller's of
    a request-response, else the receiver's, and the requester's of a request-reply flow (its
    only one when only the reply's way is cut)."""
    source, target, pattern = row["source"], row["target"], row["pattern"]
    dead_letter, required = bool(row["dead_letter"]), row["required"] is not False
    if pattern == "request_response":
        return [(source, target, hop_effect(pattern, dead_letter, required))]
    dependencies = []
    if row["cause"] != "reply":
        dependencies.append((target, source, hop_effect(pattern, dead_letter, required)))
    if row["has_reply"]:
        reply = hop_effect(pattern, dead_letter, required, reply=True)
        dependencies.append((source, target, reply))
    return dependencies


def _flow_sides(
    row: dict[str, Any], way: Direction, dependencies: list[tuple[str, str, Effect]]
) -> list[tuple[str, Step]]:
    """The systems a changed flow affects (downstream: those relying on it, or reading what
    changed) or relies on (upstream), each with the step from the flow's other end."""
    source, target, pattern = row["source"], row["target"], row["pattern"]
    flow = row["flow"]
    if row["cause"] == "contract":
        effect = Effect.CONTRACT_BREAK
        if way == Direction.UPSTREAM:
            return [(p, Step(flow, d, p, pattern, effect)) for d, p, _ in dependencies]
        # The systems that read what changed: a request is read by the callee, a response or
        # error by the caller, a message by its receiver; a whole contract by both sides.
        sync = pattern == "request_response"
        part = row.get("part")
        if part in ("response", "error"):
            readers = [source]
        elif part in ("request", "message") or not sync:
            readers = [target]
        else:
            readers = [source, target]
        step_from = {source: target, target: source}
        return [
            (system, Step(flow, step_from[system], system, pattern, effect)) for system in readers
        ]
    if way == Direction.UPSTREAM:
        return [(p, Step(flow, d, p, pattern, cap)) for d, p, cap in dependencies]
    return [(d, Step(flow, p, d, pattern, cap)) for d, p, cap in dependencies]


async def _walk(
    tx: Tx,
    start: set[str],
    seeds: list[tuple[str, Effect, list[Step]]],
    way: Direction,
    depth: int,
    found: dict[tuple[str, Direction], Affected],
) -> None:
    """Breadth-first over (system, composed severity) pairs, one query per depth: a pair
    keeps the first depth reaching it and, among the paths of that depth, the smallest list of
    flow ids; a system is affected with its most severe pair."""
    reached: dict[tuple[str, int], list[Step]] = {}
    frontier: dict[tuple[str, int], list[Step]] = {}
    for system, effect, path in seeds:
        _keep(frontier, (system, SEVERITY[effect]), path)
    for system in start:
        frontier[(system, MOST_SEVERE)] = []
    reached.update(frontier)
    query = (
        "queries/impact/dependents" if way == Direction.DOWNSTREAM else "queries/impact/providers"
    )
    level = 1 if not seeds else 2
    while frontier and level <= depth:
        hops: dict[str, list[dict[str, Any]]] = {}
        for row in await tx.run(query, ids=sorted({s for s, _ in frontier})):
            hops.setdefault(row["from"], []).append(row)
        following: dict[tuple[str, int], list[Step]] = {}
        for (system, severity), path in frontier.items():
            for row in hops.get(system, []):
                if row["to"] in start:
                    continue  # the changed element itself is not "affected"
                cap = hop_effect(row["pattern"], row["dead_letter"], row["required"], row["reply"])
                composed = min(severity, SEVERITY[cap])
                pair = (row["to"], composed)
                if pair in reached:
                    continue
                step = Step(row["flow"], system, row["to"], row["pattern"], BY_SEVERITY[composed])
                _keep(following, pair, [*path, step])
        reached.update(following)
        frontier = following
        level += 1
    best: dict[str, tuple[int, list[Step]]] = {}
    for (system, severity), path in reached.items():
        if system not in start and severity > best.get(system, (0, []))[0]:
            best[system] = (severity, path)
    for system, (severity, path) in best.items():
        found[(system, way)] = Affected(
            system, "System", BY_SEVERITY[severity], len(path), way, path
        )


def _keep(
    paths: dict[tuple[str, int], list[Step]], pair: tuple[str, int], path: list[Step]
) -> None:
    """Keep the path with the smallest list of flow ids for the pair (paths of one length)."""
    current = paths.get(pair)
    if current is None or [s.flow for s in path] < [s.flow for s in current]:
        paths[pair] = path


def _record(found: dict[tuple[str, Direction], Affected], candidate: Affected) -> None:
    """Keep a changed flow once: the most severe effect it is recorded with."""
    key = (candidate.id, candidate.direction)
    current = found.get(key)
    if current is None or SEVERITY[candidate.effect] > SEVERITY[current.effect]:
        found[key] = candidate


async def _describe(tx: Tx, affected: list[Affected]) -> None:
    ids = sorted({a.id for a in affected if a.kind == "System"})
    if not ids:
        return
    info = {row["id"]: row for row in await tx.run("queries/impact/systems", ids=ids)}
    for item in affected:
        row = info.get(item.id)
        if row:
            item.name, item.team, item.tier = row["name"], row["team"], row["tier"]
