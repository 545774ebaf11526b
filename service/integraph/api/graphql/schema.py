"""The schema, assembled in one place: queries, mutations, types, limits."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig

from integraph.api.graphql.audits import AUDIT_TYPES
from integraph.api.graphql.derive import SCALARS, read_value
from integraph.api.graphql.execution import FieldByFieldExecutor, PlainLeavesExecutor
from integraph.api.graphql.mutations import Mutation
from integraph.api.graphql.queries import Query
from integraph.api.graphql.results import RESULT_TYPES
from integraph.api.graphql.types import ELEMENT_TYPES


def build_schema(
    extensions: list[Any] | None = None, *, planned_subtrees: bool = True
) -> strawberry.Schema:
    """The whole schema; `extensions` add the limits and metrics of a server.

    `planned_subtrees=False` completes every field through graphql-core (see
    `execution.py`): the same answers, slower; the tests compare the two."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[*ELEMENT_TYPES.values(), *RESULT_TYPES, *AUDIT_TYPES],
        config=StrawberryConfig(default_resolver=read_value, scalar_map=SCALARS),
        extensions=extensions or [],
        execution_context_class=(PlainLeavesExecutor if planned_subtrees else FieldByFieldExecutor),
    )
