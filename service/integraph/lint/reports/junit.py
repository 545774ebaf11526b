"""JUnit XML: one test case per rule, failing with its open findings (CI dashboards)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from integraph.lint.findings import OPEN, LintReport
from integraph.lint.reports.common import where


def render_junit(report: LintReport, *, source_root: str = "") -> str:
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
        if found:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(found)} {run.severity} finding(s)",
                type=str(run.severity),
            )
            failure.text = "\n".join(
                f"{where(f.location, source_root)}: {f.element}: {f.message}" for f in found
            )
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
