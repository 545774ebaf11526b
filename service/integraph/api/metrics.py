"""Prometheus metrics of one API process: requests, latencies, Neo4j queries, pool use."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from integraph.store.driver import Store

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)


class ApiMetrics:
    """The process's metrics, in their own registry (so tests can build several apps)."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "integraph_graphql_requests",
            "GraphQL operations served, by operation name, type and outcome.",
            ["operation", "type", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "integraph_graphql_request_seconds",
            "Time to answer a GraphQL operation.",
            ["operation", "type"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.http = Counter(
            "integraph_http_requests",
            "HTTP requests by route and status code.",
            ["route", "status"],
            registry=self.registry,
        )
        self.queries = Histogram(
            "integraph_neo4j_query_seconds",
            "Time of each Cypher statement, by query name (lint rules: `rule`).",
            ["query", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.sessions = Gauge(
            "integraph_neo4j_sessions_in_use",
            "Neo4j sessions open right now (connection pool use).",
            registry=self.registry,
        )

    def watch(self, store: Store) -> None:
        """Record every statement the store runs, and its pool use."""

        def observe(name: str, seconds: float, failed: bool) -> None:
            self.queries.labels(name, "error" if failed else "ok").observe(seconds)

        store.observers.append(observe)
        self.sessions.set_function(lambda: store.sessions_in_use)

    def render(self) -> bytes:
        return generate_latest(self.registry)
