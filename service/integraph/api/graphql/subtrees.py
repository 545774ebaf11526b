"""Large answers resolved a whole subtree at a time, level by level, straight into the response.

graphql-core completes an answer one object and one field at a time: resolve info, path,
resolver, await, completion. For a thousand systems with their flows, contracts, versions and
fields that is some 60,000 objects and a few hundred thousand values, and most of a request's
time. When a list of element nodes is to be completed and everything selected below it is one
of what this module knows:

- a plain property (a field with no resolver, no arguments and a scalar or enum type),
- a relation (`types.RELATIONS`: a resolver carrying `relation`), or an element's blueprint
  (a resolver carrying `lookup`),
- a plain function of the node (a resolver marked with `loaders.node_function`), whose value
  is a scalar or an object of plain fields (`location`),
- `__typename`,

then a plan is compiled once for that selection (`plan_for`), every relation of a level is
read for all the nodes of that level at once with only the properties the plan needs
(`Loaders.values`: one Cypher query per relation and level, batched across sibling lists
too), and each node's response object is built by a loop over the plan. An element reached
twice under the same plan (one contract behind many flows) is built once.

Anything else (arguments, JSON properties, other resolvers, `@defer` or `@stream`) gives no
plan, and the list goes through graphql-core unchanged. So does a list whose values the plan
cannot complete as graphql-core would (a null in a non-null field, a value its type refuses,
an element of no known type): `Fallback` sends it back, so the answer and its errors read
exactly the same either way; a test compares both ways over generated queries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    Undefined,
    is_leaf_type,
)

from integraph.api.graphql.derive import read_value
from integraph.api.graphql.loaders import LABEL, Loaders, Node, Relation, Way, matches
from integraph.store.driver import native

TYPENAME = "__typename"
_INT_RANGE = range(-(2**31), 2**31)
_PASSED = {"include", "skip"}
"""Directives graphql-core has already applied when it collects a selection's fields."""


class Fallback(Exception):
    """This list goes through graphql-core instead: the plan cannot complete it the same way."""


class NoPlan(Exception):
    """The selection uses something the plans do not know."""


# -- plans ----------------------------------------------------------------------------------
def coercer(leaf: GraphQLLeafType) -> Callable[[Any], Any]:
    """The leaf type's output coercion, short-cut for the common plain values. Values read by
    `Loaders.values` come as the driver decoded them: a temporal one is converted here."""
    output = leaf.coerce_output_value

    def coerce(value: Any) -> Any:
        return output(native(value))

    if leaf is GraphQLString or leaf is GraphQLID:
        return lambda value: value if type(value) is str else coerce(value)
    if leaf is GraphQLInt:
        return lambda value: value if type(value) is int and value in _INT_RANGE else coerce(value)
    if leaf is GraphQLBoolean:
        return lambda value: value if type(value) is bool else coerce(value)
    memo: dict[Any, Any] = {}

    def memoised(value: Any) -> Any:  # enums and other scalars of hashable values
        try:
            return memo[value]
        except KeyError:
            memo[value] = coerced = coerce(value)
            return coerced
        except TypeError:  # unhashable
            return coerce(value)

    return memoised


@dataclass(frozen=True)
class Leaf:
    """A scalar or enum value (or a list of them) read from the source."""

    key: str
    read: Callable[[Any], Any]
    coerce: Callable[[Any], Any]
    non_null: bool
    many: bool
    items_non_null: bool
    name: str = ""
    """The property (or attribute) read."""
    memo: dict[Any, Any] | None = None
    """An enum's output values by stored value, filled as they are met."""


@dataclass(frozen=True)
class Computed:
    """A node function's value: a scalar, or an object of plain fields (`shape`)."""

    key: str
    function: Callable[[Node], Any]
    non_null: bool
    coerce: Callable[[Any], Any] | None = None
    shape: ObjectPlan | None = None


@dataclass(eq=False)
class Link:
    """A relation (or the blueprint lookup) and the plans of what it leads to."""

    key: str
    relation: Relation | None
    lookup: str | None
    non_null: bool
    targets: dict[str, ObjectPlan]
    """Runtime type name -> plan: one entry for an object type, several for an interface."""
    type_of: Callable[[Node], str | None]
    keys: tuple[str, ...] = ()
    rel_keys: tuple[str, ...] = ()
    children: dict[str, list[Node]] = field(default_factory=dict)
    """Parent id -> what it leads to, filled level by level."""
    by_kind: dict[tuple[Any, Any], ObjectPlan] = field(default_factory=dict)
    """(label, kind) -> the plan for nodes of that runtime type."""


@dataclass(eq=False)
class ObjectPlan:
    """How to build one object type's response for a selection."""

    type_name: str
    steps: list[tuple[int, str, Any]]
    """(kind, response key, what) in the selection's order; see the kinds below."""
    needs: set[str]
    """Node properties the steps read."""
    links: list[Link]
    attributes: bool = False
    """Read an object's attributes (a node function's result), not a node's properties."""
    built: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Element id -> its response object, built once per request."""


_TEXT, _ENUM, _LEAF, _COMPUTED, _LINK, _TYPENAME = range(6)
"""Step kinds: a String or ID property (what: its name), an enum property (the `Leaf`), any
other leaf (the `Leaf`), a node function (`Computed`), a relation (`Link`), `__typename`."""


def _unwrap(kind: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    if isinstance(kind, GraphQLNonNull):
        return kind.of_type, True
    return kind, False


class Planner:
    """Compiles plans for one request's executor (its schema, fragments and variables)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self.schema = executor.schema
        self._plans: dict[tuple[str, int], tuple[Any, dict[str, ObjectPlan] | None]] = {}
        self._type_of: dict[str, Callable[[Node], str | None]] = {}

    def plan_for(self, item: GraphQLOutputType, details: Any) -> dict[str, ObjectPlan] | None:
        """Runtime type name -> plan for the items of a list of `item`, or None."""
        key = (getattr(item, "name", ""), id(details))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        try:
            plans = self._targets(item, details, attributes=False)
        except NoPlan:
            plans = None
        self._plans[key] = (details, plans)  # keeps `details` alive: its id stays unique
        return plans

    def type_of(self, item: GraphQLOutputType) -> Callable[[Node], str | None]:
        """The runtime type name of a node for an object type or an interface, else None."""
        name = getattr(item, "name", "")
        found = self._type_of.get(name)
        if found is not None:
            return found
        if isinstance(item, GraphQLInterfaceType):
            candidates = list(self.schema.get_possible_types(item))
        else:
            candidates = [item]
        tests = [(t.name, t.is_type_of) for t in candidates]
        memo: dict[tuple[Any, Any], str | None] = {}

        def type_of(node: Node) -> str | None:
            key = (node.get(LABEL), node.get("kind"))
            try:
                return memo[key]
            except KeyError:
                pass
            matching = [n for n, test in tests if test is not None and test(node, None)]
            memo[key] = found = matching[0] if len(matching) == 1 else None
            return found

        self._type_of[name] = type_of
        return type_of

    def _targets(
        self, item: GraphQLOutputType, details: Any, *, attributes: bool
    ) -> dict[str, ObjectPlan]:
        if isinstance(item, GraphQLObjectType):
            return {item.name: self._object(item, details, attributes=attributes)}
        if isinstance(item, GraphQLInterfaceType) and not attributes:
            return {
                t.name: self._object(t, details, attributes=False)
                for t in self.schema.get_possible_types(item)
            }
        raise NoPlan

    def _object(self, kind: GraphQLObjectType, details: Any, *, attributes: bool) -> ObjectPlan:
        grouped, defers, *_ = self.executor.collect_subfields(kind, details)
        if defers:
            raise NoPlan
        plan = ObjectPlan(kind.name, [], {"id"} if not attributes else set(), [], attributes)
        for response_key, field_details in grouped.items():
            for detail in field_details:
                if detail.defer_usage is not None or detail.fragment_variable_values:
                    raise NoPlan
                if any(d.name.value not in _PASSED for d in detail.node.directives or ()):
                    raise NoPlan
            node = field_details[0].node
            name = node.name.value
            if name == TYPENAME:
                plan.steps.append((_TYPENAME, response_key, kind.name))
                continue
            if node.arguments:
                raise NoPlan
            graphql_field = kind.fields.get(name)
            definition = (
                graphql_field.extensions.get("strawberry-definition") if graphql_field else None
            )
            if graphql_field is None or definition is None or graphql_field.args:
                raise NoPlan
            if definition.extensions or definition.permission_classes:
                raise NoPlan
            resolver = definition.base_resolver
            function = resolver.wrapped_func if resolver is not None else None
            if function is None:
                leaf = self._leaf(response_key, definition, graphql_field)
                plan.steps.append((_leaf_kind(leaf, graphql_field, attributes), response_key, leaf))
                plan.needs.add(definition.python_name)
            elif attributes:
                raise NoPlan
            elif hasattr(function, "node_needs"):
                computed = self._computed(response_key, function, graphql_field, field_details)
                plan.steps.append((_COMPUTED, response_key, computed))
                plan.needs.update(function.node_needs)
            elif hasattr(function, "relation") or hasattr(function, "lookup"):
                link = self._link(response_key, function, graphql_field, field_details)
                plan.steps.append((_LINK, response_key, link))
                plan.links.append(link)
                if link.lookup:
                    plan.needs.add(link.lookup)
            else:
                raise NoPlan
        return plan

    def _leaf(self, key: str, definition: Any, graphql_field: Any) -> Leaf:
        kind, non_null = _unwrap(graphql_field.type)
        many = isinstance(kind, GraphQLList)
        items_non_null = False
        if many:
            kind, items_non_null = _unwrap(kind.of_type)
        if not is_leaf_type(kind):
            raise NoPlan
        name = definition.python_name
        return Leaf(
            key=key,
            read=lambda source: read_value(source, name),
            coerce=coercer(kind),
            non_null=non_null,
            many=many,
            items_non_null=items_non_null,
            name=name,
            memo={} if isinstance(kind, GraphQLEnumType) and not many else None,
        )

    def _computed(self, key: str, function: Any, graphql_field: Any, details: Any) -> Computed:
        kind, non_null = _unwrap(graphql_field.type)
        if is_leaf_type(kind):
            return Computed(key, function, non_null, coerce=coercer(kind))
        if isinstance(kind, GraphQLObjectType):
            shape = self._object(kind, details, attributes=True)
            return Computed(key, function, non_null, shape=shape)
        raise NoPlan

    def _link(self, key: str, function: Any, graphql_field: Any, details: Any) -> Link:
        relation: Relation | None = getattr(function, "relation", None)
        lookup: str | None = getattr(function, "lookup", None)
        kind, non_null = _unwrap(graphql_field.type)
        many = isinstance(kind, GraphQLList)
        if many:
            kind, _ = _unwrap(kind.of_type)  # items are element nodes, never null
        if many != (relation is not None and relation.many):
            raise NoPlan
        targets = self._targets(kind, details, attributes=False)
        link = Link(
            key=key,
            relation=relation,
            lookup=lookup,
            non_null=non_null,
            targets=targets,
            type_of=self.type_of(kind),
        )
        if relation is not None:
            needs: set[str] = {"id", "kind"}
            for target in targets.values():
                needs |= target.needs
            rel_keys = set()
            for where_key, _ in relation.where:
                if where_key.startswith("rel."):
                    rel_keys.add(where_key[4:])
                elif where_key != LABEL:  # every node read carries its label
                    needs.add(where_key)
            link.keys, link.rel_keys = tuple(sorted(needs)), tuple(sorted(rel_keys))
        return link


# -- completion -----------------------------------------------------------------------------
class Completion:
    """Completes lists of nodes by their plans: reads level by level, then builds."""

    def __init__(self, loaders: Loaders) -> None:
        self.loaders = loaders

    async def complete(
        self, nodes: list[Node], plans: dict[str, ObjectPlan], type_of: Callable[[Node], str | None]
    ) -> list[Any]:
        """The response objects of `nodes` (element nodes, never null), in their order."""
        groups = self._grouped(nodes, plans, type_of)
        await asyncio.gather(*(self._read(plan, group) for plan, group in groups))
        return [self._item(n, plans, type_of) for n in nodes]

    @staticmethod
    def _grouped(
        nodes: list[Node], plans: dict[str, ObjectPlan], type_of: Callable[[Node], str | None]
    ) -> list[tuple[ObjectPlan, list[Node]]]:
        by_plan: dict[int, tuple[ObjectPlan, dict[str, Node]]] = {}
        for node in nodes:
            name = type_of(node)
            plan = plans.get(name) if name is not None else None
            if plan is None:
                raise Fallback
            entry = by_plan.get(id(plan))
            if entry is None:
                entry = by_plan[id(plan)] = (plan, {})
            entry[1].setdefault(node["id"], node)
        return [(plan, list(group.values())) for plan, group in by_plan.values()]

    async def _read(self, plan: ObjectPlan, nodes: list[Node]) -> None:
        """Read what the plan's links lead to for all `nodes`, then the next level."""
        if not plan.links:
            return
        await asyncio.gather(*(self._read_link(link, nodes) for link in plan.links))
        following: list[tuple[ObjectPlan, list[Node]]] = []
        for link in plan.links:
            reached = [child for n in nodes for child in link.children.get(n["id"], ())]
            following.extend(self._grouped(reached, link.targets, link.type_of))
        await asyncio.gather(*(self._read(p, group) for p, group in following))

    async def _read_link(self, link: Link, nodes: list[Node]) -> None:
        unread = [n for n in nodes if n["id"] not in link.children]
        ids = [n["id"] for n in unread]
        if link.lookup is not None:
            targets = {n["id"]: n.get(link.lookup) for n in unread}
            wanted = sorted({t for t in targets.values() if t is not None})
            found = dict(zip(wanted, await self.loaders.by_id.load_many(wanted), strict=True))
            for parent, target in targets.items():
                node = found.get(target) if target is not None else None
                link.children[parent] = [node] if node is not None else []
            return
        relation = link.relation
        assert relation is not None
        loader = self.loaders.values((relation.rel, relation.way, link.keys, link.rel_keys))
        lists = await loader.load_many(ids)
        where = relation.where
        for parent, children in zip(ids, lists, strict=True):
            if where:
                children = [c for c in children if matches(c, where)]
            link.children[parent] = children

    def _item(
        self, node: Node, plans: dict[str, ObjectPlan], type_of: Callable[[Node], str | None]
    ) -> Any:
        name = type_of(node)
        plan = plans.get(name) if name is not None else None
        if plan is None:
            raise Fallback
        return self._build(plan, node)

    def _build(self, plan: ObjectPlan, source: Any) -> dict[str, Any]:
        """The response object of `source` under `plan`: the hot loop of a large answer."""
        if not plan.attributes:
            built = plan.built.get(source["id"])
            if built is not None:
                return built
            get = source.get
        out: dict[str, Any] = {}
        for kind, key, what in plan.steps:
            if kind == _TEXT:
                value = get(what.name)
                out[key] = value if type(value) is str else _leaf_value(what, value)
            elif kind == _ENUM:
                value = get(what.name)
                coerced = what.memo.get(value) if type(value) is str else None
                out[key] = coerced if coerced is not None else _leaf_value(what, value)
            elif kind == _LINK:
                out[key] = self._link_value(what, source)
            elif kind == _LEAF:
                out[key] = _leaf_value(what, what.read(source))
            elif kind == _COMPUTED:
                out[key] = self._computed_value(what, source)
            else:
                out[key] = what
        if not plan.attributes:
            plan.built[source["id"]] = out
        return out

    def _link_value(self, link: Link, node: Node) -> Any:
        children = link.children.get(node["id"])
        if children is None:
            raise Fallback  # not read: cannot happen once `_read` has run
        by_kind, build = link.by_kind, self._build
        if link.relation is not None and link.relation.many:
            out = []
            for child in children:
                plan = by_kind.get((child[LABEL], child.get("kind"))) or _plan_of(link, child)
                out.append(build(plan, child))
            return out
        if not children:
            if link.non_null:
                raise Fallback
            return None
        child = children[0]
        return build(by_kind.get((child[LABEL], child.get("kind"))) or _plan_of(link, child), child)

    def _computed_value(self, step: Computed, node: Node) -> Any:
        value = step.function(node)
        if value is None:
            if step.non_null:
                raise Fallback
            return None
        if step.coerce is not None:
            return _coerced(step.coerce, value)
        assert step.shape is not None
        return self._build(step.shape, value)


def _plan_of(link: Link, node: Node) -> ObjectPlan:
    """The plan of what a link leads to, by its runtime type (remembered by label and kind)."""
    name = link.type_of(node)
    plan = link.targets.get(name) if name is not None else None
    if plan is None:
        raise Fallback
    link.by_kind[(node[LABEL], node.get("kind"))] = plan
    return plan


def _coerced(coerce: Callable[[Any], Any], value: Any) -> Any:
    try:
        coerced = coerce(value)
    except Exception:
        raise Fallback from None
    if coerced is None or coerced is Undefined:
        raise Fallback
    return coerced


def _leaf_kind(leaf: Leaf, graphql_field: Any, attributes: bool) -> int:
    kind, _ = _unwrap(graphql_field.type)
    if attributes or leaf.many:
        return _LEAF
    if kind is GraphQLString or kind is GraphQLID:
        return _TEXT
    return _ENUM if leaf.memo is not None else _LEAF


def _leaf_value(leaf: Leaf, value: Any) -> Any:
    if value is None:
        if leaf.non_null:
            raise Fallback
        return None
    if not leaf.many:
        coerced = _coerced(leaf.coerce, value)
        if leaf.memo is not None and type(value) is str:
            leaf.memo[value] = coerced
        return coerced
    if not isinstance(value, list):
        raise Fallback
    out = []
    for item in value:
        if item is None:
            if leaf.items_non_null:
                raise Fallback
            out.append(None)
        else:
            out.append(_coerced(leaf.coerce, item))
    return out


__all__ = ["Completion", "Fallback", "Planner", "Way"]
