"""The lint engine against the real Neo4j: failing rules, waivers, baselines, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.lint.baseline import read_baseline, write_baseline
from integraph.lint.config import LintConfig
from integraph.lint.findings import BASELINED, OPEN, WAIVED, fingerprint
from integraph.lint.loading import load_rules
from integraph.lint.rules import RuleInvalid, Severity, parse_rule
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.lint.harness import TODAY, lint_blueprint, write_blueprint

SHARED = {
    "systems": [
        {"id": "shop", "name": "Shop", "trust_zone": "internal"},
        {"id": "billing", "name": "Billing", "trust_zone": "internal"},
        {"id": "crm", "name": "CRM", "trust_zone": "internal"},
    ],
    "credentials": [
        {
            "id": "cred-shared",
            "kind": "api_key",
            "secret_ref": "vault://kv/shared",
            "held_by": ["shop", "billing"],
        },
        {"id": "cred-own", "kind": "api_key", "secret_ref": "vault://kv/own", "held_by": ["crm"]},
    ],
}

HEADER = """// id: {id}
// title: {title}
// severity: warning
// area: custom
// rationale: A rule written by a team for its own landscape.
// remediation: Fix it.
// references:
//   - https://example.com/rules/{id}
"""


def _custom(folder: Path, rule_id: str, query: str, title: str = "Custom rule") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{rule_id}.cypher").write_text(HEADER.format(id=rule_id, title=title) + query)


@pytest.fixture
def broken_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    _custom(folder, "TEAM-01", "MATCH (n RETURN n.id AS element, 'x' AS message\n")
    _custom(
        folder,
        "TEAM-02",
        "UNWIND range(1, 200000000) AS x WITH x WHERE x = -1\n"
        "RETURN toString(x) AS element, 'never' AS message\n",
    )
    _custom(folder, "TEAM-03", "CREATE (h:Hack {id: 'h'}) RETURN h.id AS element, 'w' AS message\n")
    _custom(
        folder,
        "TEAM-04",
        "MATCH (s:System) RETURN s.id AS element, 'system ' + s.id AS message ORDER BY element\n",
    )
    return folder


async def test_failing_rules_are_reported_and_the_rest_run(
    graph: Store, tmp_path: Path, broken_rules: Path
) -> None:
    write_blueprint(tmp_path / "bp", SHARED)
    from integraph.knowledge.load import load_blueprint

    await load_blueprint(graph, [tmp_path / "bp"])
    team_rules = [f"TEAM-0{i}" for i in range(1, 5)]
    rules = choose_rules(rule_dirs=[broken_rules], ids=["SEC-01", *team_rules])
    report = await lint(graph, rules, config=LintConfig(rule_timeout_s=6), today=TODAY)
    errors = {e.rule_id: e.message for e in report.rule_errors}
    assert set(errors) == {"TEAM-01", "TEAM-02", "TEAM-03"}
    assert "SyntaxError" in errors["TEAM-01"] or "Invalid input" in errors["TEAM-01"]
    assert "timed out" in errors["TEAM-02"] or "Timed" in errors["TEAM-02"]
    assert "read-only" in errors["TEAM-03"] or "write" in errors["TEAM-03"]
    found = sorted((f.rule.id, f.element) for f in report.findings)
    assert found == [
        ("SEC-01", "test-bp:cred-shared"),
        ("TEAM-04", "test-bp:billing"),
        ("TEAM-04", "test-bp:crm"),
        ("TEAM-04", "test-bp:shop"),
    ]
    assert report.failed and "3 rule(s) could not run" in report.failure_reasons
    hacked = await graph.read_transaction(lambda tx: tx.run_text("MATCH (h:Hack) RETURN h"))
    assert hacked == []


async def test_lint_of_files_leaves_the_graph_untouched(
    graph: Store, tmp_path: Path, broken_rules: Path
) -> None:
    folder = write_blueprint(tmp_path / "bp", SHARED)
    rules = choose_rules(rule_dirs=[broken_rules], ids=["SEC-01", "TEAM-01", "TEAM-03", "TEAM-04"])
    report = await lint(graph, rules, paths=[folder], config=LintConfig(rule_timeout_s=5))
    assert {e.rule_id for e in report.rule_errors} == {"TEAM-01", "TEAM-03"}
    assert [(f.rule.id, f.element) for f in report.findings if f.rule.id == "SEC-01"] == [
        ("SEC-01", "test-bp:cred-shared")
    ]
    assert len([f for f in report.findings if f.rule.id == "TEAM-04"]) == 3
    assert report.findings[0].location.file == "credentials.yaml"
    count = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n")
    )
    assert count == [{"n": 0}]


async def test_finding_location_and_fingerprint(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(graph, tmp_path / "bp", SHARED, ["SEC-01"])
    (finding,) = report.findings
    assert finding.location.file == "credentials.yaml"
    assert finding.location.line == 2
    assert finding.location.kind == "Credential"
    assert finding.blueprint == "test-bp"
    assert finding.related == ("test-bp:billing", "test-bp:shop")
    assert finding.fingerprint == fingerprint(
        "SEC-01", "test-bp:cred-shared", ["test-bp:shop", "test-bp:billing"]
    )
    assert "held by 2 systems (test-bp:billing, test-bp:shop)" in finding.message


async def test_waivers_apply_expire_and_go_stale(graph: Store, tmp_path: Path) -> None:
    sections = {
        **SHARED,
        "waivers": [
            {
                "id": "w-ok",
                "rule": "SEC-01",
                "element": "cred-shared",
                "justification": "Legacy batch client, replaced in Q1.",
                "expires": "2027-03-31",
                "approved_by": "security-board",
            },
            {
                "id": "w-stale",
                "rule": "SEC-01",
                "element": "cred-own",
                "justification": "No longer needed.",
            },
            {
                "id": "w-other-rule",
                "rule": "RES-01",
                "element": "shop",
                "justification": "RES-01 does not run here, so this is not judged.",
            },
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["SEC-01"])
    (finding,) = report.findings
    assert finding.status == WAIVED and finding.waiver == "test-bp:w-ok"
    assert [(p.waiver, p.kind) for p in report.waiver_problems] == [("test-bp:w-stale", "stale")]
    assert not report.failed

    sections["waivers"][0]["expires"] = "2026-01-31"
    await graph.write("queries/db/clear")
    report = await lint_blueprint(graph, tmp_path / "bp2", sections, ["SEC-01"])
    assert report.findings[0].status == OPEN
    kinds = sorted((p.waiver, p.kind) for p in report.waiver_problems)
    assert kinds == [("test-bp:w-ok", "expired"), ("test-bp:w-stale", "stale")]
    assert report.failed


async def test_baseline_reports_only_new_findings(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(graph, tmp_path / "bp", SHARED, ["SEC-01"])
    path = tmp_path / "baseline.json"
    assert write_baseline(path, report.findings) == 1
    assert read_baseline(path) == {report.findings[0].fingerprint}

    grown = {**SHARED, "credentials": [*SHARED["credentials"]]}
    grown["credentials"][1] = {**grown["credentials"][1], "held_by": ["crm", "shop"]}
    await graph.write("queries/db/clear")
    from integraph.knowledge.load import load_blueprint

    await load_blueprint(graph, [write_blueprint(tmp_path / "bp2", grown)])
    again = await lint(
        graph, choose_rules(ids=["SEC-01"]), config=LintConfig(), baseline=read_baseline(path)
    )
    statuses = {f.element: f.status for f in again.findings}
    assert statuses == {"test-bp:cred-shared": BASELINED, "test-bp:cred-own": OPEN}
    assert again.counts()["baselined"] == 1 and again.counts()["error"] == 1


async def test_config_overrides_severity_parameters_and_thresholds(
    graph: Store, tmp_path: Path
) -> None:
    config = LintConfig(
        severity={"SEC-01": Severity.WARNING}, parameters={"SEC-01": {"max_holders": 2}}
    )
    report = await lint_blueprint(graph, tmp_path / "bp", SHARED, ["SEC-01"], config=config)
    assert report.findings == []  # two holders are now allowed

    config = LintConfig(severity={"SEC-01": Severity.WARNING})
    rules = choose_rules(ids=["SEC-01"])
    report = await lint(graph, rules, config=config)
    assert [str(f.severity) for f in report.findings] == ["warning"]
    assert not report.failed  # fail-on error; the finding is a warning now
    report = await lint(graph, rules, config=LintConfig(thresholds={"SEC-01": 1}))
    assert not report.failed
    report = await lint(graph, rules, config=LintConfig(thresholds={"security": 0}))
    assert report.failed and report.failure_reasons == ["security: 1 open finding(s), threshold 0"]


def test_custom_rule_metadata_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "rules" / "bad.cypher"
    bad.parent.mkdir()
    bad.write_text("// id: nope\n// title: x\nMATCH (n) RETURN n.id AS element, 'm' AS message\n")
    with pytest.raises(RuleInvalid, match=r"bad\.cypher: invalid rule header: id: .*AREA-NN"):
        parse_rule(bad)
    with pytest.raises(RuleInvalid, match=r"bad\.cypher"):
        load_rules([bad.parent])


def test_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    _custom(tmp_path / "rules", "SEC-01", "MATCH (n) RETURN n.id AS element, 'm' AS message\n")
    with pytest.raises(RuleInvalid, match="SEC-01 is already defined"):
        load_rules([tmp_path / "rules"])


def test_every_builtin_rule_is_well_formed() -> None:
    rules = load_rules()
    assert rules, "the catalogue is empty"
    for rule in rules:
        assert rule.path.name.startswith(rule.id + "_"), rule.path
        assert rule.path.parent.name == rule.area, rule.path
        assert "ORDER BY" in rule.query.upper() or rule.check, f"{rule.id} is not ordered"
        assert "shortestPath" not in rule.query, f"{rule.id}: shortestPath ties are not stable"
        for pattern in ("*]", "*..]", "*0..]", "*1..]"):
            assert pattern not in rule.query.replace(" ", ""), f"{rule.id}: unbounded pattern"
