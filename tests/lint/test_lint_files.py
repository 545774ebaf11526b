"""``lint PATH`` judges exactly the files given, whatever the database holds."""

from __future__ import annotations

from pathlib import Path

from integraph.knowledge.load import load_blueprint
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.conftest import run_cli

BLUEPRINT = """\
blueprint: {{id: {name}, name: {name}, version: "1.0.0", status: draft}}
systems:
  - {{id: shop, name: Shop, trust_zone: internal}}
  - {{id: ledger, name: Ledger, trust_zone: internal}}
"""


def write(folder: Path, name: str, flows: list[str]) -> Path:
    """A tiny blueprint whose flows are asynchronous events without a dead-letter queue."""
    folder.mkdir(parents=True, exist_ok=True)
    text = BLUEPRINT.format(name=name) + "flows:\n" if flows else BLUEPRINT.format(name=name)
    for flow in flows:
        text += f"  - {{id: {flow}, source: shop, target: ledger, pattern: event}}\n"
    (folder / "blueprint.yaml").write_text(text, encoding="utf-8")
    return folder


def res01(report) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    return [(f.element, f.location.line) for f in report.findings if f.rule.id == "RES-01"]


async def test_another_loaded_blueprint_is_not_reported(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write(tmp_path / "loaded", "loaded", ["orders-placed"])])
    files = write(tmp_path / "files", "files", ["invoice-sent"])
    report = await lint(graph, choose_rules(ids=["RES-01"]), paths=[files], fail_on=None)
    assert res01(report) == [("files:invoice-sent", 6)]


async def test_a_flow_deleted_from_the_files_is_not_reported(graph: Store, tmp_path: Path) -> None:
    folder = write(tmp_path / "bp", "bp", ["first-event", "second-event"])
    await load_blueprint(graph, [folder])
    write(folder, "bp", ["second-event"])  # the first flow is deleted, the second moves up
    report = await lint(graph, choose_rules(ids=["RES-01"]), paths=[folder], fail_on=None)
    assert res01(report) == [("bp:second-event", 6)]


async def test_files_clashing_with_a_loaded_blueprint_are_linted(
    graph: Store, tmp_path: Path
) -> None:
    await load_blueprint(graph, [write(tmp_path / "a", "owner-a", ["shared-event"])])
    files = write(tmp_path / "b", "owner-b", ["shared-event"])  # same ids, other blueprint
    report = await lint(graph, choose_rules(ids=["RES-01"]), paths=[files], fail_on=None)
    assert res01(report) == [("owner-b:shared-event", 6)]


async def test_the_graph_is_untouched(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write(tmp_path / "loaded", "loaded", ["orders-placed"])])
    before = await graph.read("queries/export/blueprints")
    await lint(graph, choose_rules(), paths=[write(tmp_path / "f", "files", [])], fail_on=None)
    assert await graph.read("queries/export/blueprints") == before


def test_cli_lint_of_files_ignores_the_database(
    graph: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    loaded = write(tmp_path / "loaded", "loaded", ["orders-placed"])
    assert run_cli("load", str(loaded), env=cli_env).returncode == 0
    files = write(tmp_path / "files", "files", [])
    proc = run_cli("lint", str(files), "--select", "RES-01", env=cli_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "orders-placed" not in proc.stdout
