"""Queries generated from the schema (hypothesis-graphql) never break the API over HTTP.

Each generated query is POSTed with a reader token to the app over the knowledge fixture,
through httpx's ASGI transport (an exception escaping the app fails the test). Every answer
must be a GraphQL response below status 500 whose errors all carry a code, leak no trace and
no Cypher, and are not internal errors (an exception a resolver did not expect): Lucene
syntax the index refuses under `lucene: true`, say, is the user's error (BAD_USER_INPUT).

Hypothesis drives a synchronous test, so the app, its own context (a Store of its own) and
the HTTP client live on one event loop in a thread (anyio's blocking portal).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries

from integraph.api.app import build_app
from integraph.api.graphql.schema import build_schema
from integraph.auth.tokens import create_token
from integraph.config import load_settings
from integraph.context import open_context
from tests.neo4j_target import Target

EXAMPLES = 1_000
LEAKS = re.compile(
    r"Traceback|\bFile \"|Neo\.(Client|Transient|Database)Error|\b(MATCH|OPTIONAL MATCH|RETURN"
    r"|UNWIND|MERGE|DETACH DELETE)\b|\bCALL (db|apoc)\.|\.cypher\b|CypherError|queryNodes"
)


class InternalErrors(logging.Handler):
    """Keeps the exceptions the API logged as internal errors (errors.format_error)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.seen.append(record.exc_info[1])


@pytest.fixture
async def reader(knowledge) -> str:
    return (await create_token(knowledge, name="fuzz", role="reader", created_by="test")).token


@pytest.fixture
def internal_errors() -> Iterator[InternalErrors]:
    handler = InternalErrors()
    logger = logging.getLogger("integraph.api")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@asynccontextmanager
async def api_client(target: Target) -> AsyncIterator[httpx.AsyncClient]:
    """The app over a context of its own (opened on the portal's loop), as an HTTP client."""
    app_settings = load_settings(
        neo4j_uri=target.uri, neo4j_user=target.user, neo4j_password=target.password
    )
    async with open_context(app_settings, schema="check") as context:
        transport = httpx.ASGITransport(app=build_app(context=context))
        async with httpx.AsyncClient(transport=transport, base_url="http://fuzz") as client:
            yield client


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as running:
        yield running


def check_answer(query: str, response: httpx.Response, internal: list[BaseException]) -> None:
    assert response.status_code < 500, (query, response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert "data" in body or "errors" in body, (query, body)
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, (query, error)
        assert not LEAKS.search(error["message"]), (query, error)
        assert code != "INTERNAL", (query, error, [repr(e) for e in internal])


def test_generated_queries_never_break_the_api(
    neo4j_target: Target, reader: str, portal: BlockingPortal, internal_errors: InternalErrors
) -> None:
    headers = {"Authorization": f"Bearer {reader}"}
    with portal.wrap_async_context_manager(api_client(neo4j_target)) as client:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,  # nothing written into the work tree
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
        )
        @given(query=queries(str(build_schema())))
        def answer_is_safe(query: str) -> None:
            internal_errors.seen.clear()
            post = partial(client.post, "/graphql", json={"query": query}, headers=headers)
            check_answer(query, portal.call(post), internal_errors.seen)
            asked.append(query)

        asked: list[str] = []
        answer_is_safe()
    assert len(asked) >= EXAMPLES
