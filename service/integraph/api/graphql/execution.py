"""Faster execution of large answers: whole subtrees at once, plain leaves read directly.

A list of element nodes whose selection `subtrees.py` can plan is completed there, a level at
a time (see that module). Everywhere else, in the lists it cannot plan and the objects above
them:

graphql-core runs every field through the same machinery: resolve info, path, resolver,
completion. For a thousand systems with their flows, contracts and fields that is a few
hundred thousand leaf values, and most of the request's time. A field with no resolver of its
own, no arguments and a scalar or enum type (or a list of them) needs none of it: its value is
the source's property (`derive.read_value`), serialised by its type. This executor does
exactly that for such fields and hands every other field, and every case it does not handle
(a null in a non-null field, a value its type refuses), to graphql-core unchanged, so errors
read the same.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from integraph.api.graphql.derive import read_value
from integraph.api.graphql.loaders import LABEL
from integraph.api.graphql.subtrees import Completion, Fallback, Planner

_Plan = tuple[str, GraphQLLeafType, bool, bool] | None
"""(python name, leaf type, non-null, list of leaves) of a plain leaf field, or None."""
_PLANS: dict[tuple[int, str, str], _Plan] = {}


def _plan(schema: Any, parent: GraphQLObjectType, name: str) -> _Plan:
    key = (id(schema), parent.name, name)
    if key in _PLANS:
        return _PLANS[key]
    plan: _Plan = None
    field = parent.fields.get(name)
    definition = field.extensions.get("strawberry-definition") if field else None
    if (
        field is not None
        and definition is not None
        and definition.base_resolver is None
        and not definition.extensions
        and not definition.permission_classes
        and not field.args
    ):
        kind = field.type
        non_null = isinstance(kind, GraphQLNonNull)
        kind = kind.of_type if non_null else kind
        many = isinstance(kind, GraphQLList)
        if many:
            item = kind.of_type
            kind = item.of_type if isinstance(item, GraphQLNonNull) else None
        if kind is not None and is_leaf_type(kind):
            plan = (definition.python_name, kind, non_null, many)
    _PLANS[key] = plan
    return plan


class PlainLeavesExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with planned subtrees and plain leaf fields read directly."""

    subtrees = True
    """Whether lists of element nodes may be completed by `subtrees.py` (tests compare)."""
    _planner: Planner | None = None
    _completion: Completion | None = None

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        loaders = getattr(self.context_value, "loaders", None)
        if self.subtrees and loaders is not None and type(result) is list and result:
            item = return_type.of_type
            item = item.of_type if isinstance(item, GraphQLNonNull) else item
            if isinstance(item, GraphQLObjectType | GraphQLInterfaceType) and all(
                type(n) is dict and LABEL in n for n in result
            ):
                if self._planner is None:
                    self._planner = Planner(self)
                    self._completion = Completion(loaders)
                plans = self._planner.plan_for(item, field_details_list)
                if plans is not None:
                    return self._complete_planned(
                        plans,
                        item,
                        (return_type, field_details_list, info, path, result, position_context),
                    )
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    async def _complete_planned(self, plans: Any, item: Any, arguments: tuple[Any, ...]) -> Any:
        assert self._planner is not None and self._completion is not None
        nodes = arguments[4]
        try:
            return await self._completion.complete(nodes, plans, self._planner.type_of(item))
        except Fallback:
            pass  # outside the handler: graphql-core's own errors chain to nothing of ours
        completed = super().complete_list_value(*arguments)
        return await completed if self.is_awaitable(completed) else completed

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        plan = None if node.arguments else _plan(self.schema, parent_type, node.name.value)
        if plan is not None:
            python_name, leaf, non_null, many = plan
            value = read_value(source, python_name)
            if value is None:
                if not non_null:
                    return None
            else:
                coerce = leaf.coerce_output_value
                try:
                    if many:
                        coerced = [coerce(v) for v in value]
                        if all(v is not None and v is not Undefined for v in coerced):
                            return coerced
                    else:
                        one = coerce(value)
                        if one is not None and one is not Undefined:
                            return one
                except Exception:
                    pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


class FieldByFieldExecutor(PlainLeavesExecutor):
    """The same executor without planned subtrees: every list completed by graphql-core."""

    subtrees = False
