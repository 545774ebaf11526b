"""The application context: what a running Integraph holds, opened once per process.

One ``AppContext`` carries the settings, the lint configuration and the connection to Neo4j
(starting the embedded server first when no URI is configured). The CLI opens one per command
and the API server one per process (its lifespan); both are thin adapters over it and over the
service functions that take its store.

The schema: ``open_context(schema="migrate")`` applies the migrations the database lacks (``db
migrate``, ``up``, server start, and whenever this context had to start the embedded server
itself, so a brand-new store is usable at once); ``schema="check"`` (the default) only checks,
cheaply, that the database has every migration and says what to run when it has not.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

from integraph.config import Settings, load_settings
from integraph.lint.config import LintConfig, load_lint_config
from integraph.lint.warmup import start_warm_up, stop_warm_up
from integraph.store.driver import Store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import MigrationReport, migrate, require_current_schema

SchemaUse = Literal["migrate", "check", "none"]
Notify = Callable[[str], None]
"""notify(message): a line for the user about what the context is doing (starting Neo4j...)."""


@dataclass
class AppContext:
    """The process's resources: settings, lint configuration, the store."""

    settings: Settings
    lint_config: LintConfig
    store: Store
    migrations: MigrationReport | None = None
    started_server: bool = False
    warm_up: asyncio.Task[int] | None = None
    """The rules being planned in the background after a start (``lint.warmup``)."""


@asynccontextmanager
async def open_context(
    settings: Settings | None = None,
    *,
    schema: SchemaUse = "check",
    notify: Notify | None = None,
    keep_server: bool = True,
) -> AsyncIterator[AppContext]:
    """Connect (starting the embedded Neo4j if needed), settle the schema, yield the context.

    ``keep_server=False`` stops, on the way out, an embedded Neo4j that this context started
    (a pre-commit hook leaves no JVM behind); one that was already running keeps running.
    """
    settings = settings or load_settings()
    lint_config = load_lint_config()
    say = notify or (lambda _message: None)
    started = False
    server: EmbeddedNeo4j | None = None
    if settings.embedded:
        server = EmbeddedNeo4j(settings)
        if server.pid() is None:
            say("starting the embedded Neo4j (the first run downloads it from Maven Central)")
            seconds = await asyncio.to_thread(server.start)
            say(f"Neo4j ready at {server.uri} in {seconds:.1f} s")
            started = True
        uri, password = server.uri, server.password()
    else:
        assert settings.neo4j_uri is not None
        uri = settings.neo4j_uri
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    store: Store | None = None
    try:
        store = await Store.connect(
            uri,
            settings.neo4j_user,
            password,
            database=settings.neo4j_database,
            connect_timeout_s=settings.connect_timeout_s,
            query_timeout_s=settings.query_timeout_s,
        )
        report = None
        if schema == "migrate" or (schema == "check" and started):
            report = await migrate(store)
        elif schema == "check":
            await require_current_schema(store)
        # A server started just now has planned nothing: plan the rules in the background.
        warm_up = start_warm_up(store, lint_config) if started else None
        try:
            yield AppContext(settings, lint_config, store, report, started, warm_up)
        finally:
            await stop_warm_up(warm_up)
    finally:
        if store is not None:
            await store.close()
        if started and not keep_server and server is not None:
            say("stopping the embedded Neo4j this command started")
            await asyncio.to_thread(server.stop)
