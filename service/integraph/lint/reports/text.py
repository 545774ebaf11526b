"""Text: grouped by severity and area, with counts; coloured on a terminal."""

from __future__ import annotations

from itertools import groupby

from integraph.lint.findings import OPEN, LintReport
from integraph.lint.reports.common import where

_COLOURS = {"error": "31", "warning": "33", "info": "36"}


def render_text(report: LintReport, *, source_root: str = "", color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    lines: list[str] = []
    open_findings = report.open_findings
    for severity, by_severity in groupby(open_findings, key=lambda f: f.severity):
        group = list(by_severity)
        title = f"{str(severity).upper()}S ({len(group)})"
        lines.append(paint(title, "1;" + _COLOURS[str(severity)]))
        for area, by_area in groupby(group, key=lambda f: f.rule.area):
            lines.append(f"  {area}")
            for finding in by_area:
                lines.append(
                    f"    {paint(finding.rule.id, _COLOURS[str(severity)])} "
                    f"{where(finding.location, source_root)}  {finding.message}"
                )
        lines.append("")
    others = [f for f in report.findings if f.status != OPEN]
    if others:
        lines.append(f"WAIVED OR BASELINED ({len(others)})")
        for finding in others:
            note = f"waived by {finding.waiver}" if finding.waiver else finding.status
            lines.append(f"    {finding.rule.id} {finding.element}  ({note})")
        lines.append("")
    if report.waiver_problems:
        lines.append(paint(f"WAIVER PROBLEMS ({len(report.waiver_problems)})", "1;33"))
        for problem in report.waiver_problems:
            lines.append(f"    {where(problem.location, source_root)}  {problem.message}")
        lines.append("")
    if report.rule_errors:
        lines.append(paint(f"RULE ERRORS ({len(report.rule_errors)})", "1;31"))
        for error in report.rule_errors:
            lines.append(f"    {error.rule_id} ({error.path}): {error.message}")
        lines.append("")
    counts = report.counts()
    lines.append(
        f"{counts['rules_run']} rules in {report.seconds:.1f} s: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info; {counts['waived']} waived, "
        f"{counts['baselined']} baselined; {counts['rule_errors']} rule errors"
    )
    if report.failed:
        lines.append(paint("FAILED: " + "; ".join(report.failure_reasons), "1;31"))
    return "\n".join(lines) + "\n"
