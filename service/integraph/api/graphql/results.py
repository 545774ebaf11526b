"""GraphQL types of the service functions' results, derived from their dataclasses.

Lint findings, blast radius answers and the rest are the same typed values the CLI prints;
the schema derives its types from those dataclasses (`derive.object_type`) instead of
restating them, and adds the aggregations a dashboard needs on top.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry
from strawberry.types import Info

from integraph.api.graphql.derive import object_type
from integraph.impact.blast import Affected, BlastRadius, Step
from integraph.lint.findings import Finding, LintReport, Location, RuleError, RuleRun, WaiverProblem
from integraph.lint.rules import Rule


@strawberry.type(description="How many of something there are under one key.")
class Count:
    key: str | None
    count: int


def counts_of(values: list[str | None]) -> list[Count]:
    tally = Counter(values)
    return [
        Count(key=k, count=n)
        for k, n in sorted(tally.items(), key=lambda kn: (-kn[1], kn[0] or ""))
    ]


RuleType = object_type(
    Rule,
    name="Rule",
    exclude={"query", "path", "parameters", "check"},
    description="A lint rule of the catalogue (or a custom rule folder).",
)
LocationType = object_type(Location, name="FindingLocation", description="Where a finding is.")
StepType = object_type(Step, name="ImpactStep", description="One hop: source -> target over flow.")


async def _finding_team(root: strawberry.Parent[Finding], info: Info) -> str | None:
    return await info.context.loaders.owner_team.load(root.element)


FindingType = object_type(
    Finding,
    name="Finding",
    extra={
        "team": strawberry.field(
            resolver=_finding_team, description="The team owning the finding's element."
        )
    },
    description="One lint finding: a rule, the element it concerns, and its status.",
)
RuleErrorType = object_type(RuleError, name="RuleError", description="A rule that failed to run.")
WaiverProblemType = object_type(
    WaiverProblem, name="WaiverProblem", description="An expired or stale waiver."
)
RuleRunType = object_type(RuleRun, name="RuleRun", description="How one rule ran.")


async def _by_team(root: strawberry.Parent[LintReport], info: Info) -> list[Count]:
    open_findings = root.open_findings
    teams = await info.context.loaders.owner_team.load_many([f.element for f in open_findings])
    return counts_of(list(teams))


LintReportType = object_type(
    LintReport,
    name="LintReport",
    extra={
        "counts": strawberry.field(
            resolver=lambda root: root.counts(),
            graphql_type=strawberry.scalars.JSON,
            description="Open findings by severity, and waived, baselined, rule errors, rules run.",
        ),
        "by_severity": strawberry.field(
            resolver=lambda root: counts_of([str(f.severity) for f in root.open_findings]),
            graphql_type=list[Count],
            description="Open findings by severity.",
        ),
        "by_area": strawberry.field(
            resolver=lambda root: counts_of([f.rule.area for f in root.open_findings]),
            graphql_type=list[Count],
            description="Open findings by rule area.",
        ),
        "by_rule": strawberry.field(
            resolver=lambda root: counts_of([f.rule.id for f in root.open_findings]),
            graphql_type=list[Count],
            description="Open findings by rule.",
        ),
        "by_team": strawberry.field(
            resolver=_by_team, description="Open findings by the team owning their element."
        ),
    },
    description="What a lint run found, and how its rules ran.",
)

AffectedType = object_type(
    Affected, name="AffectedElement", description="An element a change reaches, and how."
)


def _count_rows(counts: dict[str, int]) -> list[Count]:
    return [Count(key=k, count=n) for k, n in counts.items()]


BlastRadiusType = object_type(
    BlastRadius,
    name="BlastRadius",
    exclude={"counts"},
    extra={
        "by_effect": strawberry.field(
            resolver=lambda root: _count_rows(root.counts.get("effect", {})),
            graphql_type=list[Count],
            description="All affected systems (not only this page) by effect.",
        ),
        "by_team": strawberry.field(
            resolver=lambda root: _count_rows(root.counts.get("team", {})),
            graphql_type=list[Count],
            description="All affected systems by owner team.",
        ),
        "by_tier": strawberry.field(
            resolver=lambda root: _count_rows(root.counts.get("tier", {})),
            graphql_type=list[Count],
            description="All affected systems by criticality tier ('-': none).",
        ),
    },
    description="What a change to one element affects: one page, and counts over all.",
)

RESULT_TYPES: list[Any] = [
    RuleType,
    LocationType,
    StepType,
    FindingType,
    RuleErrorType,
    WaiverProblemType,
    RuleRunType,
    LintReportType,
    AffectedType,
    BlastRadiusType,
]


from integraph.compat.model import CompatibilityReport, Difference  # noqa: E402
from integraph.impact.contract_check import BrokenConsumer, ContractCheck  # noqa: E402
from integraph.impact.lineage import CarriedField, Hop, Lineage  # noqa: E402
from integraph.impact.whatif import WhatIfReport  # noqa: E402

CarriedFieldType = object_type(CarriedField, name="CarriedField", description="A field on a hop.")
HopType = object_type(Hop, name="LineageHop", description="One flow carrying the data onward.")
LineageType = object_type(
    Lineage,
    name="Lineage",
    extra={
        "gaps": strawberry.field(
            resolver=lambda root: root.gaps,
            graphql_type=list[HopType],  # type: ignore[valid-type]
            description="Hops missing a duty (masking, encryption, audit logging).",
        )
    },
    description="Where a field, a classification or a system's data travels.",
)
DifferenceType = object_type(
    Difference, name="SchemaDifference", description="One difference between two versions."
)
CompatibilityType = object_type(
    CompatibilityReport,
    name="CompatibilityReport",
    extra={
        "compatible": strawberry.field(
            resolver=lambda root: root.compatible,
            graphql_type=bool,
            description="No breaking difference under the mode.",
        )
    },
    description="All differences between two versions and the verdict under a mode.",
)
BrokenConsumerType = object_type(
    BrokenConsumer, name="BrokenConsumer", description="A consumer a proposal would break."
)
ContractCheckType = object_type(
    ContractCheck,
    name="ContractCheck",
    extra={
        "compatible": strawberry.field(
            resolver=lambda root: root.compatible,
            graphql_type=bool,
            description="The proposal breaks nothing under the contract's mode.",
        )
    },
    description="A proposed contract version checked against the stored one and its consumers.",
)
WhatIfType = object_type(
    WhatIfReport,
    name="WhatIfReport",
    exclude={"changeset"},
    extra={
        "touched": strawberry.field(
            resolver=lambda root: root.changeset.touched,
            graphql_type=list[str],
            description="Elements the change set modifies or removes.",
        ),
        "added": strawberry.field(
            resolver=lambda root: root.changeset.added,
            graphql_type=list[str],
            description="Elements the change set adds.",
        ),
    },
    description="What a change set would do: findings appearing and disappearing, blast radius.",
)
RESULT_TYPES += [
    CarriedFieldType,
    HopType,
    LineageType,
    DifferenceType,
    CompatibilityType,
    BrokenConsumerType,
    ContractCheckType,
    WhatIfType,
]


from integraph.changes.audit_trail import AuditChange, AuditEntry  # noqa: E402

AuditChangeType = object_type(
    AuditChange,
    name="AuditChange",
    extra={
        "differences": strawberry.field(
            resolver=lambda root: {k: list(v) for k, v in root.differences().items()},
            graphql_type=strawberry.scalars.JSON,
            description="The properties that differ: name -> [before, after].",
        )
    },
    description="One element an audit entry changed, with its state before and after.",
)
AuditEntryType = object_type(
    AuditEntry, name="AuditEntry", description="Who changed what, when, through which operation."
)
RESULT_TYPES += [AuditChangeType, AuditEntryType]
