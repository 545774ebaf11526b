"""Blast radius at depth 6 on the generated 10,000-system landscape.

    python benchmarks/bench_impact.py [--systems 10000] [--seed 42] [--shape layered|random]
                                      [--samples 100]

Times ``blast_radius`` (downstream, depth 6) for a seeded random sample of systems and for the
10 biggest hubs, after one warm-up call, and prints p50 / p95 / max. Target (issue 5):
p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time

from integraph.generate import Shape
from integraph.impact.blast import blast_radius
from landscape import loaded_landscape

TARGET_P95_MS = 100.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed_runs(store, ids: list[str]) -> tuple[list[float], list[int]]:  # type: ignore[no-untyped-def]
    times, sizes = [], []
    for element in ids:
        began = time.perf_counter()
        result = await blast_radius(store, element, depth=6)
        times.append((time.perf_counter() - began) * 1000)
        sizes.append(len(result.affected))
    return times, sizes


def report(label: str, times: list[float], sizes: list[int]) -> float:
    p95 = percentile(times, 0.95)
    print(
        f"{label:<22} n={len(times):<4} p50 {percentile(times, 0.5):7.1f} ms  "
        f"p95 {p95:7.1f} ms  max {max(times):7.1f} ms  "
        f"affected: median {statistics.median(sizes):.0f}, max {max(sizes)}"
    )
    return p95


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument(
        "--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED, help="landscape shape"
    )
    args = parser.parse_args()
    async with loaded_landscape(args.systems, args.seed, shape=args.shape) as store:
        ids = [row["id"] for row in await store.read("queries/impact/system_ids")]
        hubs = [row["id"] for row in await store.read("queries/impact/hubs", limit=10)]
        sample = random.Random(args.seed).sample(ids, min(args.samples, len(ids)))
        await timed_runs(store, sample[:5])  # warm-up: query plans, page cache
        random_times, random_sizes = await timed_runs(store, sample)
        hub_times, hub_sizes = await timed_runs(store, hubs)
        p95_random = report("random systems", random_times, random_sizes)
        p95_hubs = report("10 biggest hubs", hub_times, hub_sizes)
        p95_all = report("all", random_times + hub_times, random_sizes + hub_sizes)
        print(
            f"{args.shape.value} landscape of {args.systems:,} systems: "
            f"target p95 <= {TARGET_P95_MS:.0f} ms: all {p95_all / TARGET_P95_MS:.2f}x of target "
            f"({'met' if p95_all <= TARGET_P95_MS else 'NOT met'}); random {p95_random:.1f} ms, "
            f"hubs {p95_hubs:.1f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
