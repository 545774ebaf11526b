"""JUnit XML: one test case per rule, failing with its open findings at or above the run's
``--fail-on`` threshold (CI dashboards).

Open findings below the threshold do not fail their test case: they are listed in its
``system-out``, so a dashboard shows them without turning a passing run red. With no
threshold (``--fail-on never``) no finding fails. A rule that could not run is an ``error``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from integraph.lint.findings import OPEN, Finding, LintReport
from integraph.lint.reports.common import where
from integraph.lint.rules import Severity


def _lines(findings: list[Finding], source_root: str) -> str:
    return "\n".join(
        f"{f.severity}: {where(f.location, source_root)}: {f.element}: {f.message}"
        for f in findings
    )


def render_junit(
    report: LintReport, *, source_root: str = "", fail_on: Severity | None = Severity.ERROR
) -> str:
    suite = ET.Element(
        "testsuite",
        name="integraph-lint",
        tests=str(len(report.runs)),
        time=f"{report.seconds:.3f}",
    )
    failures = errors = 0
    for run in report.runs:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"integraph.{run.rule.area}",
            name=f"{run.rule.id} {run.rule.title}",
            time=f"{run.seconds:.3f}",
        )
        if run.error is not None:
            errors += 1
            ET.SubElement(case, "error", message=run.error).text = run.error
            continue
        found = [f for f in report.findings if f.rule.id == run.rule.id and f.status == OPEN]
        failing = [f for f in found if fail_on is not None and f.severity >= fail_on]
        reported = [f for f in found if fail_on is None or f.severity < fail_on]
        if failing:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(failing)} {run.severity} finding(s)",
                type=str(run.severity),
            )
            failure.text = _lines(failing, source_root)
        if reported:
            threshold = f"below --fail-on {fail_on}" if fail_on is not None else "--fail-on never"
            ET.SubElement(case, "system-out").text = (
                f"{len(reported)} open finding(s) not failing the run ({threshold}):\n"
                + _lines(reported, source_root)
            )
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
