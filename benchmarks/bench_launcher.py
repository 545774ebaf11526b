"""Measures the embedded Neo4j launcher: cold start, restart, resident memory, first download.

    python benchmarks/bench_launcher.py [--runs 3] [--download]

Cold start = a new data directory (initial password, store creation) with the jars cached;
restart = the same data directory again; RSS = resident memory of the JVM right after start
and after a small write load. --download also times the first fetch from Maven Central into an
empty Maven repository and cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import neo4j

from integraph.config import load_settings
from integraph.store.distribution import ensure_distribution
from integraph.store.embedded import EmbeddedNeo4j

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.neo4j_target import free_port


def mib(count: int | None) -> str:
    return f"{(count or 0) / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args()

    if args.download:
        with tempfile.TemporaryDirectory() as scratch:
            os.environ["MAVEN_OPTS"] = f"-Dmaven.repo.local={scratch}/m2"
            began = time.monotonic()
            ensure_distribution(Path(scratch) / "cache")
            print(f"first download from Maven Central: {time.monotonic() - began:.1f} s")
            del os.environ["MAVEN_OPTS"]

    cold, warm, rss_idle, rss_loaded = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            settings = load_settings(home=Path(home), embedded_port=free_port())
            server = EmbeddedNeo4j(settings)
            began = time.monotonic()
            server.start()
            cold.append(time.monotonic() - began)
            rss_idle.append(server.status().rss_bytes or 0)
            with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as d:
                d.execute_query("UNWIND range(1, 20000) AS i CREATE (:Bench {i: i, name: 'n' + i})")
            rss_loaded.append(server.status().rss_bytes or 0)
            server.stop()
            began = time.monotonic()
            server.start()
            warm.append(time.monotonic() - began)
            server.stop()
    heap = load_settings().embedded_heap
    print(f"runs: {args.runs}; heap {heap}, page cache {load_settings().embedded_page_cache}")
    print(
        f"cold start (new store, jars cached): median {statistics.median(cold):.1f} s, "
        f"max {max(cold):.1f} s"
    )
    print(
        f"restart (existing store):            median {statistics.median(warm):.1f} s, "
        f"max {max(warm):.1f} s"
    )
    print(f"resident memory after start:         median {mib(int(statistics.median(rss_idle)))}")
    print(f"resident memory after 20k writes:    median {mib(int(statistics.median(rss_loaded)))}")


if __name__ == "__main__":
    main()
