"""Comparing two lint runs by finding fingerprint: what appeared, what disappeared, what stayed.

What-if compares the graph before and after a change set with it; scheduled audits compare a
run with the previous complete one. A finding is the same finding in both runs exactly when
its fingerprint (rule and key element ids) is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from integraph.lint.findings import OPEN, Finding


@dataclass(frozen=True)
class FindingChanges:
    """Open findings of ``after`` not open in ``before`` (appeared), the reverse (disappeared),
    and those open in both (persisting, as found by ``after``)."""

    appeared: list[Finding]
    disappeared: list[Finding]
    persisting: list[Finding]


def compare_findings(before: list[Finding], after: list[Finding]) -> FindingChanges:
    """Open findings compared by fingerprint; each list sorted by rule, element, fingerprint."""
    old = {f.fingerprint: f for f in before if f.status == OPEN}
    new = {f.fingerprint: f for f in after if f.status == OPEN}

    def ordered(findings: list[Finding]) -> list[Finding]:
        return sorted(findings, key=lambda f: (f.rule.id, f.element, f.fingerprint))

    return FindingChanges(
        appeared=ordered([new[k] for k in new.keys() - old.keys()]),
        disappeared=ordered([old[k] for k in old.keys() - new.keys()]),
        persisting=ordered([new[k] for k in new.keys() & old.keys()]),
    )
