"""Prometheus metrics of one API process: requests, latencies, Neo4j queries, pool use, and
the latest scheduled audit (open findings by severity, area, rule, blueprint and team; the
run's timestamp, duration and status; alert deliveries)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from integraph.audits.runs import BREAKDOWN, AuditRun
from integraph.store.driver import Store

AUDIT_STATUSES = ("complete", "partial", "failed")

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

        self.audit_open = {
            by: Gauge(
                f"integraph_audit_open_findings_by_{by}",
                f"Open findings of the latest complete audit run, by {by}.",
                [by],
                registry=self.registry,
            )
            for by in BREAKDOWN
        }
        self.audit_timestamp = Gauge(
            "integraph_audit_last_run_timestamp_seconds",
            "When the latest audit run finished (Unix time), by its status.",
            ["status"],
            registry=self.registry,
        )
        self.audit_duration = Gauge(
            "integraph_audit_last_run_duration_seconds",
            "How long the latest audit run took.",
            registry=self.registry,
        )
        self.audit_status = Gauge(
            "integraph_audit_last_run_status",
            "1 for the status of the latest audit run (complete, partial, failed), else 0.",
            ["status"],
            registry=self.registry,
        )
        self.audit_new = Gauge(
            "integraph_audit_last_run_findings",
            "Findings of the latest complete audit run, by mark (new, reopened, resolved...).",
            ["mark"],
            registry=self.registry,
        )
        self.alert_deliveries = Counter(
            "integraph_audit_alert_deliveries",
            "Alert deliveries by webhook and outcome (delivered, failed).",
            ["webhook", "outcome"],
            registry=self.registry,
        )
        self.audit_runs = Counter(
            "integraph_audit_runs",
            "Audit runs this process made, by status.",
            ["status"],
            registry=self.registry,
        )

    def show_audits(self, latest: AuditRun | None, complete: AuditRun | None) -> None:
        """Set the audit gauges from the latest run and the latest complete run of a scope."""
        if latest is not None:
            for status in AUDIT_STATUSES:
                self.audit_status.labels(status).set(1 if latest.status == status else 0)
            finished = latest.finished or latest.started
            self.audit_timestamp.labels(latest.status).set(finished.timestamp())
            self.audit_duration.set((finished - latest.started).total_seconds())
        if complete is not None:
            for by, gauge in self.audit_open.items():
                gauge.clear()
                for key, count in complete.breakdown.get(by, {}).items():
                    gauge.labels(key).set(count)
            for mark in ("new", "persisting", "reopened", "resolved"):
                self.audit_new.labels(mark).set(complete.counts.get(mark, 0))

    def watch(self, store: Store) -> None:
        """Record every statement the store runs, and its pool use."""

        def observe(name: str, seconds: float, failed: bool) -> None:
            self.queries.labels(name, "error" if failed else "ok").observe(seconds)

        store.observers.append(observe)
        self.sessions.set_function(lambda: store.sessions_in_use)

    def render(self) -> bytes:
        return generate_latest(self.registry)
