"""Small pieces the report formats share."""

from __future__ import annotations

from posixpath import join

from integraph.lint.findings import Finding, Location


def where(location: Location, source_root: str = "") -> str:
    """``file:line`` of a finding's element, or ``-`` when it has no recorded source."""
    if not location.file:
        return "-"
    path = join(source_root, location.file) if source_root else location.file
    return f"{path}:{location.line}" if location.line else path


def finding_dict(finding: Finding, source_root: str = "") -> dict[str, object]:
    path = None
    if finding.location.file:
        path = join(source_root, finding.location.file) if source_root else finding.location.file
    return {
        "rule": finding.rule.id,
        "title": finding.rule.title,
        "severity": str(finding.severity),
        "area": finding.rule.area,
        "status": finding.status,
        "element": finding.element,
        "element_kind": finding.location.kind,
        "blueprint": finding.blueprint,
        "related": list(finding.related),
        "message": finding.message,
        "details": finding.details,
        "fingerprint": finding.fingerprint,
        "file": path,
        "line": finding.location.line,
        "waiver": finding.waiver,
    }
