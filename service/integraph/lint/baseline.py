"""Baselines: the fingerprints of findings a team has accepted as its starting point.

A baseline file is JSON: ``{"version": 1, "findings": [{"fingerprint", "rule", "element",
"message"}...]}``; only the fingerprints matter, the rest helps a reader.
"""

from __future__ import annotations

import json
from pathlib import Path

from integraph.errors import ConfigurationError
from integraph.lint.findings import Finding


def read_baseline(path: Path) -> set[str]:
    """Fingerprints in the baseline file; a missing file is an empty baseline."""
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["fingerprint"] for entry in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"{path}: not an Integraph baseline file ({exc})") from None


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Write the fingerprints of ``findings`` (sorted, so the file diffs well)."""
    entries = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "rule": f.rule.id,
                "element": f.element,
                "message": f.message,
            }
            for f in findings
        ),
        key=lambda e: (e["rule"], e["element"], e["fingerprint"]),
    )
    path.write_text(json.dumps({"version": 1, "findings": entries}, indent=2) + "\n")
    return len(entries)
