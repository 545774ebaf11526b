"""Blast radius at depth 6 on the generated 10,000-system landscape.

    python benchmarks/bench_impact.py [--systems 10000] [--seed 42]
                                      [--shape layered|random|both] [--samples 100]
                                      [--no-reference] [--no-freeze]
                                      [--heap 6g] [--page-cache 2g]

For each shape (``both``: layered, then random, each in a Neo4j of its own): times
``blast_radius`` (downstream, depth 6, the default page of 100 affected elements with their
paths, counts over all) for a seeded random sample of systems and for the 10 biggest hubs,
after a warm-up, and prints p50 / p95 / max. Target (issue 13): p95 <= 100 ms and max <= 250 ms
over the sample and the hubs together on the layered shape; the random shape within 3x.

Printed beside it, measured in the same run:

* the floor: per system, one round trip reading the graph version (what any answer that
  must not be stale costs) plus a bare breadth-first search over the in-memory adjacency (the
  set of systems reached, no effects, paths or ordering);
* the build of the in-memory structure (the first answer after a write pays it);
* whole answers (``limit=None``: every affected element with its path) for the hubs;
* the per-level Cypher walk the structure replaced (``blast_radius_in``), on the same systems
  (``--no-reference`` skips it);
* the time Python's garbage collector took within the timed calls. The generated landscape
  stays alive in this process (millions of objects a service answering impact questions would
  not hold); it is frozen out of the collector (``gc.freeze``) after the load, so that its full
  collections do not land in the timings (``--no-freeze`` leaves it there).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
from collections.abc import Awaitable, Callable

from integraph.generate import Shape
from integraph.impact.adjacency import DependencyGraph, dependency_graph, read_dependency_graph
from integraph.impact.blast import Direction, blast_radius, blast_radius_in
from integraph.store.driver import Store
from integraph.store.writer import graph_version
from landscape import loaded_landscape

DEPTH = 6
TARGET_P95_MS = 100.0
TARGET_MAX_MS = 250.0
STRESS_FACTOR = 3.0


class CollectorClock:
    """Time spent in Python's garbage collector (gc.callbacks), to tell its pauses apart."""

    def __init__(self) -> None:
        self.total_ms = 0.0
        self._began: float | None = None
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        elif self._began is not None:
            self.total_ms += (time.perf_counter() - self._began) * 1000
            self._began = None


CLOCK = CollectorClock()
PAUSES: list[float] = []
"""The collector's time within each timed call."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(
    ids: list[str], call: Callable[[str], Awaitable[int]]
) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for element in ids:
        collected = CLOCK.total_ms
        began = time.perf_counter()
        sizes.append(await call(element))
        times.append((time.perf_counter() - began) * 1000)
        PAUSES.append(CLOCK.total_ms - collected)
    return times, sizes


def report(label: str, times: list[float], sizes: list[int] | None = None) -> None:
    affected = (
        f"  affected: median {statistics.median(sizes):.0f}, max {max(sizes)}" if sizes else ""
    )
    print(
        f"  {label:<44} n={len(times):<4} p50 {percentile(times, 0.5):8.1f} ms  "
        f"p95 {percentile(times, 0.95):8.1f} ms  max {max(times):8.1f} ms{affected}",
        flush=True,
    )


def bare_bfs(graph: DependencyGraph, start: int, depth: int) -> int:
    """The systems reached downstream within ``depth`` hops: the walk with nothing else."""
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        following = []
        for system in frontier:
            for _, other in graph.dependents[system]:
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        if not following:
            break
        frontier = following
    return len(seen) - 1


async def floor_of(store: Store, graph: DependencyGraph, element: str) -> int:
    await graph_version(store)
    return bare_bfs(graph, graph.index[element], DEPTH)


async def bench(store: Store, shape: Shape, systems: int, seed: int, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    ids = [row["id"] for row in await store.read("queries/impact/system_ids")]
    hubs = [row["id"] for row in await store.read("queries/impact/hubs", limit=10)]
    sample = random.Random(seed).sample(ids, min(args.samples, len(ids)))

    began = time.perf_counter()
    graph = await dependency_graph(store)
    first_build = (time.perf_counter() - began) * 1000
    assert graph is not None, "the loaded graph has no version token"
    builds = []
    for _ in range(3):
        began = time.perf_counter()
        await store.read_transaction(read_dependency_graph)
        builds.append((time.perf_counter() - began) * 1000)

    async def bounded(element: str) -> int:
        return (await blast_radius(store, element, depth=DEPTH)).total

    async def whole(element: str) -> int:
        return (await blast_radius(store, element, depth=DEPTH, limit=None)).total

    async def reference(element: str) -> int:
        result = await store.read_transaction(
            lambda tx: blast_radius_in(tx, element, Direction.DOWNSTREAM, DEPTH, limit=None)
        )
        return result.total

    await timed(sample[:10] + hubs[:2], bounded)  # warm-up: query plans, page cache
    PAUSES.clear()
    random_times, random_sizes = await timed(sample, bounded)
    hub_times, hub_sizes = await timed(hubs, bounded)
    all_times = random_times + hub_times
    floor_times, _ = await timed(sample + hubs, lambda e: floor_of(store, graph, e))
    whole_times, whole_sizes = await timed(hubs, whole)

    print(
        f"\n{shape.value} landscape, {systems:,} systems ({len(graph.systems):,} in the "
        f"structure, {graph.edge_count:,} flows between systems), blast radius downstream, "
        f"depth {DEPTH}, first 100 affected with paths:"
    )
    print(
        f"  build of the in-memory structure: first {first_build:.0f} ms (cold plans), "
        f"then {statistics.median(builds):.0f} ms median of 3 (two queries + decoding)"
    )
    report(f"{len(sample)} random systems", random_times, random_sizes)
    report("10 biggest hubs", hub_times, hub_sizes)
    report("all (target)", all_times, random_sizes + hub_sizes)
    target_pauses = PAUSES[: len(all_times)]
    print(
        f"  {'of which Python garbage collection':<44} max {max(target_pauses):.1f} ms in one "
        f"call, {sum(target_pauses):.0f} ms in all"
        + ("" if args.freeze else " (the generated landscape is not frozen: --no-freeze)")
    )
    report("floor: version round trip + bare BFS", floor_times)
    report("hubs, whole answer (every path, limit=None)", whole_times, whole_sizes)
    reference_p95 = None
    if args.reference:
        ref_times, ref_sizes = await timed(sample + hubs, reference)
        report("before: per-level Cypher walk (same systems)", ref_times, ref_sizes)
        reference_p95 = percentile(ref_times, 0.95)

    factor = 1.0 if shape == Shape.LAYERED else STRESS_FACTOR
    p95, worst = percentile(all_times, 0.95), max(all_times)
    floor_p95 = percentile(floor_times, 0.95)
    met = p95 <= TARGET_P95_MS * factor and worst <= TARGET_MAX_MS * factor
    bound = "" if factor == 1.0 else f" ({factor:.0f}x, the stress shape)"
    print(
        f"  target{bound}: p95 <= {TARGET_P95_MS * factor:.0f} ms, max <= "
        f"{TARGET_MAX_MS * factor:.0f} ms: p95 {p95:.1f} ms ({p95 / TARGET_P95_MS:.2f}x of "
        f"the 100 ms target), max {worst:.1f} ms ({worst / TARGET_MAX_MS:.2f}x of 250 ms): "
        f"{'met' if met else 'NOT met'}"
    )
    print(
        f"  floor p95 {floor_p95:.1f} ms: p95 is {p95 / floor_p95:.1f}x the floor"
        + (
            f"; the per-level walk's p95 was {reference_p95:.0f} ms "
            f"({reference_p95 / p95:.0f}x slower)"
            if reference_p95
            else ""
        ),
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument(
        "--shape",
        choices=[*(s.value for s in Shape), "both"],
        default=Shape.LAYERED.value,
        help="landscape shape (both: layered, then random)",
    )
    parser.add_argument(
        "--no-reference",
        dest="reference",
        action="store_false",
        help="do not time the per-level Cypher walk",
    )
    parser.add_argument(
        "--no-freeze",
        dest="freeze",
        action="store_false",
        help="leave the generated landscape to the garbage collector during the timings",
    )
    parser.add_argument("--heap", default="6g", help="heap of the embedded Neo4j")
    parser.add_argument("--page-cache", default="2g", help="page cache of the embedded Neo4j")
    args = parser.parse_args()
    shapes = list(Shape) if args.shape == "both" else [Shape(args.shape)]
    for shape in shapes:
        async with loaded_landscape(
            args.systems, args.seed, shape=shape, heap=args.heap, page_cache=args.page_cache
        ) as store:
            if args.freeze:
                # The generated landscape (millions of Python objects) stays alive in this
                # process, which a service answering impact questions would not hold: kept out
                # of the collector, it cannot add its full collections to the timings.
                gc.collect()
                gc.freeze()
            await bench(store, shape, args.systems, args.seed, args)
            gc.unfreeze()


if __name__ == "__main__":
    asyncio.run(main())
