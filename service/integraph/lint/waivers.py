"""Waivers: accepted findings, declared in the blueprint files and read from the graph.

A waiver names a rule and an element (or a finding's fingerprint). A matching finding is
reported as waived, not dropped. An expired waiver no longer applies and is reported; a waiver
that matches no finding of a rule that ran is reported as stale.
"""

from __future__ import annotations

import datetime
from typing import Any

from integraph.lint.findings import OPEN, WAIVED, Finding, Location, WaiverProblem


def apply_waivers(
    findings: list[Finding],
    waivers: list[dict[str, Any]],
    rules_run: set[str],
    today: datetime.date,
) -> list[WaiverProblem]:
    """Mark waived findings in place; return expired and stale waivers."""
    problems: list[WaiverProblem] = []
    for waiver in waivers:
        where = Location(waiver.get("file"), waiver.get("line"), "Waiver")
        matches = [f for f in findings if _matches(waiver, f)]
        expires = _date(waiver.get("expires"))
        if expires is not None and expires < today:
            problems.append(
                WaiverProblem(
                    waiver=waiver["id"],
                    rule=waiver["rule"],
                    kind="expired",
                    message=f"waiver '{waiver['id']}' of {waiver['rule']} expired on "
                    f"{expires.isoformat()}; it no longer applies"
                    + (f" to {len(matches)} finding(s)" if matches else ""),
                    location=where,
                )
            )
            continue
        if not matches:
            if waiver["rule"] in rules_run:
                target = waiver.get("element") or waiver.get("fingerprint")
                problems.append(
                    WaiverProblem(
                        waiver=waiver["id"],
                        rule=waiver["rule"],
                        kind="stale",
                        message=f"waiver '{waiver['id']}' matches no finding of "
                        f"{waiver['rule']} on {target}; remove it",
                        location=where,
                    )
                )
            continue
        for finding in matches:
            if finding.status == OPEN:
                finding.status = WAIVED
                finding.waiver = waiver["id"]
    return problems


def _matches(waiver: dict[str, Any], finding: Finding) -> bool:
    if waiver["rule"] != finding.rule.id:
        return False
    owner = waiver.get("blueprint")
    if owner is not None and owner != finding.blueprint:
        return False  # a blueprint accepts its own findings only (placed ones: see _place)
    if waiver.get("fingerprint"):
        return bool(waiver["fingerprint"] == finding.fingerprint)
    element = waiver.get("element")
    return element is not None and (element == finding.element or element in finding.related)


def _date(value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
