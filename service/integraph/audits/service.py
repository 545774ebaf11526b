"""The audit capabilities the CLI, the API and the scheduler share, each one typed function.

- `audit`: run the rules, store the run with its marks, alert on what is new, prune old runs;
- `runs`, `run`, `diff`, `history`, `trend`: read what audits stored;
- `prune`: retention (the newest N runs per scope and/or D days), in bounded batches.

Alerts go to the webhooks of `INTEGRAPH_AUDIT_WEBHOOKS` (`audits.alerts`): the run's *new*
and *reopened* open findings at or above each webhook's severity, for its teams. Every
delivery attempt is stored with the run; a webhook that fails never fails or loses the run.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import httpx

from integraph.audits import alerts
from integraph.audits.runs import (
    NEW,
    REOPENED,
    RESOLVED,
    AuditFinding,
    AuditRun,
    iso_utc,
    run_audit,
    stored_value,
    utc_now,
)
from integraph.audits.runs import run_of as _run_of
from integraph.audits.runs import scope_key as _scope_key
from integraph.config import Settings
from integraph.errors import IntegraphError
from integraph.lint.config import LintConfig
from integraph.lint.rules import Rule
from integraph.store import audit_runs
from integraph.store.driver import Store


class AuditNotFound(IntegraphError):
    exit_code = 2
    code = "NOT_FOUND"


@dataclass(frozen=True)
class AuditOutcome:
    run: AuditRun
    deliveries: list[alerts.Delivery]
    pruned: int


async def audit(
    store: Store,
    settings: Settings,
    rules: list[Rule],
    *,
    blueprints: Collection[str] | None = None,
    config: LintConfig | None = None,
    today: datetime.date | None = None,
    client: httpx.AsyncClient | None = None,
) -> AuditOutcome:
    """One audit: run, store, alert, prune."""
    webhooks = alerts.parse_webhooks(settings.audit_webhooks) if settings.audit_webhooks else []
    run = await run_audit(store, rules, blueprints=blueprints, config=config, today=today)
    deliveries: list[alerts.Delivery] = []
    fresh = [f for f in run.findings if f.mark in (NEW, REOPENED) and f.status == "open"]
    if webhooks and fresh:
        deliveries = await alerts.send_alerts(
            webhooks, _run_summary(run), [_alert_finding(f) for f in fresh], client=client
        )
        await audit_runs.save_deliveries(
            store,
            run.id,
            [_attempt_properties(a) for d in deliveries for a in d.attempts],
        )
    pruned = await prune(store, keep=settings.audit_keep_runs, days=settings.audit_keep_days)
    return AuditOutcome(run=run, deliveries=deliveries, pruned=pruned)


def _run_summary(run: AuditRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "scope": list(run.scope) or ["*"],
        "started": run.started.isoformat(),
        "finished": run.finished.isoformat() if run.finished else None,
        "status": run.status,
    }


def _alert_finding(f: AuditFinding) -> alerts.AlertFinding:
    return alerts.AlertFinding(
        rule=f.rule,
        severity=f.severity,
        element=f.element,
        blueprint=f.blueprint,
        team=f.team,
        message=f.message,
        fingerprint=f.fingerprint,
    )


def _attempt_properties(attempt: alerts.DeliveryAttempt) -> dict[str, Any]:
    values = dataclasses.asdict(attempt)
    values["started"] = attempt.started.isoformat()
    return values


async def deliveries(store: Store, run_id: str) -> list[dict[str, Any]]:
    """The alert delivery attempts recorded for a run."""
    return await audit_runs.deliveries(store, run_id)


async def runs(
    store: Store, *, blueprints: Collection[str] | None = None, limit: int = 20, every: bool = False
) -> list[AuditRun]:
    """Runs newest first (without findings): of one scope, or of every scope with `every`."""
    key = None if every else _scope_key(blueprints)
    return [_run_of(p) for p in await audit_runs.list_runs(store, key, limit)]


async def run(store: Store, run_id: str) -> AuditRun:
    """One run with its findings (the resolved ones included, marked so)."""
    found = await audit_runs.get_run(store, run_id)
    if found is None:
        raise AuditNotFound(f"no audit run '{run_id}' (see `integraph audit list`)")
    return _run_of(*found)


@dataclass(frozen=True)
class StatusChange:
    """A finding both runs saw, with another status in each (open -> waived, say)."""

    before: AuditFinding
    after: AuditFinding


@dataclass(frozen=True)
class RunDiff:
    """What changed from run `before` to run `after` (findings each saw, by fingerprint)."""

    before: AuditRun
    after: AuditRun
    appeared: list[AuditFinding]
    disappeared: list[AuditFinding]
    changed: list[StatusChange]
    """Seen by both with another status (open -> waived, waived -> open...)."""
    unchanged: int


async def diff(store: Store, before_id: str, after_id: str) -> RunDiff:
    before, after = await run(store, before_id), await run(store, after_id)
    old = {f.fingerprint: f for f in before.findings if f.mark != RESOLVED}
    new = {f.fingerprint: f for f in after.findings if f.mark != RESOLVED}
    both = sorted(old.keys() & new.keys())
    changed = [StatusChange(old[k], new[k]) for k in both if old[k].status != new[k].status]
    return RunDiff(
        before=before,
        after=after,
        appeared=[new[k] for k in sorted(new.keys() - old.keys())],
        disappeared=[old[k] for k in sorted(old.keys() - new.keys())],
        changed=changed,
        unchanged=len(both) - len(changed),
    )


@dataclass(frozen=True)
class HistoryEntry:
    run: AuditRun
    finding: AuditFinding


async def history(store: Store, fingerprint: str) -> list[HistoryEntry]:
    """Every run that recorded the finding, oldest first, with what it recorded."""
    out = []
    for properties, recorded in await audit_runs.finding_history(store, fingerprint):
        recorded = {k: stored_value(k, v) for k, v in recorded.items()}
        finding = AuditFinding(fingerprint=fingerprint, **recorded)
        out.append(HistoryEntry(run=_run_of(properties), finding=finding))
    return out


@dataclass(frozen=True)
class TrendPoint:
    run: str
    started: datetime.datetime
    counts: dict[str, int]
    """Open findings by the key asked for (severity, area, rule, team or blueprint)."""


async def trend(
    store: Store,
    *,
    by: str = "severity",
    blueprints: Collection[str] | None = None,
    last: int = 30,
) -> list[TrendPoint]:
    """Open findings per `by` over the last complete runs of a scope, oldest first."""
    if by not in ("severity", "area", "rule", "team", "blueprint"):
        raise ValueError(f"trend by '{by}': use severity, area, rule, team or blueprint")
    points = [
        TrendPoint(run=r.id, started=r.started, counts=r.breakdown.get(by, {}))
        for r in await runs(store, blueprints=blueprints, limit=last * 2)
        if r.status == "complete"
    ][:last]
    return list(reversed(points))


async def prune(store: Store, *, keep: int | None, days: int | None) -> int:
    """Delete runs beyond the newest `keep` per scope and those older than `days`."""
    cutoff = None
    if days is not None:
        cutoff = iso_utc(utc_now() - datetime.timedelta(days=days))
    return await audit_runs.prune_runs(store, keep=keep, cutoff=cutoff)
