"""How errors reach API clients: one place, a message and a code, never a trace or Cypher.

Integraph's own errors (`IntegraphError`) carry messages written for users and keep them,
with a code; GraphQL's own (syntax, validation, a limit) keep theirs. Anything else, and any
error from the database, becomes "internal error" with the request id, and is logged with
its trace on the server.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from integraph.auth.principal import Forbidden, NotAuthenticated
from integraph.errors import DatabaseUnavailable, IntegraphError, QueryFailed

log = logging.getLogger("integraph.api")

CODES: tuple[tuple[type[BaseException], str], ...] = (
    (NotAuthenticated, "UNAUTHENTICATED"),
    (Forbidden, "FORBIDDEN"),
    (DatabaseUnavailable, "DATABASE_UNAVAILABLE"),
    (QueryFailed, "INTERNAL"),
    (IntegraphError, "BAD_USER_INPUT"),
    (ValueError, "BAD_USER_INPUT"),
)


def error_code(exc: BaseException | None) -> str:
    for kind, code in CODES:
        if isinstance(exc, kind):
            return getattr(exc, "code", None) or code
    return "INTERNAL"


def format_error(error: GraphQLError, request_id: str | None) -> dict[str, Any]:
    """The JSON of one GraphQL error as the client sees it."""
    original = error.original_error
    if original is None:  # syntax, validation, limits: GraphQL's own, safe to show
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        message = error.message
    else:
        code = error_code(original)
        if code == "INTERNAL" or isinstance(original, QueryFailed):
            log.error(
                "internal error",
                exc_info=(type(original), original, original.__traceback__),
                extra={"request_id": request_id},
            )
            code, message = "INTERNAL", f"internal error (request {request_id})"
        elif code == "DATABASE_UNAVAILABLE":
            message = "the database is not reachable right now; try again later"
        else:
            message = str(original)
    formatted: dict[str, Any] = {"message": message, "extensions": {"code": code}}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = error.path
    extra = getattr(original, "graphql_extensions", None)
    if callable(extra):
        formatted["extensions"].update(extra())
    return formatted
