"""Planned subtrees (`subtrees.py`) answer exactly as graphql-core does field by field.

Every query here runs twice over the same graph, once through the schema's executor (lists of
elements completed a whole subtree at a time) and once with `planned_subtrees=False`: data
and errors must be identical, key order included. Hand-written queries cover each kind of
step (properties, enums, lists of scalars, relations both ways and with `where`, interfaces
and fragments, node functions, the blueprint lookup, aliases, @include/@skip, `__typename`)
and the fall-backs (fields the plans do not know, a null where the schema forbids one);
queries generated from the schema (hypothesis-graphql) cover the rest.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries

from integraph.api.graphql.context import RequestContext
from integraph.api.graphql.schema import build_schema
from integraph.auth.principal import LOCAL_ADMIN
from integraph.config import load_settings
from integraph.context import AppContext, open_context
from integraph.generate import generate_landscape
from integraph.knowledge.load import load_landscape
from tests.neo4j_target import Target

PLANNED = build_schema()
FIELD_BY_FIELD = build_schema(planned_subtrees=False)
GENERATED = 300

DEEP = """{ systems(first: 50) { totalCount nodes {
    id name tier trustZone tags displayName blueprintId location { file line column }
    owner { id name }
    outgoingFlows { id pattern mutating target { id external }
      via { id kind policies { id __typename ... on RetryPolicy { maxAttempts } } }
      contract { id versions { version fields { path type required part
        classification { id } } } }
      producerVersion { version } consumerVersion { version }
      credential { id kind heldBy { id } }
      policies { id kind __typename } }
    incomingFlows { id source { id owner { id } } } } } }"""

SHAPES = [
    DEEP,
    # aliases, the same field twice, fragments, directives
    """query($on: Boolean!) { systems(first: 20) { nodes { a: id b: id ...S
         outgoingFlows @include(if: $on) { id } incomingFlows @skip(if: $on) { id } } } }
       fragment S on System { name owner { ...T } }
       fragment T on Team { id name systems { id } }""",
    # interfaces: Element and Policy, by type
    """{ blueprints { nodes { id status elements { __typename id displayName
         ... on System { tier outgoingFlows { id } } ... on Flow { pattern source { id } }
         ... on Policy { kind } ... on RetryPolicy { appliesTo { id } } } } } }""",
    # relations with a `where` (producers/consumers, request/response parts)
    """{ contracts(first: 50) { nodes { id versions { version request { path }
         response { path } producers { id } consumers { id } nextVersion { version }
         previousVersion { version } contract { id } } flows { id } } } }""",
    # the blueprint lookup, decisions, waivers, credentials both ways
    """{ flows(first: 100) { nodes { id blueprint { id status owner { id } }
         credential { id flows { id } heldBy { id blueprint { id } } }
         governedBy { id } waivers { id } } } }""",
    # a field the plans do not know (masking) below a list: graphql-core completes it
    """{ flows(first: 100) { nodes { id masking { method field { path } }
         maskedFields { path classification { id } } } } }""",
]


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as running:
        yield running


@asynccontextmanager
async def context_of(target: Target) -> AsyncIterator[AppContext]:
    app_settings = load_settings(
        neo4j_uri=target.uri, neo4j_user=target.user, neo4j_password=target.password
    )
    async with open_context(app_settings, schema="check") as context:
        yield context


async def both_ways(
    app: AppContext, document: str, variables: dict[str, Any] | None = None
) -> tuple[str, str, RequestContext]:
    """Each executor's answer as JSON text (key order matters), and the planned request."""
    answers = []
    planned_request = None
    for schema in (PLANNED, FIELD_BY_FIELD):
        request = RequestContext(app=app, principal=LOCAL_ADMIN)
        result = await schema.execute(document, variable_values=variables, context_value=request)
        errors = [(e.message, e.path) for e in result.errors or ()]
        answers.append(json.dumps({"data": result.data, "errors": errors}))
        planned_request = planned_request or request
    assert planned_request is not None
    return answers[0], answers[1], planned_request


@pytest.fixture
async def landscape(knowledge) -> Any:
    """The knowledge fixture and a generated landscape beside it."""
    await load_landscape(knowledge, generate_landscape(60, 7))
    return knowledge


@pytest.mark.parametrize("shape", range(len(SHAPES)))
async def test_planned_answers_equal_field_by_field_ones(landscape, app_context, shape) -> None:
    for on in (True, False):
        planned, plain, request = await both_ways(app_context, SHAPES[shape], {"on": on})
        assert planned == plain
        assert '"errors": []' in planned
    if shape == 0:  # the deep read is planned: its relations read by values, level by level
        log = request.loaders.reader.log
        assert any(q.startswith("queries/api/related_values_incoming[FROM]") for q in log), log
        assert not any(q.startswith("queries/api/incoming ") for q in log), log


async def test_a_null_where_the_schema_forbids_one_reads_the_same_error(
    landscape, app_context
) -> None:
    await landscape.write_transaction(
        lambda tx: tx.run_text(
            "MATCH (s:System) WHERE s.blueprint = 'landscape' REMOVE s.lifecycle SET s.tier = 'x'"
        )
    )
    document = "{ systems(first: 30) { nodes { id lifecycle owner { id } } } }"
    planned, plain, _ = await both_ways(app_context, document)
    assert planned == plain
    assert "Cannot return null for non-nullable field System.lifecycle" in planned
    planned, plain, _ = await both_ways(app_context, document.replace("lifecycle", "tier"))
    assert planned == plain
    assert "Int cannot represent non-integer value: 'x'" in planned


async def test_the_deep_read_runs_the_same_queries_for_10_and_60_systems(
    landscape, app_context
) -> None:
    counts = []
    for first in (10, 60):
        document = DEEP.replace("first: 50", f"first: {first}")
        planned, plain, request = await both_ways(app_context, document)
        assert planned == plain
        counts.append(request.queries)
    assert counts[0] == counts[1]


def test_generated_queries_answer_the_same_both_ways(
    neo4j_target: Target, landscape, portal: BlockingPortal
) -> None:
    with portal.wrap_async_context_manager(context_of(neo4j_target)) as app:

        @settings(
            max_examples=GENERATED,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            query=queries(
                str(PLANNED),
                fields=["systems", "flows", "contracts", "components", "blueprints", "system"],
            )
        )
        def same_answers(query: str) -> None:
            planned, plain, _ = portal.call(both_ways, app, query)
            assert planned == plain, query
            asked.append(query)

        asked: list[str] = []
        same_answers()
    assert len(asked) >= GENERATED
