"""Loading and selecting rules: check names validated on load, unknown filters refused, and the
lint package's imports free of cycles. No database needed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from integraph.lint.checks import CHECKS
from integraph.lint.loading import load_rules
from integraph.lint.rules import RuleInvalid, Severity, parse_rule, select_rules
from tests.conftest import ROOT

LINT = ROOT / "service" / "integraph" / "lint"

RULE = """// id: TEAM-01
// title: Custom rule with a check
// severity: warning
// area: custom
// tags: [team]
// rationale: A rule written by a team for its own landscape.
// remediation: Fix it.
// references:
//   - https://example.org/team-rules
// check: {check}
MATCH (n:System) RETURN n.id AS element, 'm' AS message ORDER BY element
"""


def _rule_dir(tmp_path: Path, check: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "TEAM-01_custom.cypher").write_text(RULE.format(check=check))
    return folder


def test_unknown_check_name_is_refused_when_rules_are_loaded(tmp_path: Path) -> None:
    folder = _rule_dir(tmp_path, "no_such_check")
    # Reading a file checks its header; the check names are checked when rules are loaded.
    assert parse_rule(folder / "TEAM-01_custom.cypher").check == "no_such_check"
    with pytest.raises(RuleInvalid, match=r"TEAM-01_custom\.cypher: rule TEAM-01 names an unknown"):
        load_rules([folder])


def test_known_check_name_loads(tmp_path: Path) -> None:
    name = sorted(CHECKS)[0]
    rules = {r.id: r for r in load_rules([_rule_dir(tmp_path, name)])}
    assert rules["TEAM-01"].check == name
    assert any(r.check for r in rules.values() if r.builtin)  # the catalogue uses checks too


def _lint_imports(path: Path) -> set[str]:
    """The integraph.lint modules a file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("integraph.lint.")}
    return found


def test_lint_package_imports_have_no_cycle() -> None:
    modules: dict[str, set[str]] = {}
    for path in LINT.rglob("*.py"):
        parts = path.relative_to(LINT.parent.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = _lint_imports(path)
    graph = {
        name: {m for m in deps if m in modules and m != name} for name, deps in modules.items()
    }
    assert "integraph.lint.checks" not in graph["integraph.lint.rules"]

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for nxt in sorted(graph[path[-1]]):
            if nxt == start:
                return [*path, start]
            if nxt not in path:
                found = cycle_from(start, [*path, nxt])
                if found:
                    return found
        return None

    for name in sorted(graph):
        cycle = cycle_from(name, [name])
        assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_unknown_area_or_tag_is_an_error_listing_the_known_ones() -> None:
    rules = load_rules()
    with pytest.raises(RuleInvalid, match=r"unknown area\(s\): nope \(known: contracts, ") as exc:
        select_rules(rules, areas=["nope", "security"])
    assert exc.value.exit_code == 2
    with pytest.raises(RuleInvalid, match=r"unknown tag\(s\): nope \(known: .*dead-letter"):
        select_rules(rules, tags=["dead-letter", "nope"])
    with pytest.raises(RuleInvalid, match=r"unknown rule id\(s\): NOPE-01"):
        select_rules(rules, ids=["NOPE-01"])
    # Several wrong filters: every problem at once.
    with pytest.raises(RuleInvalid, match=r"area\(s\): nope .*; unknown tag\(s\): typo"):
        select_rules(rules, areas=["nope"], tags=["typo"])


def test_known_filters_still_select() -> None:
    rules = load_rules()
    assert {r.area for r in select_rules(rules, areas=["security"])} == {"security"}
    tagged = select_rules(rules, tags=["dead-letter"])
    assert tagged and all("dead-letter" in r.tags for r in tagged)
    errors = select_rules(rules, areas=["security"], min_severity=Severity.ERROR)
    assert errors and all(r.severity == Severity.ERROR for r in errors)
