"""The seed's deliberate mistakes (seed/README.md) are found by the rules they name, on the
elements of the blueprints they name; the seed has no error-level finding that is not
deliberate; and the README's counts are what the lint reports."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from integraph.knowledge.load import load_knowledge
from integraph.lint.config import LintConfig
from integraph.lint.findings import OPEN, WAIVED, Finding, LintReport
from integraph.lint.rules import Severity
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.conftest import ROOT
from tests.lint.harness import TODAY

SEED = ROOT / "seed"
LANDSCAPE = "enterprise-landscape"
BLUEPRINTS = {LANDSCAPE, "payments-and-cards", "customer-and-channels", "finance-and-reporting"}
ROW = re.compile(r"^\| ([A-Z]+-\d+) \| ([a-z0-9-]+) \| (.+?) \| (.+?) \|")


def deliberate_mistakes() -> list[tuple[str, str, list[str], bool]]:
    """(rule, blueprint, element ids as written, waived?) for each row of the README's table."""
    text = (SEED / "README.md").read_text(encoding="utf-8")
    table = text.split("## Deliberate mistakes", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        match = ROW.match(line)
        if match:
            ids = re.findall(r"`([^`]+)`", match.group(3))
            rows.append((match.group(1), match.group(2), ids, "waived by" in match.group(4)))
    return rows


def full_ids(blueprint: str, ids: list[str], graph_ids: set[str]) -> list[str]:
    """The README's ids as the lint prints them: a short id is the row's blueprint's element
    if it has one, else the landscape's; a blueprint's own id stays as it is."""
    out = []
    for i in ids:
        if ":" in i or i in BLUEPRINTS:
            out.append(i)
        elif f"{blueprint}:{i}" in graph_ids:
            out.append(f"{blueprint}:{i}")
        else:
            out.append(f"{LANDSCAPE}:{i}")
    return out


def _mentions(finding: Finding, ids: list[str]) -> bool:
    return finding.element in ids or any(r in ids for r in finding.related)


@pytest.fixture(scope="module")
async def seed(store: Store) -> AsyncIterator[tuple[LintReport, set[str]]]:
    """The lint report of the whole seed, and the ids in the graph (loaded and linted once
    for the module: the tests only read the report)."""
    await store.write("queries/db/clear")
    await load_knowledge(store, [SEED])
    report = await lint(store, choose_rules(), config=LintConfig(rule_timeout_s=60), today=TODAY)
    rows = await store.read_transaction(lambda tx: tx.run_text("MATCH (n) RETURN n.id AS id"))
    yield report, {row["id"] for row in rows}
    await store.write("queries/db/clear")


def test_the_readme_lists_the_mistakes() -> None:
    rows = deliberate_mistakes()
    assert len(rows) >= 25
    assert {rule.split("-")[0] for rule, _, _, _ in rows} >= {"CON", "RES", "SEC", "ADR", "GOV"}
    assert {blueprint for _, blueprint, _, _ in rows} == BLUEPRINTS


async def test_every_deliberate_mistake_is_found(seed: tuple[LintReport, set[str]]) -> None:
    report, graph_ids = seed
    assert report.rule_errors == []
    missing = []
    for rule, blueprint, written, waived in deliberate_mistakes():
        ids = full_ids(blueprint, written, graph_ids)
        found = [f for f in report.findings if f.rule.id == rule and _mentions(f, ids)]
        if not found:
            missing.append(f"{rule} {ids}")
        elif waived:
            assert all(f.status != OPEN for f in found), (rule, ids)
        # the finding is the row's blueprint's: its main element belongs to it
        assert any(f.blueprint == blueprint for f in found), (rule, blueprint, ids)
    assert missing == []


async def test_no_error_finding_is_accidental(seed: tuple[LintReport, set[str]]) -> None:
    report, graph_ids = seed
    rows = [(r, full_ids(b, ids, graph_ids)) for r, b, ids, _ in deliberate_mistakes()]
    accidental = [
        f"{f.rule.id} {f.element}: {f.message}"
        for f in report.findings
        if f.status == OPEN
        and f.severity == Severity.ERROR
        and not any(rule == f.rule.id and _mentions(f, ids) for rule, ids in rows)
    ]
    assert accidental == []


async def test_the_approved_landscape_has_no_error_and_gov_01_names_the_approved_project(
    seed: tuple[LintReport, set[str]],
) -> None:
    report, _ = seed
    assert all(f.blueprint in BLUEPRINTS for f in report.findings)
    errors = [f for f in report.open_findings if f.severity == Severity.ERROR]
    assert {f.blueprint for f in errors} == BLUEPRINTS - {LANDSCAPE}
    (gov,) = [f for f in report.findings if f.rule.id == "GOV-01"]
    assert gov.element == "customer-and-channels" and gov.status == OPEN
    assert "11 unwaived error finding(s)" in gov.message


async def test_the_readme_counts_are_those_of_the_lint(seed: tuple[LintReport, set[str]]) -> None:
    report, _ = seed
    text = (SEED / "README.md").read_text(encoding="utf-8")
    section = " ".join(text.split("## What the lint reports", 1)[1].split("\n## ", 1)[0].split())
    counts = Counter(f.severity for f in report.open_findings)
    waived = [f for f in report.findings if f.status == WAIVED]
    total = (
        f"**{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} info**, and one more error reported as waived"
    )
    assert total in section and len(waived) == 1
    for blueprint in sorted(BLUEPRINTS):
        mine = [f for f in report.findings if f.blueprint == blueprint]
        by = Counter(f.severity for f in mine if f.status == OPEN)
        row = (
            f"| `{blueprint}` | {by[Severity.ERROR]} | {by[Severity.WARNING]} | "
            f"{by[Severity.INFO]} | {sum(1 for f in mine if f.status == WAIVED)} |"
        )
        assert row in section, row
