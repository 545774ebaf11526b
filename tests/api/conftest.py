"""Fixtures of the API tests: the knowledge fixture loaded, a context, a schema to query."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from integraph.api.graphql.context import RequestContext
from integraph.api.graphql.schema import build_schema
from integraph.auth.principal import LOCAL_ADMIN, Principal
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.knowledge.load import load_knowledge
from integraph.lint.config import LintConfig
from integraph.store.driver import Store

KNOWLEDGE = Path(__file__).resolve().parent.parent / "fixtures" / "blueprints" / "knowledge"


@pytest.fixture(scope="session")
def schema() -> Any:
    return build_schema()


@pytest.fixture
async def knowledge(graph: Store) -> AsyncIterator[Store]:
    """The three-blueprint knowledge fixture, loaded."""
    await load_knowledge(graph, [KNOWLEDGE])
    yield graph


@pytest.fixture
def app_context(graph: Store) -> AppContext:
    return AppContext(settings=load_settings(), lint_config=LintConfig(), store=graph)


class Run:
    """Executes documents against the schema as one request each; remembers the last context."""

    def __init__(self, schema: Any, app: AppContext) -> None:
        self.schema = schema
        self.app = app
        self.context: RequestContext | None = None

    async def __call__(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        principal: Principal = LOCAL_ADMIN,
    ) -> dict[str, Any]:
        self.context = RequestContext(app=self.app, principal=principal)
        result = await self.schema.execute(
            document, variable_values=variables, context_value=self.context
        )
        if result.errors:
            raise AssertionError([str(e) for e in result.errors])
        return result.data


@pytest.fixture
def run(schema: Any, app_context: AppContext) -> Run:
    return Run(schema, app_context)
