"""The whole rule catalogue on the generated 10,000-system landscape: first lint after a Neo4j
start, then warm lints, per rule, with the floor and the ratios to the targets.

    python benchmarks/bench_lint.py [--systems 10000] [--seed 42] [--shape layered|random]
                                    [--runs 2] [--heap 6g] [--page-cache 2g]

Steps: generate the landscape and load it into a fresh embedded Neo4j (its own temporary
home, a free port); stop Neo4j and start it again through the application context, the way a
command does, so the context's background warm-up (lint/warmup.py) runs as it would for a
user; time the first lint right away ("at once", racing the warm-up); then ``--runs`` more
lints with the verdict cache emptied before each, as in a new process ("warm", the last one
counts), and one with it kept ("cached"). Then restart once more and lint only once the
warm-up is done ("after w-up": a lint run a little after the start, e.g. after `db start`).
The floor is one pass over the graph: every element and every relationship leaving it read
once (`queries/lint/graph_pass`), what any lint that looks at the whole landscape must at
least do.

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
from integraph.lint.checks import clear_verdict_cache
from integraph.lint.config import LintConfig
from integraph.lint.findings import LintReport
from integraph.lint.service import choose_rules, lint
from integraph.store.derived import derive_facts
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
        # What the derived facts add to every later write that changes nothing they depend on.
        began = time.perf_counter()
        await context.store.write_transaction(derive_facts)
        print(
            f"derived facts brought up to date (nothing changed) in "
            f"{time.perf_counter() - began:.2f} s",
            flush=True,
        )


async def bench(settings: Settings, args: argparse.Namespace) -> None:
    await load(settings, args.systems, args.seed, args.shape)
    rules = choose_rules()
    config = LintConfig(rule_timeout_s=600)

    async def lint_once(store: Store, *, fresh_process: bool) -> LintReport:
        if fresh_process:  # what a new `integraph lint` process starts with
            clear_verdict_cache()
        return await lint(store, rules, config=config, fail_on=None)

    # 1. The command that starts Neo4j lints at once, while its warm-up plans in the background.
    EmbeddedNeo4j(settings).stop()
    began = time.perf_counter()
    async with open_context(settings) as context:
        print(f"Neo4j restarted in {time.perf_counter() - began:.1f} s", flush=True)
        at_once = await lint_once(context.store, fresh_process=True)
        fresh = at_once
        for _ in range(args.runs):
            fresh = await lint_once(context.store, fresh_process=True)
        cached = await lint_once(context.store, fresh_process=False)
        floor = await floor_of(context.store)
    # 2. A lint after the start's warm-up is done (a later command, e.g. after `db start`).
    EmbeddedNeo4j(settings).stop()
    async with open_context(settings) as context:
        began = time.perf_counter()
        assert context.warm_up is not None
        planned = await context.warm_up
        warm_up_s = time.perf_counter() - began
        after_warm_up = await lint_once(context.store, fresh_process=True)

    columns = {"at once": at_once, "after w-up": after_warm_up, "warm": fresh, "cached": cached}
    seconds = {
        name: {r.rule.id: r.seconds for r in report.runs} for name, report in columns.items()
    }
    print(f"{'rule':<8} " + " ".join(f"{name:>10}" for name in columns) + f" {'findings':>9}")
    for run in sorted(fresh.runs, key=lambda r: -r.seconds):
        print(
            f"{run.rule.id:<8} "
            + " ".join(f"{seconds[name].get(run.rule.id, 0.0):10.3f}" for name in columns)
            + f" {run.findings:9d}  {run.error or ''}"
        )
    print("(first lint: at once = right after the start, racing the warm-up; after w-up = after")
    print(" it; warm = plans cached, verdict cache empty as in a new process; cached = both warm)")
    total = total_of(fresh)
    slowest = max(fresh.runs, key=lambda r: r.seconds)
    same = {len(r.findings) for r in columns.values()} == {len(fresh.findings)}
    print(
        f"{args.shape.value} landscape of {args.systems:,} systems, {len(fresh.runs)} rules, "
        f"{len(fresh.findings):,} findings ({'the same' if same else 'NOT the same'} in every "
        f"run), {sum(len(r.rule_errors) for r in columns.values())} rule errors"
    )
    print(f"  floor, one pass over the graph:  {floor:7.2f} s")
    print(
        f"  warm total:                      {total:7.2f} s  = {total / floor:5.1f}x the floor, "
        f"{total / TOTAL_TARGET_S:.2f}x of the {TOTAL_TARGET_S:.0f} s target "
        f"({total_of(cached):.2f} s with the verdict cache warm too)"
    )
    print(
        f"  slowest rule {slowest.rule.id:<8}:           {slowest.seconds:7.2f} s  "
        f"= {slowest.seconds / RULE_TARGET_S:.2f}x of the {RULE_TARGET_S:.0f} s target"
    )
    for name, report in (("at once", at_once), ("after the warm-up", after_warm_up)):
        first = total_of(report)
        print(
            f"  first lint after a start, {name + ':':<19}{first:7.2f} s  = {first / total:5.2f}x "
            f"the warm total (target {COLD_TARGET_RATIO:.0f}x)"
        )
    print(f"  the warm-up itself: {planned} rules planned in {warm_up_s:.1f} s after the start")


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
