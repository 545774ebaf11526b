"""The seed's deliberate mistakes (seed/README.md) are found by the rules they name, and the
seed has no error-level finding that is not deliberate."""

from __future__ import annotations

import re

import pytest

from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.findings import OPEN, Finding, LintReport
from integraph.lint.rules import Severity
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.conftest import ROOT
from tests.lint.harness import TODAY

SEED = ROOT / "seed"
ROW = re.compile(r"^\| ([A-Z]+-\d+) \| (.+?) \| (.+?) \|")


def deliberate_mistakes() -> list[tuple[str, list[str], bool]]:
    """(rule, element ids, waived?) for each row of the README's mistake table."""
    text = (SEED / "README.md").read_text(encoding="utf-8")
    table = text.split("## Deliberate mistakes", 1)[1]
    rows = []
    for line in table.splitlines():
        match = ROW.match(line)
        if match:
            ids = re.findall(r"`([^`]+)`", match.group(2))
            rows.append((match.group(1), ids, "waived by" in match.group(3)))
    return rows


def _mentions(finding: Finding, ids: list[str]) -> bool:
    return finding.element in ids or any(r in ids for r in finding.related)


@pytest.fixture
async def seed_report(graph: Store) -> LintReport:
    await load_blueprint(graph, [SEED])
    return await lint(graph, choose_rules(), config=LintConfig(rule_timeout_s=60), today=TODAY)


def test_the_readme_lists_the_mistakes() -> None:
    rows = deliberate_mistakes()
    assert len(rows) >= 25
    assert {rule.split("-")[0] for rule, _, _ in rows} >= {"CON", "RES", "SEC", "ADR", "GOV"}


async def test_every_deliberate_mistake_is_found(seed_report: LintReport) -> None:
    assert seed_report.rule_errors == []
    missing = []
    for rule, ids, waived in deliberate_mistakes():
        found = [f for f in seed_report.findings if f.rule.id == rule and _mentions(f, ids)]
        if not found:
            missing.append(f"{rule} {ids}")
        elif waived:
            assert all(f.status != OPEN for f in found), (rule, ids)
    assert missing == []


async def test_no_error_finding_is_accidental(seed_report: LintReport) -> None:
    rows = deliberate_mistakes()
    accidental = [
        f"{f.rule.id} {f.element}: {f.message}"
        for f in seed_report.findings
        if f.status == OPEN
        and f.severity == Severity.ERROR
        and not any(rule == f.rule.id and _mentions(f, ids) for rule, ids, _ in rows)
    ]
    assert accidental == []
