"""The GraphQL API on the generated 10,000-system landscape: a deep read against one hand-written
Cypher query, and a dashboard under 20 concurrent clients.

    python benchmarks/bench_api.py [--systems 10000] [--seed 42] [--shape layered|random]
                                   [--runs 5] [--clients 20] [--seconds 20] [--profile]
                                   [--heap 8g] [--page-cache 2g]

Generates the landscape, loads it into a fresh embedded Neo4j (its own temporary home, a free
port), waits for the start's lint warm-up, then starts `integraph serve --port 0` beside it (a
subprocess, one worker, the bench's code) with a reader token. Measured in the same run:

(a) 1,000 systems with their outgoing flows, targets, contracts, versions and fields
    (`DEEP`): through the schema in this process and over HTTP against the server (the answer
    parsed), against the floor, one hand-written Cypher query returning the same data with
    nested map projections (`queries/bench/systems_with_contracts`) through `Store.read`. The
    three answers are checked to be the same data (systems, flows, versions and fields counted,
    then compared with enum values in GraphQL's case). Median of `--runs` runs each after a
    warm-up, the runs interleaved; target: GraphQL within 1.5x of the Cypher query.
    `--profile` adds a cProfile of one in-process execution and each Cypher query it ran.
(b) A dashboard (`DASHBOARD`) from `--clients` concurrent clients (httpx, keep-alive) for
    `--seconds` s: requests/s and p50/p95/p99 latency, against its floor: the same Neo4j reads
    the request makes, all at once per request, through the driver from this process, with the
    same concurrency.

At 10,000 systems Neo4j needs an 8 GiB heap for the load's transaction. Run one benchmark at a
time on a shared machine: `flock /tmp/integraph-bench.lock python benchmarks/bench_api.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

import integraph
from integraph.api.graphql.context import RequestContext
from integraph.api.graphql.loaders import Reader
from integraph.api.graphql.schema import build_schema
from integraph.auth.principal import LOCAL_ADMIN
from integraph.auth.tokens import create_token
from integraph.context import AppContext
from integraph.generate import Shape
from integraph.store.driver import Row, Store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.queries import query_text
from landscape import landscape_context

FIRST = 1_000
DEEP = f"""{{ systems(first: {FIRST}) {{ nodes {{ id name tier
    outgoingFlows {{ id pattern target {{ id }}
      contract {{ id versions {{ version fields {{ path type required }} }} }} }} }} }} }}"""
REFERENCE = "queries/bench/systems_with_contracts"
DASHBOARD = """{ dashboard { flowsByPattern { key count } systemsByTeamAndTier { team tier count }
    credentialsByKind { kind rotation count } }
  systems(where: {tier: 1}, first: 20) { totalCount nodes { id name owner { id } } } }"""
TARGET_RATIO = 1.5
READY_LINE = "GraphQL API at "


# -- the server beside the bench ------------------------------------------------------------
class Server:
    """`integraph serve --port 0` over the bench's Neo4j, running the bench's own code."""

    def __init__(self, context: AppContext, log: Path) -> None:
        settings = context.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INTEGRAPH_"))}
        source = str(Path(integraph.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
        env.update(
            NEO4J_URI=context.store.uri,
            NEO4J_USER=settings.neo4j_user,
            NEO4J_PASSWORD=EmbeddedNeo4j(settings).password(),
            INTEGRAPH_HOME=str(settings.home),
        )
        self.log = log
        self._stderr = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "integraph", "serve", "--port", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self.url = ""

    async def wait_ready(self, timeout_s: float = 120.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.log.read_text().splitlines():
                if line.startswith(READY_LINE):
                    self.url = line.removeprefix(READY_LINE).strip()
                    return self.url
            if self.process.poll() is not None:
                raise RuntimeError(f"integraph serve ended: {self.log.read_text()}")
            await asyncio.sleep(0.2)
        raise RuntimeError(f"integraph serve did not listen within {timeout_s:.0f} s")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
        return self.process.returncode


@asynccontextmanager
async def serving(context: AppContext) -> AsyncIterator[Server]:
    with tempfile.TemporaryDirectory(prefix="integraph-bench-serve-") as folder:
        server = Server(context, Path(folder) / "serve.log")
        try:
            began = time.perf_counter()
            url = await server.wait_ready()
            print(f"integraph serve listening at {url} in {time.perf_counter() - began:.1f} s")
            yield server
        finally:
            print(f"integraph serve stopped (exit code {server.stop()})", flush=True)


# -- (a) the deep read --------------------------------------------------------------------
def size_of(systems: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """Systems, flows, contract versions and fields in an answer."""
    flows = [f for s in systems for f in s["outgoingFlows"]]
    versions = [v for f in flows if f["contract"] for v in f["contract"]["versions"]]
    return len(systems), len(flows), len(versions), sum(len(v["fields"]) for v in versions)


def in_graphql_case(systems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Cypher answer with its enum values as GraphQL spells them (`event` -> `EVENT`)."""
    for system in systems:
        for flow in system["outgoingFlows"]:
            flow["pattern"] = flow["pattern"].upper()
            for version in (flow["contract"] or {"versions": []})["versions"]:
                for field in version["fields"]:
                    field["type"] = field["type"].upper() if field["type"] else None
    return systems


def median_s(times: list[float]) -> float:
    return statistics.median(times)


async def deep_read(context: AppContext, server: Server, token: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    schema = build_schema()
    store = context.store

    async def cypher() -> list[dict[str, Any]]:
        return [row["system"] for row in await store.read(REFERENCE, first=FIRST)]

    async def cypher_raw() -> list[dict[str, Any]]:
        """The same query straight through the driver: each record's value as decoded."""
        async with store._driver.session(database=store.database) as session:
            result = await session.run(query_text(REFERENCE), first=FIRST)
            return [record[0] async for record in result]

    async def in_process() -> list[dict[str, Any]]:
        request = RequestContext(app=context, principal=LOCAL_ADMIN)
        result = await schema.execute(DEEP, context_value=request)
        assert not result.errors, result.errors
        return result.data["systems"]["nodes"]  # type: ignore[index]

    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:

        async def over_http() -> list[dict[str, Any]]:
            response = await http.post(server.url, json={"query": DEEP})
            response.raise_for_status()
            body = response.json()
            assert "errors" not in body, body["errors"]
            return body["data"]["systems"]["nodes"]

        ways: dict[str, Callable[[], Awaitable[list[dict[str, Any]]]]] = {
            "cypher": cypher,
            "cypher-raw": cypher_raw,
            "in-process": in_process,
            "http": over_http,
        }
        answers = {name: await way() for name, way in ways.items()}  # warm-up
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.runs):  # interleaved, so that noise falls on all three alike
            for name, way in ways.items():
                began = time.perf_counter()
                answers[name] = await way()
                times[name].append(time.perf_counter() - began)

    sizes = {name: size_of(answer) for name, answer in answers.items()}
    same = (
        in_graphql_case(answers["cypher"])
        == in_graphql_case(answers["cypher-raw"])
        == answers["in-process"]
        == answers["http"]
    )
    counted = sizes["cypher"]
    print(
        f"\n(a) {counted[0]:,} systems, {counted[1]:,} flows, {counted[2]:,} contract versions, "
        f"{counted[3]:,} fields (first {FIRST:,} systems in id order); sizes "
        f"{'equal' if len(set(sizes.values())) == 1 else f'DIFFER: {sizes}'} on all three sides, "
        f"data {'the same' if same else 'NOT the same'}; median of {args.runs} after a warm-up:"
    )
    floor = median_s(times["cypher"])
    raw = median_s(times["cypher-raw"])
    print(f"  floor: one Cypher query (nested map projections), Store.read  {floor:8.3f} s")
    print(f"  the same query, raw driver records (no conversion)           {raw:8.3f} s")
    for name, label in (
        ("in-process", "GraphQL through the schema in-process"),
        ("http", "GraphQL over HTTP (integraph serve)"),
    ):
        took = median_s(times[name])
        ratio = took / floor
        print(
            f"  {label:<61} {took:8.3f} s = {ratio:5.2f}x the floor ({took / raw:5.2f}x the raw "
            f"driver): target <= {TARGET_RATIO}x {'met' if ratio <= TARGET_RATIO else 'NOT met'}"
        )
    print(
        "  runs (s): "
        + "; ".join(f"{name} " + ", ".join(f"{t:.2f}" for t in ts) for name, ts in times.items()),
        flush=True,
    )
    if args.profile:
        await profile_in_process(context, schema)


async def profile_in_process(context: AppContext, schema: Any) -> None:
    """Where one in-process execution spends its time: its Cypher queries, then cProfile."""
    spans: list[tuple[str, float]] = []

    def observe(name: str, seconds: float, failed: bool) -> None:
        spans.append((name, seconds))

    request = RequestContext(app=context, principal=LOCAL_ADMIN)
    context.store.observers.append(observe)
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    try:
        await schema.execute(DEEP, context_value=request)
    finally:
        profiler.disable()
        context.store.observers.remove(observe)
    total = time.perf_counter() - began
    in_queries = sum(seconds for _, seconds in spans)
    print(
        f"\n  profile of one in-process execution ({total:.2f} s under cProfile): "
        f"{len(spans)} Cypher queries took {in_queries:.2f} s (run + rows read and decoded "
        f"by the driver), the rest {total - in_queries:.2f} s"
    )
    for (name, seconds), logged in zip(spans, request.loaders.reader.log, strict=False):
        print(f"    {seconds:7.3f} s  {logged or name}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
        print(f"\n  top 25 by {order}:")
        print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


# -- (b) the dashboard under load ---------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def under_load(
    request: Callable[[], Awaitable[None]], clients: int, seconds: float
) -> tuple[int, float, list[float]]:
    """`clients` loops calling `request` until `seconds` are up: (count, elapsed, latencies)."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            await request()
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies), time.perf_counter() - began, latencies


class RecordingReader(Reader):
    """A request's reader that also keeps each read with its parameters."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.reads: list[tuple[str, dict[str, Any]]] = []

    async def read(self, query: str, **params: Any) -> list[Row]:
        self.reads.append((query, params))
        return await super().read(query, **params)

    async def read_single(self, query: str, **params: Any) -> Any:
        self.reads.append((query, {**params, SINGLE: True}))
        return await super().read_single(query, **params)


SINGLE = "__single"
"""Marks a recorded read made with `read_single` (one value), so the floor makes it the same."""


async def replay(store: Store, query: str, params: dict[str, Any]) -> Any:
    """One recorded read, made the way the request made it."""
    if params.get(SINGLE):
        return await store.read_single(query, **{k: v for k, v in params.items() if k != SINGLE})
    return await store.read(query, **params)


async def dashboard_reads(context: AppContext) -> list[tuple[str, dict[str, Any]]]:
    """The Neo4j reads one dashboard request makes, by name and parameters."""
    request = RequestContext(app=context, principal=LOCAL_ADMIN)
    reader = RecordingReader(context.store)
    request.loaders.reader = reader
    result = await build_schema().execute(DASHBOARD, context_value=request)
    assert not result.errors, result.errors
    return reader.reads


def report_load(label: str, count: int, elapsed: float, latencies: list[float]) -> float:
    rate = count / elapsed
    print(
        f"  {label:<44} {rate:8.1f} requests/s  p50 {percentile(latencies, 0.5) * 1000:7.1f} ms"
        f"  p95 {percentile(latencies, 0.95) * 1000:7.1f} ms"
        f"  p99 {percentile(latencies, 0.99) * 1000:7.1f} ms  ({count:,} in {elapsed:.1f} s)",
        flush=True,
    )
    return rate


async def dashboard(context: AppContext, server: Server, token: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    reads = await dashboard_reads(context)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=60
    ) as http:
        failures = 0

        async def served() -> None:
            nonlocal failures
            response = await http.post(server.url, json={"query": DASHBOARD})
            if response.status_code != 200 or "errors" in response.json():
                failures += 1

        await under_load(served, args.clients, 2.0)  # warm-up: connections, plans
        failures = 0
        count, elapsed, latencies = await under_load(served, args.clients, args.seconds)

    async def floor() -> None:
        await asyncio.gather(*(replay(context.store, name, params) for name, params in reads))

    await under_load(floor, args.clients, 2.0)
    floor_count, floor_elapsed, floor_latencies = await under_load(
        floor, args.clients, args.seconds
    )
    print(
        f"\n(b) the dashboard ({len(reads)} Neo4j reads per request) from {args.clients} "
        f"concurrent clients for {args.seconds:.0f} s, {failures} failed:"
    )
    rate = report_load("over HTTP (integraph serve, one worker)", count, elapsed, latencies)
    floor_rate = report_load(
        "floor: its reads, all at once, through the driver",
        floor_count,
        floor_elapsed,
        floor_latencies,
    )
    print(
        f"  served {rate / floor_rate:.2f}x the floor's requests/s, p50 "
        f"{percentile(latencies, 0.5) / percentile(floor_latencies, 0.5):.1f}x the floor's",
        flush=True,
    )
    print("  its reads one at a time, without load (median of 5):")
    for name, params in reads:
        times = []
        for _ in range(5):
            began = time.perf_counter()
            rows = await replay(context.store, name, params)
            times.append(time.perf_counter() - began)
        label = f"{name} {params.get('type') or ''}".strip()
        size = f"1 value of {len(rows):,}" if params.get(SINGLE) else f"{len(rows):,} rows"
        print(f"    {label:<44} {statistics.median(times) * 1000:8.1f} ms  {size}")


async def bench(args: argparse.Namespace) -> None:
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    async with landscape_context(
        args.systems, args.seed, shape=args.shape, heap=args.heap, page_cache=args.page_cache
    ) as context:
        # The generated landscape stays alive in this process (millions of objects): kept out
        # of the collector, its full collections do not land in the client's timings.
        gc.collect()
        gc.freeze()
        if context.warm_up is not None:  # the start's lint warm-up would compete with the runs
            began = time.perf_counter()
            await context.warm_up
            print(f"lint warm-up done after {time.perf_counter() - began:.1f} s more")
        token = (
            await create_token(context.store, name="bench", role="reader", created_by="bench")
        ).token
        async with serving(context) as server:
            await deep_read(context, server, token, args)
            await dashboard(context, server, token, args)
    print(
        f"{args.shape.value} landscape of {args.systems:,} systems; load average after the run: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--shape", type=Shape, choices=list(Shape), default=Shape.LAYERED, help="landscape shape"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the deep read")
    parser.add_argument("--clients", type=int, default=20, help="concurrent dashboard clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the load run")
    parser.add_argument("--profile", action="store_true", help="cProfile one deep read")
    parser.add_argument("--heap", default="8g", help="embedded Neo4j heap (8g at 10,000)")
    parser.add_argument("--page-cache", default="2g", help="embedded Neo4j page cache")
    args = parser.parse_args()
    if os.environ.get("NEO4J_URI"):
        sys.exit("NEO4J_URI is set: unset it, the benchmark runs its own embedded Neo4j")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
