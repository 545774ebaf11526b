"""``integraph up``: the main job on the configured database, step by step."""

from __future__ import annotations

import asyncio
import time

from integraph.cli.output import console
from integraph.config import load_settings
from integraph.store.connect import open_store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import migrate


def up() -> None:
    """Start Neo4j (embedded unless NEO4J_URI is set), migrate it, and report what runs."""
    asyncio.run(_up())


async def _up() -> None:
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
    finally:
        await store.close()
    console.print(f"up in {time.monotonic() - began:.1f} s; stop Neo4j with `integraph db stop`")
