"""JSON: everything the run found, for scripts and dashboards."""

from __future__ import annotations

import json

from integraph.lint.findings import LintReport
from integraph.lint.reports.common import finding_dict


def render_json(report: LintReport, *, source_root: str = "") -> str:
    data = {
        "failed": report.failed,
        "failure_reasons": report.failure_reasons,
        "counts": report.counts(),
        "seconds": round(report.seconds, 3),
        "findings": [finding_dict(f, source_root) for f in report.findings],
        "rule_errors": [
            {"rule": e.rule_id, "path": e.path, "message": e.message} for e in report.rule_errors
        ],
        "waiver_problems": [
            {
                "waiver": p.waiver,
                "rule": p.rule,
                "kind": p.kind,
                "message": p.message,
                "file": p.location.file,
                "line": p.location.line,
            }
            for p in report.waiver_problems
        ],
        "rules": [
            {
                "rule": r.rule.id,
                "severity": str(r.severity),
                "findings": r.findings,
                "seconds": round(r.seconds, 4),
                "error": r.error,
            }
            for r in report.runs
        ],
    }
    return json.dumps(data, indent=2, default=str) + "\n"
