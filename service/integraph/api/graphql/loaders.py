"""Batched reads behind the GraphQL fields: one Cypher query per kind of step, not per element.

A request gets fresh loaders: every `System.outgoingFlows` asked for while one level of the
answer is resolved becomes a single `queries/api/incoming` call over all of those systems'
ids. So the number of queries a request runs grows with the depth of its selection, never
with the number of elements it returns.

`Loader` is a DataLoader that waits for the level to settle before it runs its batch: the
usual "dispatch on the next loop turn" splits a level of a thousand elements into several
batches, because resolvers resume after awaits of different lengths.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from integraph.graph import RelType
from integraph.store.driver import Row, Store, native

Node = dict[str, Any]
"""A node's properties, with its kind under `LABEL` (and a relationship's under `REL`)."""
LABEL = "_label"
REL = "_rel"


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

QUIET_TURNS = 3
"""Loop turns without a new key after which a batch runs: resolvers resume over a few turns."""


class Loader(Generic[K, V]):
    """Collects the keys asked for while a level resolves, runs one batch, caches per request."""

    def __init__(self, batch: Callable[[list[K]], Awaitable[list[V]]]) -> None:
        self._batch_function = batch
        self._cache: dict[K, asyncio.Future[V]] = {}
        self._pending: list[K] = []
        self._scheduled = False

    def load(self, key: K) -> asyncio.Future[V]:
        future = self._cache.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._cache[key] = future
            self._pending.append(key)
            if not self._scheduled:
                self._scheduled = True
                asyncio.get_running_loop().create_task(self._dispatch_when_quiet())
        return future

    async def load_many(self, keys: Iterable[K]) -> list[V]:
        return list(await asyncio.gather(*(self.load(k) for k in keys)))

    async def _dispatch_when_quiet(self) -> None:
        quiet, seen = 0, -1
        while quiet < QUIET_TURNS:
            await asyncio.sleep(0)
            quiet = quiet + 1 if len(self._pending) == seen else 0
            seen = len(self._pending)
        keys, self._pending, self._scheduled = self._pending, [], False
        try:
            values = await self._batch_function(keys)
        except BaseException as exc:  # every waiting resolver gets the error
            for key in keys:
                self._cache.pop(key, None).set_exception(exc)  # type: ignore[union-attr]
            return
        for key, value in zip(keys, values, strict=True):
            self._cache[key].set_result(value)


class Way(StrEnum):
    OUT = "outgoing"
    IN = "incoming"


@dataclass(frozen=True)
class Relation:
    """A GraphQL field over one relationship type, read in one direction."""

    name: str
    rel: RelType
    way: Way
    target: str
    """The GraphQL type name of what it leads to (a type, `Element` or `Policy`)."""
    many: bool = True
    description: str = ""
    where: tuple[tuple[str, str], ...] = ()
    """Only targets (or relationships, prefixed `rel.`) with these property values."""


def matches(node: Node, where: tuple[tuple[str, str], ...]) -> bool:
    """Whether a related node (and the relationship that led to it) passes a `where`."""
    for key, value in where:
        if key.startswith("rel."):
            if (node.get(REL) or {}).get(key[4:]) != value:
                return False
        elif node.get(key) != value:
            return False
    return True


def node_function(*needs: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a resolver as a plain function of its node's properties `needs`, taking the node
    as its only argument: `subtrees.py` may then call it itself."""

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        function.node_needs = needs  # type: ignore[attr-defined]
        return function

    return mark


ValuesKey = tuple[RelType, Way, tuple[str, ...], tuple[str, ...]]
"""(relationship type, direction, node properties, relationship properties) of a values read."""


@dataclass
class Reader:
    """The request's reads: every query goes through here, so a request's query count is known."""

    store: Store
    queries: int = 0
    log: list[str] = field(default_factory=list)
    """The queries run, by name (and relationship type), in order."""

    async def read(self, query: str, **params: Any) -> list[Row]:
        self._count(query, params)
        return await self.store.read(query, **params)

    async def read_single(self, query: str, **params: Any) -> Any:
        self._count(query, params)
        return await self.store.read_single(query, **params)

    def _count(self, query: str, params: dict[str, Any]) -> None:
        self.queries += 1
        self.log.append(f"{query} {params.get('type') or ''}".strip())


def node_of(row: Row) -> Node:
    node = row["node"]
    node[LABEL] = row["label"]
    rel = row.get("rel")
    if rel:
        node[REL] = rel
    return node


@dataclass
class Loaders:
    """The request's DataLoaders."""

    reader: Reader
    by_id: Loader[str, Node | None] = field(init=False)
    related: Loader[tuple[RelType, Way, str], list[Node]] = field(init=False)
    users: Loader[str, list[Node]] = field(init=False)
    owner_team: Loader[str, str | None] = field(init=False)
    _values: dict[ValuesKey, Loader[str, list[Node]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = Loader(self._by_id)
        self.related = Loader(self._related)
        self.users = Loader(self._users)
        self.owner_team = Loader(self._owner_team)

    async def _owner_team(self, ids: list[str]) -> list[str | None]:
        pairs = await self.reader.read_single("queries/api/element_owner_teams", ids=list(ids))
        found = dict(pairs)
        return [found.get(i) for i in ids]

    async def _by_id(self, ids: list[str]) -> list[Node | None]:
        rows = await self.reader.read("queries/api/elements", ids=list(ids))
        found = {row["id"]: node_of(row) for row in rows}
        return [found.get(i) for i in ids]

    async def _related(self, keys: list[tuple[RelType, Way, str]]) -> list[list[Node]]:
        groups: dict[tuple[RelType, Way], list[str]] = defaultdict(list)
        for rel, way, element in keys:
            groups[(rel, way)].append(element)
        found: dict[tuple[RelType, Way, str], list[Node]] = defaultdict(list)
        for (rel, way), ids in groups.items():
            RelType(rel)  # only the fixed relationship types reach Cypher
            rows = await self.reader.read(f"queries/api/{way.value}", ids=ids, type=rel.value)
            for row in rows:
                found[(rel, way, row["id"])].append(node_of(row))
        for nodes in found.values():
            nodes.sort(key=_order)
        return [found.get(key, []) for key in keys]

    def values(self, key: ValuesKey) -> Loader[str, list[Node]]:
        """The elements a relationship leads to, in order, with only the properties in `key`:
        what `subtrees.py` reads for a whole level of an answer at once."""
        loader = self._values.get(key)
        if loader is None:
            loader = self._values[key] = Loader(lambda ids: self._related_values(key, ids))
        return loader

    async def _related_values(self, key: ValuesKey, ids: list[str]) -> list[list[Node]]:
        rel, way, keys, rel_keys = key
        RelType(rel)  # only the fixed relationship types reach Cypher
        related = await self.reader.read_single(
            f"queries/api/related_values_{way.value}[{rel.value}]",
            ids=ids,
            type=rel.value,
            keys=list(keys),
            rel_keys=list(rel_keys),
        )
        found: dict[str, list[Node]] = {}
        for element, items in related:  # values as the driver gave them (see Tx.single)
            nodes = []
            for label, values, rel_values in items:
                node = dict(zip(keys, values, strict=True))
                node[LABEL] = label
                if rel_keys:
                    node[REL] = dict(zip(rel_keys, native(rel_values), strict=True))
                nodes.append(node)
            found[element] = nodes
        return [found.get(i, []) for i in ids]

    async def _users(self, ids: list[str]) -> list[list[Node]]:
        rows = await self.reader.read("queries/api/blueprints_using", ids=list(ids))
        found: dict[str, list[Node]] = defaultdict(list)
        for row in rows:
            found[row["id"]].append(node_of(row))
        return [sorted(found.get(i, []), key=_order) for i in ids]


def _order(node: Node) -> tuple[int, str]:
    """Ordered relationships (a flow's `via`, a contract's versions) by position, else by id."""
    rel = node.get(REL) or {}
    position = rel.get("position", node.get("position"))
    return (position if isinstance(position, int) else 0, node["id"])
