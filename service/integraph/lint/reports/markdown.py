"""Markdown: a summary table and the findings, for pull-request comments and wikis."""

from __future__ import annotations

from integraph.lint.findings import LintReport
from integraph.lint.reports.common import where


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: LintReport, *, source_root: str = "") -> str:
    counts = report.counts()
    verdict = "failed" if report.failed else "passed"
    lines = [
        "# Integraph lint report",
        "",
        f"**{verdict}**: {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} info; {counts['waived']} waived, {counts['baselined']} baselined; "
        f"{counts['rules_run']} rules, {counts['rule_errors']} rule errors.",
        "",
    ]
    if report.failure_reasons:
        lines += [f"- {reason}" for reason in report.failure_reasons] + [""]
    if report.findings:
        lines += [
            "| severity | rule | element | where | message | status |",
            "|---|---|---|---|---|---|",
        ]
        for f in report.findings:
            lines.append(
                f"| {f.severity} | {f.rule.id} | `{f.element}` | {where(f.location, source_root)}"
                f" | {_cell(f.message)} | {f.status} |"
            )
        lines.append("")
    if report.waiver_problems:
        lines += ["## Waiver problems", ""]
        lines += [
            f"- **{p.kind}** `{p.waiver}`: {_cell(p.message)}" for p in report.waiver_problems
        ]
        lines.append("")
    if report.rule_errors:
        lines += ["## Rule errors", ""]
        lines += [f"- **{e.rule_id}**: {_cell(e.message)}" for e in report.rule_errors]
        lines.append("")
    return "\n".join(lines)
