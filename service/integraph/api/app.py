"""The Starlette app `integraph serve` runs: /graphql, /healthz, /readyz, /metrics.

One application context per process, opened in the app's lifespan (or handed in by a test or
by `integraph up`, which already holds one): the GraphQL schema's resolvers reach the store
and the lint configuration through it. Around the endpoints: a request id and a JSON log
line per request, the body-size and time limits, CORS by setting, and authentication on
/graphql (every other route is public and says nothing about the data).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integraph.api.audits import scheduled_audits
from integraph.api.authn import Authenticator
from integraph.api.graphql.schema import build_schema
from integraph.api.graphql.view import IntegraphGraphQL, OperationMetrics
from integraph.api.limits import limit_extensions
from integraph.api.metrics import ApiMetrics
from integraph.auth.principal import NotAuthenticated
from integraph.config import Settings, load_settings
from integraph.context import AppContext, open_context
from integraph.errors import IntegraphError
from integraph.store.migrations import require_current_schema

log = logging.getLogger("integraph.api")


def graphiql_enabled(settings: Settings) -> bool:
    """GraphiQL is on by default only where the server listens on loopback."""
    if settings.graphiql is not None:
        return settings.graphiql
    if settings.api_host == "localhost":
        return True
    try:
        return ipaddress.ip_address(settings.api_host).is_loopback
    except ValueError:
        return False


def build_app(settings: Settings | None = None, *, context: AppContext | None = None) -> Starlette:
    """The API app; with `context` it serves that context instead of opening its own."""
    settings = settings or (context.settings if context else load_settings())
    metrics = ApiMetrics()
    schema = build_schema([*limit_extensions(settings), OperationMetrics])
    graphql = IntegraphGraphQL(
        schema,
        graphql_ide="graphiql" if graphiql_enabled(settings) else None,
        allow_queries_via_get=False,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if context is not None:
            async with scheduled_audits(context, metrics):
                yield
            return
        async with open_context(settings, schema="migrate") as opened:
            _attach(app, opened, metrics)
            async with scheduled_audits(opened, metrics):
                yield

    middleware = [Middleware(RequestLog, metrics=metrics)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-request-id"],
            )
        )
    middleware.append(Middleware(BodyLimit, max_bytes=settings.api_max_body_bytes))
    routes = [
        Route("/graphql", GraphQLRoute(graphql, settings), methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    if context is not None:  # usable at once, also by clients that skip the lifespan
        _attach(app, context, metrics)
    return app


def _attach(app: Starlette, context: AppContext, metrics: ApiMetrics) -> None:
    app.state.context = context
    app.state.authenticator = Authenticator(context.settings, context.store)
    metrics.watch(context.store)


class GraphQLRoute:
    """Authenticates, then hands the request to strawberry within the time limit."""

    def __init__(self, graphql: IntegraphGraphQL, settings: Settings) -> None:
        self.graphql = graphql
        self.settings = settings
        self.ide = graphiql_enabled(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        state = scope.setdefault("state", {})
        if request.method == "GET":
            if self.ide and "text/html" in request.headers.get("accept", ""):
                await self.graphql(scope, receive, send)
                return
            await _graphql_error(scope, receive, send, 405, "BAD_REQUEST", "send queries by POST")
            return
        try:
            state["principal"] = await request.app.state.authenticator.principal(request.headers)
        except NotAuthenticated as exc:
            await _graphql_error(scope, receive, send, 401, "UNAUTHENTICATED", str(exc))
            return
        except IntegraphError as exc:
            await _graphql_error(scope, receive, send, 503, "DATABASE_UNAVAILABLE", str(exc))
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asyncio.wait_for(
                self.graphql(scope, receive, tracked), self.settings.api_request_timeout_s
            )
        except TimeoutError:
            if not started:
                limit = self.settings.api_request_timeout_s
                await _graphql_error(
                    scope, receive, send, 504, "TIMEOUT", f"the request took longer than {limit} s"
                )


async def _graphql_error(
    scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str
) -> None:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    await JSONResponse(body, status_code=status, headers=headers)(scope, receive, send)


async def healthz(request: Request) -> Response:
    """The process is up (says nothing about Neo4j)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Neo4j answers and has every migration: else 503 with the reason."""
    context: AppContext | None = getattr(request.app.state, "context", None)
    if context is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    try:
        await asyncio.wait_for(context.store.read("queries/db/ping"), timeout=5)
        await asyncio.wait_for(require_current_schema(context.store), timeout=5)
    except TimeoutError:
        return JSONResponse({"status": "unavailable", "reason": "Neo4j did not answer in 5 s"}, 503)
    except IntegraphError as exc:
        return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
    return JSONResponse({"status": "ready"})


async def metrics_endpoint(request: Request) -> Response:
    metrics: ApiMetrics = request.app.state.metrics
    return Response(metrics.render(), media_type=metrics.content_type)


class RequestLog:
    """Gives each request an id (`X-Request-ID`, kept if the client sent one), logs one JSON
    line when it ends, and counts it by route and status."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = given if given and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        began = time.perf_counter()
        status = 500

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        finally:
            path = scope.get("path", "")
            route = path if path in ("/graphql", "/healthz", "/readyz", "/metrics") else "other"
            self.metrics.http.labels(route, str(status)).inc()
            principal = scope.get("state", {}).get("principal")
            extra: dict[str, Any] = {
                "request_id": request_id,
                "method": scope.get("method"),
                "path": path,
                "status": status,
                "ms": round((time.perf_counter() - began) * 1000, 1),
            }
            if principal is not None:
                extra["principal"] = principal.name
            log.info("request", extra=extra)


class BodyLimit:
    """Refuses request bodies above the limit (413), by Content-Length or as they stream in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _graphql_error(
            scope,
            receive,
            send,
            413,
            "REQUEST_TOO_LARGE",
            f"the request body is larger than {self.max_bytes} bytes",
        )


class _TooLarge(Exception):
    pass
