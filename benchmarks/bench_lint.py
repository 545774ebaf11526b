"""The whole rule catalogue on the generated 10,000-system landscape: first lint after a Neo4j
start, then warm lints, per rule, with the floor and the ratios to the targets.

    python benchmarks/bench_lint.py [--systems 10000] [--seed 42] [--shape layered|random]
                                    [--runs 2] [--heap 6g] [--page-cache 2g]

Steps: generate the landscape and load it into a fresh embedded Neo4j (its own temporary
home, a free port); stop Neo4j and start it again through the application context, the way a
command does (so whatever the context warms up at a start runs as it would for a user); time
the first lint right away ("first after start"); then ``--runs`` more lints, the figures of
the last one are the warm ones. The floor is one pass over the graph: every element and
every relationship leaving it read once (`queries/lint/graph_pass`), what any lint that looks
at the whole landscape must at least do.

Targets (issue 13): warm total <= 10 s, no rule over 2 s, first lint after a start <= 2x the
warm total; the stress shape (``--shape random``) within 3x of them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.neo4j_target import free_port

from integraph.config import Settings, load_settings
from integraph.context import open_context
from integraph.generate import Shape, generate_landscape
from integraph.knowledge.load import load_landscape
from integraph.lint.config import LintConfig
from integraph.lint.findings import LintReport
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from integraph.store.embedded import EmbeddedNeo4j

TOTAL_TARGET_S, RULE_TARGET_S, COLD_TARGET_RATIO = 10.0, 2.0, 2.0


def total_of(report: LintReport) -> float:
    return sum(run.seconds for run in report.runs)


async def floor_of(store: Store) -> float:
    """Seconds of one pass over the graph (the best of three)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        await store.read("queries/lint/graph_pass")
        best = min(best, time.perf_counter() - began)
    return best


async def load(settings: Settings, systems: int, seed: int, shape: Shape) -> None:
    began = time.perf_counter()
    landscape = generate_landscape(systems, seed, shape=shape)
    print(
        f"generated {systems:,} systems ({shape.value}, seed {seed}) in "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )
    async with open_context(settings, schema="migrate") as context:
        began = time.perf_counter()
        report = await load_landscape(context.store, landscape)
        print(
            f"loaded {report.elements:,} elements, {report.relationships:,} relationships in "
            f"{time.perf_counter() - began:.1f} s",
            flush=True,
        )


async def bench(settings: Settings, args: argparse.Namespace) -> None:
    await load(settings, args.systems, args.seed, args.shape)
    EmbeddedNeo4j(settings).stop()
    rules = choose_rules()
    config = LintConfig(rule_timeout_s=600)
    began = time.perf_counter()
    async with open_context(settings) as context:
        print(f"Neo4j restarted in {time.perf_counter() - began:.1f} s", flush=True)
        began = time.perf_counter()
        cold = await lint(context.store, rules, config=config, fail_on=None)
        cold_wall = time.perf_counter() - began
        warm = cold
        for _ in range(args.runs):
            warm = await lint(context.store, rules, config=config, fail_on=None)
        floor = await floor_of(context.store)
    first = {run.rule.id: run.seconds for run in cold.runs}
    print(f"{'rule':<8} {'first':>8} {'warm':>8} {'findings':>9}  error")
    for run in sorted(warm.runs, key=lambda r: -r.seconds):
        print(
            f"{run.rule.id:<8} {first.get(run.rule.id, 0.0):8.3f} {run.seconds:8.3f} "
            f"{run.findings:9d}  {run.error or ''}"
        )
    total, cold_total = total_of(warm), total_of(cold)
    slowest = max(warm.runs, key=lambda r: r.seconds)
    print(
        f"{args.shape.value} landscape of {args.systems:,} systems, {len(warm.runs)} rules, "
        f"{len(warm.findings):,} findings, {len(warm.rule_errors)} rule errors "
        f"(first lint: {len(cold.findings):,} findings, {len(cold.rule_errors)} rule errors)"
    )
    print(f"  floor, one pass over the graph:  {floor:7.2f} s")
    print(
        f"  warm total:                      {total:7.2f} s  = {total / floor:5.1f}x the floor, "
        f"{total / TOTAL_TARGET_S:.2f}x of the {TOTAL_TARGET_S:.0f} s target"
    )
    print(
        f"  slowest rule {slowest.rule.id:<8}:           {slowest.seconds:7.2f} s  "
        f"= {slowest.seconds / RULE_TARGET_S:.2f}x of the {RULE_TARGET_S:.0f} s target"
    )
    print(
        f"  first lint after a start:        {cold_total:7.2f} s  = {cold_total / total:5.2f}x "
        f"the warm total (target {COLD_TARGET_RATIO:.0f}x); {cold_wall:.2f} s end to end"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=2, help="warm lints after the first")
    parser.add_argument(
        "--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED, help="landscape shape"
    )
    parser.add_argument("--heap", default="6g", help="embedded Neo4j heap")
    parser.add_argument("--page-cache", default="2g", help="embedded Neo4j page cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="integraph-bench-") as home:
        settings = load_settings(
            home=Path(home),
            embedded_port=free_port(),
            embedded_heap=args.heap,
            embedded_page_cache=args.page_cache,
            query_timeout_s=3600,
        )
        if not settings.embedded:
            sys.exit("NEO4J_URI is set: unset it, the benchmark runs its own embedded Neo4j")
        try:
            asyncio.run(bench(settings, args))
        finally:
            EmbeddedNeo4j(settings).stop()


if __name__ == "__main__":
    main()
