"""The scheduled audits in GraphQL: runs, a run's findings with filters, a finding's history,
trends and the diff of two runs, over the same service functions as `integraph audit`."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from integraph.api.graphql.derive import object_type
from integraph.audits import service
from integraph.audits.runs import AuditFinding, AuditRun

MAX_RUNS = 200

AuditFindingType = object_type(
    AuditFinding,
    name="AuditFinding",
    description="A finding as one audit run recorded it, with its mark against the run before.",
)


@strawberry.input(description="Narrows a run's findings; each field left out matches all.")
class AuditFindingFilter:
    marks: list[str] | None = strawberry.field(
        default=None, description="new, persisting, reopened, resolved"
    )
    severities: list[str] | None = strawberry.field(default=None, description="error, ...")
    statuses: list[str] | None = strawberry.field(default=None, description="open, waived...")
    rules: list[str] | None = None
    areas: list[str] | None = None
    blueprints: list[str] | None = None
    teams: list[str] | None = None


_FILTERS = (
    ("marks", "mark"),
    ("severities", "severity"),
    ("statuses", "status"),
    ("rules", "rule"),
    ("areas", "area"),
    ("blueprints", "blueprint"),
    ("teams", "team"),
)


def _findings(root: strawberry.Parent[AuditRun], where: AuditFindingFilter | None = None) -> Any:
    found = root.findings
    if where is not None:
        for plural, single in _FILTERS:
            wanted = getattr(where, plural)
            if wanted is not None:
                found = [f for f in found if getattr(f, single) in wanted]
    return found


_findings.__annotations__["return"] = list[AuditFindingType]  # type: ignore[valid-type]

AuditRunType = object_type(
    AuditRun,
    name="AuditRun",
    exclude={"findings"},
    extra={
        "findings": strawberry.field(
            resolver=_findings,
            description="Its findings (empty in lists of runs: ask `auditRun(id)` for them).",
        )
    },
    description="One audit run: when, over which blueprints, how it went, what it found.",
)
RunDiffType = object_type(
    service.RunDiff, name="AuditRunDiff", description="What changed between two audit runs."
)
HistoryEntryType = object_type(
    service.HistoryEntry, name="AuditFindingHistory", description="A finding in one run."
)
TrendPointType = object_type(
    service.TrendPoint,
    name="AuditTrendPoint",
    description="Open findings of one complete run, counted by the key asked for.",
)
AUDIT_TYPES = [
    AuditFindingType,
    AuditRunType,
    RunDiffType,
    HistoryEntryType,
    TrendPointType,
]


def audit_fields() -> dict[str, Any]:
    """The Query fields of the audits (merged into `Query`)."""

    async def audit_runs(
        info: Info, blueprint: list[str] | None = None, every: bool = False, first: int = 20
    ) -> list[AuditRunType]:  # type: ignore[valid-type]
        if not 0 <= first <= MAX_RUNS:
            raise ValueError(f"first must be between 0 and {MAX_RUNS}")
        return await service.runs(
            info.context.app.store, blueprints=blueprint, limit=first, every=every
        )

    async def audit_run(info: Info, id: str) -> AuditRunType:  # type: ignore[valid-type]
        return await service.run(info.context.app.store, id)

    async def audit_diff(info: Info, before: str, after: str) -> RunDiffType:  # type: ignore[valid-type]
        return await service.diff(info.context.app.store, before, after)

    async def audit_finding_history(info: Info, fingerprint: str) -> list[HistoryEntryType]:  # type: ignore[valid-type]
        return await service.history(info.context.app.store, fingerprint)

    async def audit_trend(
        info: Info, by: str = "severity", blueprint: list[str] | None = None, last: int = 30
    ) -> list[TrendPointType]:  # type: ignore[valid-type]
        if not 1 <= last <= MAX_RUNS:
            raise ValueError(f"last must be between 1 and {MAX_RUNS}")
        return await service.trend(info.context.app.store, by=by, blueprints=blueprint, last=last)

    return {
        "audit_runs": strawberry.field(
            resolver=audit_runs,
            description="Audit runs newest first: of one scope (all blueprints by default), "
            "or of every scope with `every`.",
        ),
        "audit_run": strawberry.field(
            resolver=audit_run, description="One audit run with its findings (`audit show`)."
        ),
        "audit_diff": strawberry.field(
            resolver=audit_diff, description="What changed between two runs (`audit diff`)."
        ),
        "audit_finding_history": strawberry.field(
            resolver=audit_finding_history,
            description="A finding across runs, oldest first (`audit history`).",
        ),
        "audit_trend": strawberry.field(
            resolver=audit_trend,
            description="Open findings over the last complete runs, by severity, area, rule, "
            "team or blueprint.",
        ),
    }
