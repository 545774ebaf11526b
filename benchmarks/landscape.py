"""A generated landscape loaded into a fresh embedded Neo4j, for the benchmarks."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.neo4j_target import free_port

from integraph.config import load_settings
from integraph.context import AppContext, open_context
from integraph.generate import Shape, generate_landscape
from integraph.knowledge.load import load_landscape
from integraph.store.driver import Store
from integraph.store.embedded import EmbeddedNeo4j


@asynccontextmanager
async def loaded_landscape(
    systems: int,
    seed: int,
    *,
    shape: Shape = Shape.LAYERED,
    heap: str = "6g",
    page_cache: str = "2g",
) -> AsyncIterator[Store]:
    """Generate ``systems`` systems of the shape, load them into a new embedded Neo4j, yield
    a store."""
    async with landscape_context(
        systems, seed, shape=shape, heap=heap, page_cache=page_cache
    ) as context:
        yield context.store


@asynccontextmanager
async def landscape_context(
    systems: int,
    seed: int,
    *,
    shape: Shape = Shape.LAYERED,
    heap: str = "6g",
    page_cache: str = "2g",
) -> AsyncIterator[AppContext]:
    """`loaded_landscape`, yielding the whole application context (its settings say where the
    embedded Neo4j listens and keeps its password, for a server started beside it)."""
    with tempfile.TemporaryDirectory(prefix="integraph-bench-") as home:
        settings = load_settings(
            home=Path(home),
            embedded_port=free_port(),
            embedded_heap=heap,
            embedded_page_cache=page_cache,
            query_timeout_s=3600,
        )
        began = time.perf_counter()
        landscape = generate_landscape(systems, seed, shape=shape)
        print(
            f"generated {systems:,} systems ({shape.value} shape, seed {seed}) in "
            f"{time.perf_counter() - began:.1f} s",
            flush=True,
        )
        try:
            async with open_context(settings, schema="migrate") as context:
                began = time.perf_counter()
                report = await load_landscape(context.store, landscape)
                print(
                    f"loaded {report.elements:,} elements, {report.relationships:,} "
                    f"relationships in {time.perf_counter() - began:.1f} s",
                    flush=True,
                )
                yield context
        finally:
            EmbeddedNeo4j(settings).stop()
