"""Report formats: SARIF against the official 2.1.0 schema, JUnit, Markdown, JSON, text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from integraph.lint.config import LintConfig
from integraph.lint.findings import Finding, LintReport, Location, RuleRun, fingerprint
from integraph.lint.loading import Severity, load_rules
from integraph.lint.reports import render
from integraph.store.driver import Store
from tests.conftest import SHARED, run_cli
from tests.lint.harness import lint_blueprint, write_blueprint
from tests.lint.test_engine import SHARED as SHARED_CREDENTIAL

SARIF_SCHEMA = SHARED / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def _sarif_schema() -> dict[str, object]:
    """The official SARIF 2.1.0 JSON Schema from ../shared (the project does not copy it)."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent: the official SARIF schema comes from ../shared")
    schema: dict[str, object] = json.loads(SARIF_SCHEMA.read_text())
    return schema


SECTIONS = {
    **SHARED_CREDENTIAL,
    "components": [{"id": "bus", "kind": "broker"}, {"id": "bus-topic", "kind": "topic"}],
    "flows": [
        {
            "id": "crm-updates",
            "source": "crm",
            "target": "shop",
            "pattern": "event",
            "via": ["bus-topic"],
        },
        {
            "id": "billing-events",
            "source": "billing",
            "target": "shop",
            "pattern": "event",
            "via": ["bus-topic"],
        },
    ],
    "waivers": [
        {
            "id": "w-billing",
            "rule": "RES-01",
            "element": "billing-events",
            "justification": "Replay from the source system is the recovery path.",
        },
    ],
}


@pytest.fixture
async def report(graph: Store, tmp_path: Path) -> LintReport:
    return await lint_blueprint(graph, tmp_path / "bp", SECTIONS, ["SEC-01", "RES-01"])


def test_sarif_is_valid_and_github_ready(report: LintReport) -> None:
    sarif = json.loads(render(report, "sarif", source_root="blueprints/shop"))
    jsonschema.validate(sarif, _sarif_schema())
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["RES-01", "SEC-01"]
    rule = run["tool"]["driver"]["rules"][1]
    assert rule["helpUri"].startswith("https://") and rule["help"]["text"]
    results = {r["properties"]["element"]: r for r in run["results"]}
    assert set(results) == {"test-bp:cred-shared", "test-bp:crm-updates", "test-bp:billing-events"}
    location = results["test-bp:cred-shared"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "blueprints/shop/credentials.yaml"
    assert location["region"]["startLine"] == 2
    assert results["test-bp:cred-shared"]["partialFingerprints"]["integraphFinding/v1"]
    assert results["test-bp:billing-events"]["suppressions"][0]["status"] == "accepted"
    assert results["test-bp:crm-updates"]["level"] == "error"


def test_sarif_of_the_whole_catalogue_is_valid() -> None:
    # Every rule's metadata goes into the driver, so each must pass the schema (unique tags):
    # a report whose runs are the whole catalogue, with a finding of a rule whose area is also
    # one of its tags. Built directly: what is checked is the rendering, not a lint run.
    rules = load_rules()
    assert len(rules) >= 47
    con10 = next(r for r in rules if r.id == "CON-10")
    finding = Finding(
        rule=con10,
        severity=con10.severity,
        element="orders-api",
        related=(),
        message="no error format",
        details={},
        fingerprint=fingerprint(con10.id, "orders-api"),
        location=Location("contracts.yaml", 3, "Contract"),
    )
    report = LintReport(
        findings=[finding],
        rule_errors=[],
        waiver_problems=[],
        runs=[RuleRun(r, r.severity, 0.01, int(r is con10)) for r in rules],
        seconds=1.0,
    )
    sarif = json.loads(render(report, "sarif", source_root="blueprints/shop"))
    jsonschema.validate(sarif, _sarif_schema())
    driver_rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in driver_rules] == [r.id for r in rules]
    tags = driver_rules[rules.index(con10)]["properties"]["tags"]
    assert tags == ["contracts", "error-handling", "http"]
    assert sarif["runs"][0]["results"][0]["ruleIndex"] == rules.index(con10)


async def test_junit_fails_only_at_or_above_the_fail_on_threshold(
    graph: Store, tmp_path: Path
) -> None:
    # SEC-01 made a warning: by default (--fail-on error) it is reported, not a failure.
    config = LintConfig(severity={"SEC-01": Severity.WARNING})
    report = await lint_blueprint(
        graph, tmp_path / "bp", SECTIONS, ["SEC-01", "RES-01"], config=config
    )

    def cases(fail_on: Severity | None) -> tuple[ET.Element, dict[str, ET.Element]]:
        suite = ET.fromstring(render(report, "junit", fail_on=fail_on)).find("testsuite")
        assert suite is not None
        return suite, {c.get("name", "").split()[0]: c for c in suite.iter("testcase")}

    suite, by_rule = cases(Severity.ERROR)
    assert suite.get("failures") == "1" and suite.get("errors") == "0"
    assert by_rule["RES-01"].find("failure") is not None
    assert by_rule["SEC-01"].find("failure") is None
    out = by_rule["SEC-01"].findtext("system-out") or ""
    assert "test-bp:cred-shared" in out and "warning" in out
    # The default of render is --fail-on error too.
    assert render(report, "junit") == render(report, "junit", fail_on=Severity.ERROR)

    suite, by_rule = cases(Severity.WARNING)
    assert suite.get("failures") == "2"
    assert "test-bp:cred-shared" in (by_rule["SEC-01"].findtext("failure") or "")
    assert by_rule["SEC-01"].find("system-out") is None

    suite, by_rule = cases(None)  # --fail-on never
    assert suite.get("failures") == "0"
    assert "test-bp:crm-updates" in (by_rule["RES-01"].findtext("system-out") or "")


def test_json_markdown_and_text(report: LintReport) -> None:
    data = json.loads(render(report, "json"))
    assert data["counts"]["error"] == 2 and data["counts"]["waived"] == 1
    assert data["failed"] is True
    assert {f["blueprint"] for f in data["findings"]} == {"test-bp"}
    markdown = render(report, "markdown")
    assert "| error | SEC-01 | `test-bp:cred-shared` | credentials.yaml:2 |" in markdown
    text = render(report, "text")
    assert text.startswith("ERRORS (2)")
    assert "security" in text and "error-handling" in text
    assert "waived by test-bp:w-billing" in text
    assert "\x1b[" not in text and "\x1b[" in render(report, "text", color=True)


def test_lint_cli_exit_codes_and_output(cli_env: dict[str, str], tmp_path: Path) -> None:
    folder = write_blueprint(tmp_path / "bp", SECTIONS)
    proc = run_cli("lint", str(folder), "--select", "SEC-01", "--select", "RES-01", env=cli_env)
    assert proc.returncode == 1, proc.stderr
    assert "ERRORS (2)" in proc.stdout and "FAILED" in proc.stdout
    proc = run_cli("lint", str(folder), "--select", "SEC-01", "--fail-on", "never", env=cli_env)
    assert proc.returncode == 0
    sarif = tmp_path / "out.sarif"
    proc = run_cli(
        "lint",
        str(folder),
        "--select",
        "SEC-01",
        "-f",
        "sarif",
        "-o",
        str(sarif),
        "--fail-on",
        "never",
        env=cli_env,
    )
    assert proc.returncode == 0 and "sarif report written" in proc.stdout
    uri = json.loads(sarif.read_text())["runs"][0]["results"][0]["locations"][0]
    assert uri["physicalLocation"]["artifactLocation"]["uri"].endswith("bp/credentials.yaml")
    baseline = tmp_path / "baseline.json"
    proc = run_cli(
        "lint",
        str(folder),
        "--select",
        "SEC-01",
        "--baseline",
        str(baseline),
        "--update-baseline",
        env=cli_env,
    )
    assert proc.returncode == 0 and "1 findings recorded" in proc.stdout
    proc = run_cli(
        "lint", str(folder), "--select", "SEC-01", "--baseline", str(baseline), env=cli_env
    )
    assert proc.returncode == 0 and "1 baselined" in proc.stdout


def test_lint_cli_refuses_an_unknown_area_or_tag(cli_env: dict[str, str], tmp_path: Path) -> None:
    folder = write_blueprint(tmp_path / "bp", SECTIONS)
    proc = run_cli("lint", str(folder), "--area", "nope", env=cli_env)
    assert proc.returncode == 2, proc.stdout
    assert "unknown area(s): nope" in proc.stderr and "error-handling" in proc.stderr
    proc = run_cli("lint", str(folder), "--tag", "nope", "--tag", "dead-letter", env=cli_env)
    assert proc.returncode == 2, proc.stdout
    assert "unknown tag(s): nope" in proc.stderr and "dead-letter" in proc.stderr


def test_rules_list_and_show(cli_env: dict[str, str]) -> None:
    proc = run_cli("rules", "list", env=cli_env)
    assert proc.returncode == 0
    assert any(line.startswith("SEC-01   error") for line in proc.stdout.splitlines())
    proc = run_cli("rules", "show", "SEC-01", env=cli_env)
    assert proc.returncode == 0 and "max_holders = 1" in proc.stdout
    proc = run_cli("rules", "show", "NOPE-01", env=cli_env)
    assert proc.returncode == 2 and "no rule NOPE-01" in proc.stderr
