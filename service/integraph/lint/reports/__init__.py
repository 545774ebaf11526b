"""Renderings of a lint report: text, json, sarif, junit, markdown."""

from __future__ import annotations

from collections.abc import Callable

from integraph.lint.findings import LintReport
from integraph.lint.reports.json_report import render_json
from integraph.lint.reports.junit import render_junit
from integraph.lint.reports.markdown import render_markdown
from integraph.lint.reports.sarif import render_sarif
from integraph.lint.reports.text import render_text
from integraph.lint.rules import Severity

FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
}


def render(
    report: LintReport,
    fmt: str,
    *,
    source_root: str = "",
    color: bool = False,
    fail_on: Severity | None = Severity.ERROR,
) -> str:
    """The report in format ``fmt``; ``source_root`` prefixes file paths (SARIF, text).

    ``fail_on`` is the run's ``--fail-on`` threshold (None for ``never``): in JUnit only open
    findings at or above it are failures, the others are listed in their test case's output.
    """
    if fmt == "text":
        return render_text(report, source_root=source_root, color=color)
    if fmt == "junit":
        return render_junit(report, source_root=source_root, fail_on=fail_on)
    return FORMATS[fmt](report, source_root=source_root)
