"""``integraph db``: the database Integraph works on (start, stop, status, logs, migrate)."""

from __future__ import annotations

import time
from typing import Any

import typer

from integraph.cli.output import console, human_bytes, human_duration
from integraph.cli.session import run_in_context
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import MigrationReport

app = typer.Typer(help="Start, stop and inspect the Neo4j database Integraph uses.")


def _embedded(action: str) -> EmbeddedNeo4j:
    settings = load_settings()
    if not settings.embedded:
        raise ConfigurationError(
            f"NEO4J_URI is set to {settings.neo4j_uri}: Integraph only {action}s the embedded "
            "Neo4j; unset NEO4J_URI to use it"
        )
    return EmbeddedNeo4j(settings)


@app.command()
def start() -> None:
    """Start the embedded Neo4j in the background (fetched from Maven Central on first use)."""
    server = _embedded("start")
    if server.pid() is not None:
        console.print(f"Neo4j is already running at {server.uri} (pid {server.pid()})")
        return
    began = time.monotonic()
    seconds = server.start()
    status = server.status()
    console.print(
        f"Neo4j {status.version} ready at {server.uri} in {seconds:.1f} s "
        f"({time.monotonic() - began:.1f} s in all), pid {status.pid}, "
        f"memory {human_bytes(status.rss_bytes)}\n"
        f"  data: {status.data_dir}\n  log:  {status.log_file}"
    )


@app.command()
def stop() -> None:
    """Stop the embedded Neo4j cleanly (SIGTERM; the store is flushed)."""
    server = _embedded("stop")
    if server.stop():
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@app.command()
def status() -> None:
    """Version, address, store size, pid, uptime and memory of the database."""
    settings = load_settings()
    if not settings.embedded:
        _external_status()
        return
    info = EmbeddedNeo4j(settings).status()
    state = "running" if info.running else "stopped"
    console.print(
        f"embedded Neo4j {info.version}: {state}\n"
        f"  address: {info.address}\n"
        f"  store:   {info.data_dir} ({human_bytes(info.store_bytes)})\n"
        f"  pid:     {info.pid or '-'}\n"
        f"  uptime:  {human_duration(info.uptime_s)}\n"
        f"  memory:  {human_bytes(info.rss_bytes)} resident\n"
        f"  log:     {info.log_file}"
    )
    if not info.running:
        raise typer.Exit(code=3)


def _external_status() -> None:
    async def work(context: AppContext) -> tuple[str, str, list[dict[str, Any]]]:
        store = context.store
        return store.uri, store.database, await store.read("queries/db/ping")

    uri, database, rows = run_in_context(work, schema="none")
    for row in rows:
        console.print(
            f"{row['name']} {row['version']} ({row['edition']}) at {uri}, database '{database}'"
        )


@app.command()
def logs(
    lines: int = typer.Option(50, "--lines", "-n", help="How many lines from the end."),
) -> None:
    """Print the end of the embedded Neo4j's log."""
    server = _embedded("show the log of")
    text = server.tail_log(lines)
    console.print(text if text else f"no log yet at {server.log_file}", markup=False)


@app.command("migrate")
def migrate_command() -> None:
    """Apply the schema migrations in cypher/schema that the database does not have yet."""

    async def work(context: AppContext) -> MigrationReport:
        assert context.migrations is not None
        return context.migrations

    report = run_in_context(work, schema="migrate")
    for name in report.applied:
        console.print(f"applied {name}")
    console.print(f"{len(report.applied)} applied, {len(report.already_applied)} already applied")
