"""SARIF 2.1.0, as GitHub code scanning accepts it: rule metadata in the driver, relative
artifact URIs, partial fingerprints from the finding's fingerprint, waived findings as
suppressions and baselined ones with baselineState."""

from __future__ import annotations

import json
import re
from posixpath import join

from integraph import __version__
from integraph.lint.findings import BASELINED, WAIVED, LintReport
from integraph.lint.rules import Rule, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def _name(rule: Rule) -> str:
    return "".join(word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", rule.title))


def _rule(rule: Rule, severity: Severity) -> dict[str, object]:
    refs = "\n".join(f"- {ref}" for ref in rule.references)
    return {
        "id": rule.id,
        "name": _name(rule),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"{rule.rationale}\n\nRemediation: {rule.remediation}",
            "markdown": f"{rule.rationale}\n\n**Remediation:** {rule.remediation}\n\n{refs}",
        },
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": _LEVEL[severity]},
        # SARIF's property bag requires unique tags: an area may also be one of the rule's tags.
        "properties": {"tags": list(dict.fromkeys([rule.area, *rule.tags])), "precision": "high"},
    }


def render_sarif(report: LintReport, *, source_root: str = "") -> str:
    index = {run.rule.id: i for i, run in enumerate(report.runs)}
    results = []
    for f in report.findings:
        result: dict[str, object] = {
            "ruleId": f.rule.id,
            "ruleIndex": index[f.rule.id],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "partialFingerprints": {"integraphFinding/v1": f.fingerprint},
            "properties": {"element": f.element, "related": list(f.related)},
        }
        location: dict[str, object] = {
            "logicalLocations": [
                {"name": f.element, "fullyQualifiedName": f.element, "kind": "element"}
            ]
        }
        if f.location.file:
            region = {"startLine": f.location.line or 1}
            uri = join(source_root, f.location.file) if source_root else f.location.file
            location["physicalLocation"] = {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": region,
            }
        result["locations"] = [location]
        if f.status == WAIVED:
            result["suppressions"] = [
                {"kind": "inSource", "status": "accepted", "justification": f"waiver {f.waiver}"}
            ]
        elif f.status == BASELINED:
            result["baselineState"] = "unchanged"
        results.append(result)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.rule_id}: {e.message}"},
            "descriptor": {"id": e.rule_id},
        }
        for e in report.rule_errors
    ]
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Integraph",
                        "version": __version__,
                        "rules": [_rule(run.rule, run.severity) for run in report.runs],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.rule_errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"
