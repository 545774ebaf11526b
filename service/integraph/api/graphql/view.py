"""The GraphQL endpoint: strawberry's ASGI view with Integraph's context and error format."""

from __future__ import annotations

import time
from typing import Any

from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension
from strawberry.http import GraphQLHTTPResponse

from integraph.api.authn import ANONYMOUS
from integraph.api.errors import format_error
from integraph.api.graphql.context import RequestContext

try:  # the `fast` extra
    import orjson
except ImportError:  # pragma: no cover - exercised where the extra is not installed
    orjson = None


class IntegraphGraphQL(GraphQL):
    """Builds each request's context (principal, loaders) and formats its errors."""

    def encode_json(self, data: object) -> str | bytes:
        """The answer as JSON: with orjson where installed (a large answer's JSON is a good
        part of its time), else as strawberry writes it; both compact, keys in order."""
        if orjson is not None:
            try:
                return orjson.dumps(data)
            except TypeError:  # an integer beyond 64 bits in a JSON value, say
                pass
        return super().encode_json(data)

    async def get_context(self, request: Request, response: Response) -> RequestContext:  # type: ignore[override]
        state = request.app.state
        # Only the GraphiQL page gets here unauthenticated (GraphQLRoute), and it reads nothing.
        principal = request.scope.get("state", {}).get("principal") or ANONYMOUS
        return RequestContext(
            app=state.context,
            principal=principal,
            request=request,
            metrics=state.metrics,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:  # type: ignore[override]
        request_id = request.scope.get("state", {}).get("request_id")
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [format_error(e, request_id) for e in result.errors]
        return response  # type: ignore[return-value]


class OperationMetrics(SchemaExtension):
    """Counts each operation by name, type and outcome, and times it."""

    def on_operation(self) -> Any:
        began = time.perf_counter()
        yield
        execution = self.execution_context
        context = execution.context
        metrics = getattr(context, "metrics", None)
        if metrics is None:
            return
        name = execution.operation_name or "anonymous"
        try:
            kind = execution.operation_type.value
        except (AttributeError, RuntimeError, Exception):  # invalid documents have no type
            kind = "invalid"
        errors = execution.result.errors if execution.result else execution.pre_execution_errors
        outcome = "error" if errors else "ok"
        metrics.requests.labels(name, kind, outcome).inc()
        metrics.latency.labels(name, kind).observe(time.perf_counter() - began)
