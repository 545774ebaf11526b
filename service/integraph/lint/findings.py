"""The values a lint run produces: findings, rule errors, waiver problems and the report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from integraph.lint.rules import Rule, Severity

OPEN, WAIVED, BASELINED = "open", "waived", "baselined"


def fingerprint(rule_id: str, element: str, related: list[str] | tuple[str, ...] = ()) -> str:
    """Stable identity of a finding: the rule and its key element ids (order-insensitive)."""
    key = "\x1f".join([rule_id, element, *sorted(related)])
    return hashlib.sha256(key.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Location:
    file: str | None
    line: int | None
    kind: str | None = None  # the element's label, e.g. Flow


@dataclass
class Finding:
    rule: Rule
    severity: Severity
    element: str
    related: tuple[str, ...]
    message: str
    details: dict[str, Any]
    fingerprint: str
    location: Location = field(default_factory=lambda: Location(None, None))
    status: str = OPEN
    waiver: str | None = None  # id of the waiver that applies
    blueprint: str | None = None
    """The blueprint that owns the finding's element (None if the element is not found)."""


@dataclass(frozen=True)
class RuleError:
    rule_id: str
    path: str
    message: str


@dataclass(frozen=True)
class WaiverProblem:
    waiver: str
    rule: str
    kind: str  # "expired" or "stale"
    message: str
    location: Location


@dataclass
class RuleRun:
    rule: Rule
    severity: Severity
    seconds: float
    findings: int
    error: str | None = None


@dataclass
class LintReport:
    findings: list[Finding]
    rule_errors: list[RuleError]
    waiver_problems: list[WaiverProblem]
    runs: list[RuleRun]
    seconds: float
    failed: bool = False
    failure_reasons: list[str] = field(default_factory=list)

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.status == OPEN]

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0, "waived": 0, "baselined": 0}
        for finding in self.findings:
            if finding.status == OPEN:
                out[str(finding.severity)] += 1
            else:
                out[finding.status] += 1
        out["rule_errors"] = len(self.rule_errors)
        out["rules_run"] = len(self.runs)
        return out
