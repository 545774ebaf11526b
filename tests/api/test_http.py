"""The app over HTTP (httpx through ASGI): auth, limits, errors, health, metrics, logs."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from integraph.api.app import build_app
from integraph.api.graphql.loaders import Reader
from integraph.auth.tokens import create_token, revoke_token
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.errors import CypherError

SYSTEMS = "{ systems(first: 3) { totalCount nodes { id name } } }"


def _client(app_context: AppContext, **settings: Any) -> httpx.AsyncClient:
    context = app_context
    if settings:
        context = AppContext(
            settings=load_settings(**settings),
            lint_config=app_context.lint_config,
            store=app_context.store,
        )
    app = build_app(context=context)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def client(app_context: AppContext, knowledge) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app_context) as http:
        yield http


@pytest.fixture
async def reader(graph) -> str:
    return (await create_token(graph, name="dash", role="reader", created_by="test")).token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _post(http: httpx.AsyncClient, query: str, token: str | None = None, **kw: Any):
    headers = _bearer(token) if token else {}
    return await http.post("/graphql", json={"query": query, **kw}, headers=headers)


async def test_a_reader_token_reads(client, reader) -> None:
    response = await _post(client, SYSTEMS, reader)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body
    assert body["data"]["systems"]["totalCount"] >= 3
    assert response.headers["x-request-id"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "this API needs a token"),
        ("Basic dXNlcjpwdw==", "malformed Authorization header"),
        ("Bearer igt_nope", "malformed API token"),
        ("Bearer igt_0123456789ab_" + "x" * 43, "unknown API token 0123456789ab"),
        ("Bearer something-else", "neither an Integraph API token nor a JWT"),
        ("Bearer a.b.c", "no OIDC issuer is configured"),
    ],
)
async def test_requests_without_a_usable_token_are_refused(client, header, message) -> None:
    headers = {"Authorization": header} if header else {}
    response = await client.post("/graphql", json={"query": SYSTEMS}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    (error,) = response.json()["errors"]
    assert message in error["message"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_wrong_revoked_and_expired_tokens_are_refused(client, graph, reader) -> None:
    token_id, secret = reader.split("_")[1], reader.split("_", 2)[2]
    wrong = f"igt_{token_id}_{'A' * len(secret)}"
    response = await _post(client, SYSTEMS, wrong)
    assert response.status_code == 401 and "wrong secret" in response.text

    expiring = (await create_token(graph, name="old", role="reader", created_by="t")).token
    await graph.write_transaction(
        lambda tx: tx.run_text(
            "MATCH (t:ApiToken {name: 'old'}) SET t.expires = date('2020-01-31')"
        )
    )
    response = await _post(client, SYSTEMS, expiring)
    assert response.status_code == 401 and "expired on 2020-01-31" in response.text

    await revoke_token(graph, "dash", by="test")
    response = await _post(client, SYSTEMS, reader)
    assert response.status_code == 401 and "was revoked" in response.text


async def test_anonymous_read_only_when_enabled(app_context, knowledge) -> None:
    async with _client(app_context, anonymous_read=True) as http:
        response = await _post(http, SYSTEMS)
        assert response.status_code == 200
        assert response.json()["data"]["systems"]["totalCount"] >= 3


async def test_limits_refuse_deep_wide_and_costly_queries(client, reader) -> None:
    deep = '{ system(id: "x") { id ' + "owner { systems { " * 7 + "id" + " } }" * 7 + " } }"
    aliases = "{ " + " ".join(f'a{i}: system(id: "x") {{ id }}' for i in range(40)) + " }"
    costly = (
        "{ systems(first: 1000) { nodes { outgoingFlows "
        "{ contract { versions { fields { path } } } } } } }"
    )
    costly = costly.replace("outgoingFlows", "o1: outgoingFlows").replace(
        "{ contract", "{ target { incomingFlows { source { outgoingFlows { id } } } } contract"
    )
    for query, code in ((deep, None), (aliases, None), (costly, "QUERY_TOO_COSTLY")):
        response = await _post(client, query, reader)
        body = response.json()
        assert body.get("data") is None, query
        assert body["errors"], query
        if code:
            assert body["errors"][0]["extensions"]["code"] == code


async def test_a_body_over_the_limit_is_refused(app_context, knowledge, reader) -> None:
    async with _client(app_context, api_max_body_bytes=1_000) as http:
        response = await _post(http, SYSTEMS + " " * 2_000, reader)
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_errors_carry_no_cypher_and_no_trace(client, reader, monkeypatch) -> None:
    async def failing(self: Reader, query: str, **params: Any) -> list[Any]:
        raise CypherError(
            "Neo.DatabaseError.General.UnknownError",
            f"MATCH (n) RETURN n failed in {query}: Traceback (most recent call last)",
        )

    monkeypatch.setattr(Reader, "read", failing)
    response = await _post(client, "{ systems { totalCount } }", reader)
    (error,) = response.json()["errors"]
    assert error["message"].startswith("internal error (request ")
    assert error["extensions"]["code"] == "INTERNAL"
    for leak in ("Cypher", "Traceback", "MATCH", "Neo.", "queries/api"):
        assert leak not in response.text


async def test_lucene_syntax_the_index_refuses_is_the_users_error(client, reader) -> None:
    response = await _post(client, '{ search(text: "((", lucene: true) { score } }', reader)
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("the search text is not valid Lucene syntax: ")
    assert "column 2" in error["message"]
    for leak in ("Cypher", "Traceback", "db.index", "Neo.", "queryNodes"):
        assert leak not in response.text


async def test_user_errors_keep_their_message(client, reader) -> None:
    response = await _post(client, "{ systems(first: 5000) { totalCount } }", reader)
    (error,) = response.json()["errors"]
    assert "first must be between 0 and 1000" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_health_readiness_and_metrics(client, reader) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    await _post(client, "query Dash " + SYSTEMS, reader, operationName="Dash")
    metrics = (await client.get("/metrics")).text
    assert (
        'integraph_graphql_requests_total{operation="Dash",outcome="ok",type="query"} 1.0'
        in metrics
    )
    listed = 'integraph_neo4j_query_seconds_count{outcome="ok",query="queries/api/list[System]"}'
    assert listed in metrics
    assert "integraph_neo4j_sessions_in_use" in metrics
    assert 'integraph_http_requests_total{route="/graphql",status="200"}' in metrics


async def test_readiness_fails_when_the_schema_is_behind(client, graph) -> None:
    await graph.write_transaction(
        lambda tx: tx.run_text(
            "MATCH (m:SchemaMigration) WITH max(m.version) AS v "
            "MATCH (m:SchemaMigration {version: v}) SET m.version = -v"
        )
    )
    try:
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
    finally:
        await graph.write_transaction(
            lambda tx: tx.run_text(
                "MATCH (m:SchemaMigration) WHERE m.version < 0 SET m.version = -m.version"
            )
        )


async def test_each_request_is_one_json_log_line_with_its_id(client, reader, caplog) -> None:
    caplog.set_level(logging.INFO, logger="integraph.api")
    response = await client.post(
        "/graphql", json={"query": SYSTEMS}, headers={**_bearer(reader), "X-Request-ID": "abc-1"}
    )
    assert response.headers["x-request-id"] == "abc-1"
    (record,) = [r for r in caplog.records if getattr(r, "request_id", None) == "abc-1"]
    assert record.status == 200 and record.principal == "token:dash" and record.path == "/graphql"
    from integraph.api.logs import JsonFormatter

    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc-1" and line["message"] == "request"


async def test_graphiql_on_loopback_only(app_context, knowledge) -> None:
    async with _client(app_context) as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
    async with _client(app_context, api_host="0.0.0.0") as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 405
