"""Audit runs: the lint rules run over the knowledge base, stored with what changed since.

`run_audit` lints (all blueprints, or some: the run's *scope*), then compares the findings
with the previous **complete** run of the same scope and marks each one:

| mark         | meaning                                                                  |
|--------------|--------------------------------------------------------------------------|
| `new`        | not seen by the previous complete run                                    |
| `persisting` | seen by it too                                                           |
| `reopened`   | seen by it waived or baselined, open now (a waiver that expired, say)    |
| `resolved`   | seen by it, gone now: recorded in this run with the state it had then   |

Waived and baselined findings are recorded with their status. A run is `complete` when every
rule ran, `partial` when some could not (a rule timed out: `rules_not_run` says which), and
`failed` when the lint itself could not run (Neo4j went away: the run is stored if it still
can be, with the reason). A partial or failed run marks nothing resolved, since a finding it
did not see may only belong to a rule that did not run; the next run still compares with the
last complete one. Each finding carries the team owning its element. Nothing here alerts:
`audits.service` sends the alerts of a stored run.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from integraph.errors import DatabaseUnavailable, QueryFailed
from integraph.lint.config import LintConfig
from integraph.lint.findings import LintReport
from integraph.lint.rules import Rule
from integraph.lint.service import lint
from integraph.store import audit_runs
from integraph.store.driver import Store

COMPLETE, PARTIAL, FAILED = "complete", "partial", "failed"
NEW, PERSISTING, REOPENED, RESOLVED = "new", "persisting", "reopened", "resolved"
ALL = "*"
"""The scope key of an audit of every blueprint."""


@dataclass(frozen=True)
class AuditFinding:
    """One finding as a run recorded it."""

    rule: str
    area: str
    severity: str
    fingerprint: str
    element: str
    blueprint: str | None
    team: str | None
    message: str
    status: str
    """open, waived or baselined (for a resolved finding: what it was when last seen)."""
    mark: str
    """new, persisting, reopened or resolved, relative to the previous complete run."""


@dataclass(frozen=True)
class AuditRun:
    """One run: when, over what, how it went, and (when read with them) its findings."""

    id: str
    scope: tuple[str, ...]
    """The blueprints audited; empty for all of them."""
    started: datetime.datetime
    finished: datetime.datetime | None
    status: str
    catalogue: str
    """A digest of the rules run (ids, severities and queries): which catalogue judged."""
    rules: tuple[str, ...]
    rules_not_run: tuple[str, ...]
    errors: tuple[str, ...]
    waiver_problems: tuple[str, ...]
    previous: str | None
    """The complete run this one was compared with."""
    counts: dict[str, int]
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)
    """Open findings by severity, area, rule, team and blueprint ("-": none)."""
    findings: list[AuditFinding] = field(default_factory=list)

    @property
    def scope_key(self) -> str:
        return scope_key(self.scope)

    def marked(self, *marks: str) -> list[AuditFinding]:
        return [f for f in self.findings if f.mark in marks]


def scope_key(blueprints: Collection[str] | None) -> str:
    return ",".join(sorted(set(blueprints))) if blueprints else ALL


def catalogue_digest(rules: list[Rule]) -> str:
    text = "\n".join(f"{r.id}\x1f{r.severity}\x1f{r.query}" for r in sorted(rules, key=_by_id))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _by_id(rule: Rule) -> str:
    return rule.id


def utc_now() -> datetime.datetime:
    """Now, in UTC (runs and schedules keep time in UTC)."""
    return datetime.datetime.now(datetime.UTC)


def iso_utc(moment: datetime.datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, which sorts as time does."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def new_run_id(started: datetime.datetime) -> str:
    return f"audit-{started.strftime('%Y%m%dT%H%M%S')}Z-{secrets.token_hex(3)}"


async def run_audit(
    store: Store,
    rules: list[Rule],
    *,
    blueprints: Collection[str] | None = None,
    config: LintConfig | None = None,
    today: datetime.date | None = None,
    clock: Any = utc_now,
) -> AuditRun:
    """Lint, mark against the previous complete run of the scope, store, return the run."""
    started = clock()
    scope = tuple(sorted(set(blueprints or ())))
    base = _base(started, scope, rules)
    try:
        report = await lint(
            store, rules, config=config, fail_on=None, today=today, blueprints=scope or None
        )
    except (DatabaseUnavailable, QueryFailed) as exc:
        run = AuditRun(
            **base,
            finished=clock(),
            status=FAILED,
            rules_not_run=base["rules"],
            errors=(str(exc),),
            waiver_problems=(),
            previous=None,
            counts={},
        )
        with suppress(DatabaseUnavailable, QueryFailed):  # gone: the caller still gets the run
            await audit_runs.save_run(store, _run_properties(run), [])
        return run
    return await record_audit(store, report, rules, blueprints=scope, started=started, clock=clock)


async def record_audit(
    store: Store,
    report: LintReport,
    rules: list[Rule],
    *,
    blueprints: Collection[str] | None = None,
    started: datetime.datetime | None = None,
    clock: Any = utc_now,
) -> AuditRun:
    """Store a lint already run (`report`, of `rules` over `blueprints`) as an audit run:
    marked against the previous complete run of the scope. `integraph up` keeps its lint so."""
    started = started or clock()
    scope = tuple(sorted(set(blueprints or ())))
    base = _base(started, scope, rules)
    previous = await audit_runs.previous_complete(store, scope_key(scope), iso_utc(started))
    teams = await audit_runs.owner_teams(store, sorted({f.element for f in report.findings}))
    not_run = tuple(sorted({e.rule_id for e in report.rule_errors}))
    status = PARTIAL if not_run else COMPLETE
    seen = [f for f in findings_of(previous[1]) if f.mark != RESOLVED] if previous else []
    findings = mark(report, {f.fingerprint: f.status for f in seen}, teams)
    if status == COMPLETE:
        now = {f.fingerprint for f in findings}
        findings += [replace(f, mark=RESOLVED) for f in seen if f.fingerprint not in now]
    run = AuditRun(
        **base,
        finished=clock(),
        status=status,
        rules_not_run=not_run,
        errors=tuple(f"{e.rule_id}: {e.message}" for e in report.rule_errors),
        waiver_problems=tuple(p.message for p in report.waiver_problems),
        previous=previous[0] if previous else None,
        counts=count(findings),
        breakdown=breakdown(findings),
        findings=findings,
    )
    await audit_runs.save_run(store, _run_properties(run), chunks_of(findings))
    return run


def _base(started: datetime.datetime, scope: tuple[str, ...], rules: list[Rule]) -> dict[str, Any]:
    """What every run records of itself before it knows how it went."""
    return {
        "id": new_run_id(started),
        "scope": scope,
        "started": started,
        "catalogue": catalogue_digest(rules),
        "rules": tuple(sorted(r.id for r in rules)),
    }


def mark(
    report: LintReport,
    seen: dict[str, str],
    teams: dict[str, str | None],
) -> list[AuditFinding]:
    """The report's findings marked against what the previous complete run saw
    (fingerprint -> status); the caller adds those it no longer sees, resolved."""
    out = []
    for finding in report.findings:
        before = seen.get(finding.fingerprint)
        if before is None:
            label = NEW
        elif before != "open" and finding.status == "open":
            label = REOPENED
        else:
            label = PERSISTING
        out.append(
            AuditFinding(
                rule=finding.rule.id,
                area=finding.rule.area,
                severity=str(finding.severity),
                fingerprint=finding.fingerprint,
                element=finding.element,
                blueprint=finding.blueprint,
                team=teams.get(finding.element),
                message=finding.message,
                status=finding.status,
                mark=label,
            )
        )
    return out


def count(findings: list[AuditFinding]) -> dict[str, int]:
    """Open findings by severity, and findings by mark and status."""
    counts: Counter[str] = Counter()
    for f in findings:
        if f.mark == RESOLVED:
            counts[RESOLVED] += 1
            continue
        counts[f.mark] += 1
        if f.status == "open":
            counts[f.severity] += 1
        else:
            counts[f.status] += 1
    keys = ("error", "warning", "info", "waived", "baselined", NEW, PERSISTING, REOPENED)
    return {k: counts.get(k, 0) for k in (*keys, RESOLVED)}


BREAKDOWN = ("severity", "area", "rule", "team", "blueprint")


def breakdown(findings: list[AuditFinding]) -> dict[str, dict[str, int]]:
    """Open findings counted by each of `BREAKDOWN` (what trends and metrics show)."""
    out: dict[str, Counter[str]] = {by: Counter() for by in BREAKDOWN}
    for f in findings:
        if f.mark == RESOLVED or f.status != "open":
            continue
        for by in BREAKDOWN:
            out[by][getattr(f, by) or "-"] += 1
    return {by: dict(sorted(counter.items())) for by, counter in out.items()}


_LISTS = (
    ("fingerprints", "fingerprint"),
    ("severities", "severity"),
    ("elements", "element"),
    ("blueprints", "blueprint"),
    ("teams", "team"),
    ("messages", "message"),
    ("statuses", "status"),
    ("marks", "mark"),
)


def chunks_of(findings: list[AuditFinding]) -> list[dict[str, Any]]:
    """Findings as the per-rule parallel lists they are stored in."""
    by_rule: dict[str, dict[str, Any]] = {}
    for f in findings:
        chunk = by_rule.get(f.rule)
        if chunk is None:
            chunk = by_rule[f.rule] = {"rule": f.rule, "area": f.area}
            for plural, _ in _LISTS:
                chunk[plural] = []
        for plural, single in _LISTS:
            value = getattr(f, single)
            chunk[plural].append("" if value is None else value)  # lists cannot hold nulls
    return [by_rule[r] for r in sorted(by_rule)]


def findings_of(chunks: list[dict[str, Any]]) -> list[AuditFinding]:
    out = []
    for chunk in chunks:
        columns = [chunk.get(plural) or [] for plural, _ in _LISTS]
        for values in zip(*columns, strict=True):
            out.append(
                AuditFinding(
                    rule=chunk["rule"],
                    area=chunk.get("area") or "",
                    **{
                        single: stored_value(single, v)
                        for (_, single), v in zip(_LISTS, values, strict=True)
                    },
                )
            )
    return out


def stored_value(name: str, value: Any) -> Any:
    """A stored list value back: the empty text of a missing blueprint or team is None."""
    return None if value == "" and name in ("blueprint", "team") else value


def _run_properties(run: AuditRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "scope_key": run.scope_key,
        "scope": list(run.scope),
        "started": iso_utc(run.started),
        "finished": iso_utc(run.finished) if run.finished else None,
        "status": run.status,
        "catalogue": run.catalogue,
        "rules": list(run.rules),
        "rules_not_run": list(run.rules_not_run),
        "errors": list(run.errors),
        "waiver_problems": list(run.waiver_problems),
        "previous": run.previous,
        "counts": json.dumps(run.counts, sort_keys=True),
        "breakdown": json.dumps(run.breakdown, sort_keys=True),
    }


def run_of(properties: dict[str, Any], chunks: list[dict[str, Any]] | None = None) -> AuditRun:
    """A stored run read back."""
    finished = properties.get("finished")
    return AuditRun(
        id=properties["id"],
        scope=tuple(properties.get("scope") or ()),
        started=datetime.datetime.fromisoformat(properties["started"]),
        finished=datetime.datetime.fromisoformat(finished) if finished else None,
        status=properties["status"],
        catalogue=properties.get("catalogue") or "",
        rules=tuple(properties.get("rules") or ()),
        rules_not_run=tuple(properties.get("rules_not_run") or ()),
        errors=tuple(properties.get("errors") or ()),
        waiver_problems=tuple(properties.get("waiver_problems") or ()),
        previous=properties.get("previous"),
        counts=json.loads(properties.get("counts") or "{}"),
        breakdown=json.loads(properties.get("breakdown") or "{}"),
        findings=findings_of(chunks or []),
    )
