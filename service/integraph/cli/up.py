"""``integraph up``: the main job on the configured database, step by step."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import typer

from integraph.cli.output import console
from integraph.config import load_settings
from integraph.knowledge.load import load_blueprint
from integraph.lint.reports import render
from integraph.lint.service import choose_rules, lint
from integraph.resources import seed_dir
from integraph.store.connect import open_store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import migrate


def up(
    blueprint: Path | None = typer.Option(
        None, "--blueprint", help="Blueprint folder to load (default: the example in seed/)."
    ),
) -> None:
    """Start Neo4j (embedded unless NEO4J_URI is set), migrate, load the blueprint, lint it."""
    asyncio.run(_up(blueprint or seed_dir()))


async def _up(blueprint: Path) -> None:
    settings = load_settings()
    began = time.monotonic()
    if settings.embedded:
        server = EmbeddedNeo4j(settings)
        if server.pid() is None:
            console.print("starting the embedded Neo4j (first run downloads it from Maven Central)")
            seconds = await asyncio.to_thread(server.start)
            console.print(f"Neo4j ready at {server.uri} in {seconds:.1f} s")
        else:
            console.print(f"Neo4j already running at {server.uri}")
    store = await open_store(settings, migrated=False)
    try:
        report = await migrate(store)
        console.print(
            f"schema: {len(report.applied)} migrations applied, "
            f"{len(report.already_applied)} already there"
        )
        if not any(blueprint.rglob("*.yaml")):
            console.print(f"no blueprint files in {blueprint}: nothing to load")
        else:
            loaded = await load_blueprint(store, [blueprint], prune=True)
            console.print(
                f"loaded blueprint '{loaded.blueprint}' from {blueprint}: {loaded.elements} "
                f"elements, {loaded.relationships} relationships (created {loaded.created}, "
                f"updated {loaded.updated}, deleted {loaded.deleted}) in {loaded.seconds:.1f} s"
            )
            findings = await lint(store, choose_rules(), fail_on=None)
            console.print(render(findings, "text"), markup=False, highlight=False, end="")
    finally:
        await store.close()
    console.print(
        f"up in {time.monotonic() - began:.1f} s. Neo4j keeps running: explore with "
        "`integraph impact ID`, `integraph lineage pci`; stop it with `integraph db stop`"
    )
