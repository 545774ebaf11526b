"""The system dependency graph held in memory, for blast radius, never older than the graph.

What a blast radius walks is small next to the whole graph: the systems (with the owner team,
name and tier an answer shows) and the dependencies between them. `DependencyGraph` holds
exactly that, read with two bulk queries (``queries/impact/dependency_systems`` and
``dependency_flows``). A flow gives one dependency edge (a caller on its callee, a receiver on
its sender), a request-reply flow two (its requester also depends on its replier); each edge
carries its cap (`integraph.impact.effects.hop_effect` of the flow's pattern, dead-letter cover
and ``required``), and the edges are held as adjacency lists in both directions of dependency:

* ``dependents[s]``: the ``(edge, system)`` pairs of the systems that depend on ``s`` (callers
  of ``s``, receivers of what ``s`` sends, requesters of the replies ``s`` sends): a downstream
  walk follows these;
* ``providers[s]``: the systems ``s`` depends on: an upstream walk follows these.

Each list is ordered by cap, most severe first, so a walk over the edges of at least one cap
stops at the first edge below it.

Systems and edges are numbered; edges in the order of their flow ids (the two edges of a
request-reply flow side by side), so comparing the edge numbers of two different flows compares
their flow ids (what breaks ties between explanations).

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

BUILD_ATTEMPTS = 3
"""Reads of the structure before giving up while writes keep committing during the build."""


@dataclass(frozen=True, eq=False)
class DependencyGraph:
    """Systems and the dependencies between them, as of one graph version (``token``)."""

    token: str
    systems: tuple[str, ...]
    """System ids, sorted; a system's number is its position."""
    index: Mapping[str, int]
    names: tuple[str, ...]
    teams: tuple[str | None, ...]
    tiers: tuple[int | None, ...]
    flows: tuple[str, ...]
    """Flow id of each edge, edges sorted by flow id (a request-reply flow's receiver edge
    first, then its requester's)."""
    patterns: tuple[str, ...]
    """The pattern of each edge's flow."""
    effects: tuple[Effect, ...]
    """The cap of each edge (`hop_effect` of its flow's pattern, dead letter and required)."""
    caps: tuple[int, ...]
    """The severity of each edge's cap."""
    replies: tuple[bool, ...]
    """Whether the edge is a requester's dependency on the replier of a request-reply flow."""
    provider: tuple[int, ...]
    """The system each edge's dependent depends on."""
    dependent: tuple[int, ...]
    levels: tuple[int, ...]
    """The severities of the caps edges have, most severe first."""
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
    edges = []  # (flow, reply, dependent, provider, pattern, cap)
    for flow, pattern, source, target, dead_letter, required, has_reply in zip(
        flows_row["flows"],
        flows_row["patterns"],
        flows_row["sources"],
        flows_row["targets"],
        flows_row["dead_letters"],
        flows_row["required"],
        flows_row["replies"],
        strict=True,
    ):
        if source not in index or target not in index:
            continue
        s, t = index[source], index[target]
        cap = hop_effect(pattern, bool(dead_letter), required is not False)
        if pattern == "request_response":
            edges.append((flow, False, s, t, pattern, cap))  # the caller depends on the callee
            continue
        edges.append((flow, False, t, s, pattern, cap))  # the receiver depends on the sender
        if has_reply:
            # The requester (source) waits for the replier's (target's) reply.
            reply_cap = hop_effect(pattern, bool(dead_letter), required is not False, reply=True)
            edges.append((flow, True, s, t, pattern, reply_cap))
    edges.sort()
    dependents: list[list[tuple[int, int]]] = [[] for _ in systems]
    providers: list[list[tuple[int, int]]] = [[] for _ in systems]
    caps = tuple(SEVERITY[e[5]] for e in edges)
    for edge, (_flow, _reply, dependent, provider, _pattern, _cap) in enumerate(edges):
        dependents[provider].append((edge, dependent))
        providers[dependent].append((edge, provider))

    def by_cap(pairs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(pairs, key=lambda pair: (-caps[pair[0]], pair[0])))

    return DependencyGraph(
        token=token,
        systems=systems,
        index=index,
        names=tuple(info[s][0] for s in systems),
        teams=tuple(info[s][1] for s in systems),
        tiers=tuple(info[s][2] for s in systems),
        flows=tuple(e[0] for e in edges),
        patterns=tuple(e[4] for e in edges),
        effects=tuple(e[5] for e in edges),
        caps=caps,
        replies=tuple(e[1] for e in edges),
        provider=tuple(e[3] for e in edges),
        dependent=tuple(e[2] for e in edges),
        levels=tuple(sorted(set(caps), reverse=True)),
        dependents=tuple(by_cap(d) for d in dependents),
        providers=tuple(by_cap(p) for p in providers),
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
