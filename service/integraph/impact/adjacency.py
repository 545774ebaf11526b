"""The system dependency graph held in memory, for blast radius, never older than the graph.

What a blast radius walks is small next to the whole graph: the systems (with the owner team,
name and tier an answer shows) and, per flow between two systems, its pattern, both ends and
whether a dead-letter policy covers it. `DependencyGraph` holds exactly that, read with two
bulk queries (``queries/impact/dependency_systems`` and ``dependency_flows``), as adjacency
lists in both directions of dependency:

* ``dependents[s]``: the ``(edge, system)`` pairs of the systems that depend on ``s`` (callers
  of ``s``, receivers of what ``s`` sends): a downstream walk follows these;
* ``providers[s]``: the systems ``s`` depends on: an upstream walk follows these.

Systems and edges are numbered; edges in the order of their flow ids, so comparing two edge
numbers compares their flow ids (what breaks ties between explanations).

**Never stale.** Every write transaction gives the graph a new random version token
(`integraph.store.writer.mark_graph_changed`); a rolled-back one (a what-if) leaves it as it
was. A `DependencyGraph` carries the token it was read at, and `dependency_graph` hands out
the cached one only while the committed token is still that one: each call reads the token
(one small query), and a changed token means a rebuild before the answer. The build reads the
token before and after its two queries in one read transaction and keeps the result only if
both are the same, so no write committed in between and the structure is exactly the graph of
that token (Neo4j reads committed data query by query, not from one snapshot). A graph with
no token at all (written before tokens existed, or cleared) is never cached: `None` tells the
caller to ask the database itself.

The cache holds one structure per `Store` (a weak reference: it goes with the store). The
structure is immutable, so concurrent answers may share it; two calls that both find it stale
may both rebuild, and the later one is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from integraph.impact.effects import SEVERITY, Effect, hop_effect
from integraph.store.driver import Store, Tx

_MOST_SEVERE = max(SEVERITY.values())

BUILD_ATTEMPTS = 3
"""Reads of the structure before giving up while writes keep committing during the build."""


@dataclass(frozen=True, eq=False)
class DependencyGraph:
    """Systems and the flows between them, as of one graph version (``token``)."""

    token: str
    systems: tuple[str, ...]
    """System ids, sorted; a system's number is its position."""
    index: Mapping[str, int]
    names: tuple[str, ...]
    teams: tuple[str | None, ...]
    tiers: tuple[int | None, ...]
    flows: tuple[str, ...]
    """Flow id of each edge, edges sorted by flow id (then source and target)."""
    patterns: tuple[str, ...]
    effects: tuple[Effect, ...]
    """The effect each edge carries one hop (`hop_effect` of its pattern and dead letter)."""
    severity_order: tuple[int, ...]
    """0 for an edge carrying the most severe effect, counting up (the first part of the rank
    of an explanation ending with the edge)."""
    sources: tuple[int, ...]
    targets: tuple[int, ...]
    dependents: tuple[tuple[tuple[int, int], ...], ...]
    providers: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def edge_count(self) -> int:
        return len(self.flows)


def build_dependency_graph(
    token: str, systems_row: dict[str, Any], flows_row: dict[str, Any]
) -> DependencyGraph:
    """The structure of the rows of the two bulk queries (each one row of lists)."""
    info: dict[str, tuple[str, str | None, int | None]] = {}
    for sid, name, team, tier in systems_row["systems"]:
        info[sid] = (name, team, tier)  # one entry per system (a system has one owner at most)
    systems = tuple(sorted(info))
    index = {sid: number for number, sid in enumerate(systems)}
    edges = sorted(
        (flow, source, target, pattern, bool(dead_letter))
        for flow, pattern, source, target, dead_letter in zip(
            flows_row["flows"],
            flows_row["patterns"],
            flows_row["sources"],
            flows_row["targets"],
            flows_row["dead_letters"],
            strict=True,
        )
        if source in index and target in index
    )
    dependents: list[list[tuple[int, int]]] = [[] for _ in systems]
    providers: list[list[tuple[int, int]]] = [[] for _ in systems]
    sources, targets, effects = [], [], []
    for edge, (_flow, source, target, pattern, dead_letter) in enumerate(edges):
        s, t = index[source], index[target]
        sources.append(s)
        targets.append(t)
        effects.append(hop_effect(pattern, dead_letter))
        if pattern == "request_response":
            # The caller (source) depends on the callee (target).
            dependents[t].append((edge, s))
            providers[s].append((edge, t))
        else:
            # The receiver (target) depends on the sender (source).
            dependents[s].append((edge, t))
            providers[t].append((edge, s))
    return DependencyGraph(
        token=token,
        systems=systems,
        index=index,
        names=tuple(info[s][0] for s in systems),
        teams=tuple(info[s][1] for s in systems),
        tiers=tuple(info[s][2] for s in systems),
        flows=tuple(e[0] for e in edges),
        patterns=tuple(e[3] for e in edges),
        effects=tuple(effects),
        severity_order=tuple(_MOST_SEVERE - SEVERITY[e] for e in effects),
        sources=tuple(sources),
        targets=tuple(targets),
        dependents=tuple(tuple(d) for d in dependents),
        providers=tuple(tuple(p) for p in providers),
    )


async def version_token(tx: Tx) -> str | None:
    """The graph's version token as this transaction sees it."""
    rows = await tx.run("queries/graph/version")
    return rows[0]["token"] if rows else None


async def read_dependency_graph(tx: Tx) -> DependencyGraph | None:
    """The structure as of the graph's current version; None when there is no token or a
    write committed while it was read."""
    token = await version_token(tx)
    if token is None:
        return None
    (systems,) = await tx.run("queries/impact/dependency_systems")
    (flows,) = await tx.run("queries/impact/dependency_flows")
    if await version_token(tx) != token:
        return None
    return build_dependency_graph(token, systems, flows)


_CACHE: WeakKeyDictionary[Store, DependencyGraph] = WeakKeyDictionary()


def cached_dependency_graph(store: Store) -> DependencyGraph | None:
    """The structure last built for ``store``, current or not (for tests and benchmarks)."""
    return _CACHE.get(store)


async def dependency_graph(store: Store) -> DependencyGraph | None:
    """The structure of the committed graph as it is now, rebuilt if the graph changed since
    the last call; None if the graph has no version token (ask the database instead)."""
    token = await store.read_transaction(version_token)
    if token is None:
        return None
    cached = _CACHE.get(store)
    if cached is not None and cached.token == token:
        return cached
    for _ in range(BUILD_ATTEMPTS):
        built = await store.read_transaction(read_dependency_graph)
        if built is not None:
            _CACHE[store] = built
            return built
    return None
