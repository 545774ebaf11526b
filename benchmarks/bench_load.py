"""Loads the generated 10,000-system landscape into a fresh embedded Neo4j and prints figures.

    python benchmarks/bench_load.py [--systems 10000] [--seed 42] [--shape layered|random]
                                    [--heap 1g] [--page-cache 512m] [--timeout 3600]

Steps: generate the landscape, write it as files to a temporary folder, start an embedded
Neo4j in its own temporary home on a free port, then time what ``integraph load`` does (parse
and validate the files, then write them in one transaction), and a second, idempotent load of
the same files. Target (issue 3): at least 20,000 elements/s.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.neo4j_target import free_port

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.config import Settings, load_settings
from integraph.context import open_context
from integraph.generate import Shape, generate_landscape
from integraph.graph import to_graph
from integraph.knowledge.load import load_blueprint, load_landscape
from integraph.store.embedded import EmbeddedNeo4j

TARGET = 20_000
RELOAD_TARGET_S = 3.0  # issue 13: a reload with nothing changed
"""Elements per second the whole load should reach."""


def timed(label: str, began: float) -> float:
    """Print how long a step took since `began` and return it."""
    seconds = time.perf_counter() - began
    print(f"{label:<34}{seconds:8.1f} s", flush=True)
    return seconds


def peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def bench(settings: Settings, folder: Path, systems: int, seed: int, shape: Shape) -> None:
    began = time.perf_counter()
    landscape = generate_landscape(systems, seed, shape=shape)
    timed(f"generate {systems} systems ({shape.value})", began)
    began = time.perf_counter()
    files = write_blueprint_files(landscape, folder)
    timed(f"write {len(files)} files", began)
    size = sum(f.stat().st_size for f in files) / 2**20
    lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
    print(f"  {size:.0f} MiB, {lines:,} lines of YAML")
    count = landscape.count().by_kind
    types = sum(len(v.types) for c in landscape.contracts for v in c.versions)
    print(
        "  "
        + ", ".join(
            f"{count[kind]:,} {kind}s"
            for kind in ("system", "flow", "component", "contract", "contract version")
        )
        + f", {count['operation']:,} operations, {types:,} named types, "
        f"{count['field']:,} fields, {count['policy']:,} policies, "
        f"{count['credential']:,} credentials"
    )
    del landscape

    began = time.perf_counter()
    async with open_context(settings, schema="migrate") as context:
        store = context.store
        timed("start embedded Neo4j + migrate", began)
        began = time.perf_counter()
        parsed = load_blueprint_files([folder])
        parse = timed("parse + validate", began)
        began = time.perf_counter()
        rows = to_graph(parsed)
        timed("  to_graph (measured apart)", began)
        del rows
        began = time.perf_counter()
        report = await load_landscape(store, parsed)
        write = timed("write (to_graph + Neo4j, 1 tx)", began)
        total = parse + write
        print(f"{'total load':<34}{total:8.1f} s")
        print(f"elements: {report.elements:,}; relationships: {report.relationships:,}")
        print(f"  created {report.created:,}, updated {report.updated:,}")
        print(f"elements/s of the write:          {report.elements / write:10,.0f}")
        verdict = "meets" if report.elements / total >= TARGET else "below"
        print(
            f"elements/s of the whole load:     {report.elements / total:10,.0f}"
            f"  ({verdict} the target of {TARGET:,})"
        )
        del parsed
        again = await load_blueprint(store, [folder])
        print(
            f"{'second load (parse + write)':<34}{again.seconds:8.1f} s: created {again.created}, "
            f"updated {again.updated}, unchanged {again.unchanged:,}"
        )
        # The second load came from the files and recorded their digest: a third finds it.
        same = await load_blueprint(store, [folder])
        verdict = "meets" if same.seconds <= RELOAD_TARGET_S else "misses"
        print(
            f"{'reload, files unchanged':<34}{same.seconds:8.1f} s: parsed nothing "
            f"({same.files_unchanged}); {verdict} the target of {RELOAD_TARGET_S:.0f} s"
        )
        print(f"peak memory of the Python process: {peak_mib():,.0f} MiB (ru_maxrss)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED, help="landscape shape"
    )
    parser.add_argument("--heap", default=None, help="embedded Neo4j heap (default: settings)")
    parser.add_argument("--page-cache", default=None, help="embedded Neo4j page cache")
    parser.add_argument(
        "--timeout", type=float, default=3600, help="transaction timeout, s (settings: 120)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="integraph-bench-") as scratch:
        sizing = {"embedded_heap": args.heap, "embedded_page_cache": args.page_cache}
        settings = load_settings(
            home=Path(scratch) / "home",
            embedded_port=free_port(),
            query_timeout_s=args.timeout,
            **{name: value for name, value in sizing.items() if value is not None},
        )
        if not settings.embedded:
            sys.exit("NEO4J_URI is set: unset it, the benchmark runs its own embedded Neo4j")
        print(
            f"Neo4j heap {settings.embedded_heap}, page cache {settings.embedded_page_cache}, "
            f"transaction timeout {settings.query_timeout_s:.0f} s"
        )
        try:
            folder = Path(scratch) / "blueprint"
            asyncio.run(bench(settings, folder, args.systems, args.seed, args.shape))
        finally:
            EmbeddedNeo4j(settings).stop()


if __name__ == "__main__":
    main()
