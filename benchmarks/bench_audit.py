"""Scheduled audits on the generated 10,000-system landscape: what storing a run and marking
it against the previous one costs beside the lint alone.

    python benchmarks/bench_audit.py [--systems 10000] [--seed 42] [--shape layered|random]
                                     [--runs 2] [--heap 8g] [--page-cache 2g]

Generates the landscape and loads it into a fresh embedded Neo4j (its own temporary home, a
free port), waits for the start's lint warm-up, lints once more to warm up, then, `--runs`
times and interleaved: the whole catalogue linted alone (`lint`, nothing stored), and an audit
(`run_audit`: the same lint, the owner teams of every finding, the previous complete run read
back, every finding marked new / persisting / reopened / resolved, the run and its findings
written in one transaction). The first audit has no previous run; the ones after it compare
with the one before, as a schedule's do. Prints the medians, the audit's overhead and the
ratio to the target: an audit within 20 % of the lint alone (issue 14).

At 10,000 systems Neo4j needs an 8 GiB heap for the load's transaction. Run one benchmark at a
time on a shared machine: `flock /tmp/integraph-bench.lock python benchmarks/bench_audit.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import time

from integraph.audits.runs import run_audit
from integraph.generate import Shape
from integraph.lint.config import load_lint_config
from integraph.lint.service import choose_rules, lint
from landscape import landscape_context

TARGET = 1.20


async def bench(args: argparse.Namespace) -> None:
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    async with landscape_context(
        args.systems, args.seed, shape=args.shape, heap=args.heap, page_cache=args.page_cache
    ) as context:
        gc.collect()
        gc.freeze()  # the generated landscape stays alive here; a server would not hold it
        if context.warm_up is not None:
            await context.warm_up
        config = load_lint_config()
        rules = choose_rules(config=config)
        store = context.store
        began = time.perf_counter()
        report = await lint(store, rules, config=config, fail_on=None)
        print(
            f"warm-up lint {time.perf_counter() - began:.1f} s: {len(rules)} rules, "
            f"{len(report.findings):,} findings"
        )
        began = time.perf_counter()
        first = await run_audit(store, rules, config=config)
        print(
            f"first audit (no previous run) {time.perf_counter() - began:.1f} s: {first.status}, "
            f"{len(first.findings):,} findings stored"
        )
        alone: list[float] = []
        audited: list[float] = []
        for _ in range(args.runs):
            began = time.perf_counter()
            await lint(store, rules, config=config, fail_on=None)
            alone.append(time.perf_counter() - began)
            began = time.perf_counter()
            run = await run_audit(store, rules, config=config)
            audited.append(time.perf_counter() - began)
            print(
                f"  lint {alone[-1]:.2f} s, audit {audited[-1]:.2f} s ({run.status}, "
                f"{run.counts.get('new', 0):,} new, {run.counts.get('persisting', 0):,} "
                f"persisting, {run.counts.get('resolved', 0):,} resolved)",
                flush=True,
            )
        lint_s, audit_s = statistics.median(alone), statistics.median(audited)
        ratio = audit_s / lint_s
        print(
            f"\n{args.shape.value} landscape of {args.systems:,} systems, median of {args.runs}:\n"
            f"  lint alone (floor)                 {lint_s:7.2f} s\n"
            f"  audit: lint + store + marks        {audit_s:7.2f} s = {ratio:.2f}x the lint "
            f"(+{audit_s - lint_s:.2f} s): target <= {TARGET:.2f}x "
            f"{'met' if ratio <= TARGET else 'NOT met'}"
        )
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED)
    parser.add_argument("--runs", type=int, default=2, help="timed lint / audit pairs")
    parser.add_argument("--heap", default="8g", help="embedded Neo4j heap")
    parser.add_argument("--page-cache", default="2g", help="embedded Neo4j page cache")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
