"""The whole rule catalogue on the generated 10,000-system landscape: per-rule and total times.

    python benchmarks/bench_lint.py [--systems 10000] [--seed 42] [--shape layered|random]
                                    [--runs 2]

The first run warms the query plans and the page cache; the figures are from the last run.
Target (issue 4): total <= 10 s, no rule over 2 s.
"""

from __future__ import annotations

import argparse
import asyncio

from integraph.generate import Shape
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules, lint
from landscape import loaded_landscape

TOTAL_TARGET_S, RULE_TARGET_S = 10.0, 2.0


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED, help="landscape shape"
    )
    args = parser.parse_args()
    rules = choose_rules()
    config = LintConfig(rule_timeout_s=120)
    async with loaded_landscape(args.systems, args.seed, shape=args.shape) as store:
        for _ in range(args.runs):
            report = await lint(store, rules, config=config, fail_on=None)
        print(f"{'rule':<8} {'seconds':>8} {'findings':>9}  error")
        for run in sorted(report.runs, key=lambda r: -r.seconds):
            print(f"{run.rule.id:<8} {run.seconds:8.3f} {run.findings:9d}  {run.error or ''}")
        slowest = max(report.runs, key=lambda r: r.seconds)
        total = sum(r.seconds for r in report.runs)
        print(
            f"{args.shape.value} landscape of {args.systems:,} systems: "
            f"{len(report.runs)} rules: total {total:.2f} s ({total / TOTAL_TARGET_S:.2f}x of the "
            f"{TOTAL_TARGET_S:.0f} s target), slowest {slowest.rule.id} {slowest.seconds:.2f} s "
            f"({slowest.seconds / RULE_TARGET_S:.2f}x of {RULE_TARGET_S:.0f} s); "
            f"{len(report.findings):,} findings, {len(report.rule_errors)} rule errors"
        )


if __name__ == "__main__":
    asyncio.run(main())
