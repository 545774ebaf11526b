"""Many blueprints in one knowledge base: namespaces, references across them, ownership."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid
from integraph.knowledge.load import export_blueprint, load_knowledge
from integraph.store.driver import Store
from integraph.store.writer import LoadConflict
from tests.conftest import ROOT
from tests.store.test_writer import snapshot

KNOWLEDGE = ROOT / "tests" / "fixtures" / "blueprints" / "knowledge"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A writable copy of the knowledge-base fixture (landscape, card-payments, crm-sync)."""
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


async def ids(store: Store, label: str) -> list[str]:
    rows = await store.read_transaction(
        lambda tx: tx.run_text(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id")
    )
    return [row["id"] for row in rows]


async def test_a_folder_of_blueprints_loads_in_dependency_order(graph: Store) -> None:
    reports = await load_knowledge(graph, [KNOWLEDGE])
    assert reports[0].blueprint == "landscape"  # used first
    assert {r.blueprint for r in reports} == {"landscape", "card-payments", "crm-sync"}
    # the same local id in three blueprints: three decisions
    assert await ids(graph, "Decision") == [
        "card-payments:adr-0001",
        "card-payments:adr-0002",
        "crm-sync:adr-0001",
        "landscape:adr-0001",
    ]
    assert "landscape:web-shop" in await ids(graph, "System")


async def test_references_across_blueprints_resolve_to_full_identifiers(graph: Store) -> None:
    await load_knowledge(graph, [KNOWLEDGE])
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (f:Flow)-[:FROM]->(s:System), (f)-[:TO]->(t:System) "
            "RETURN f.id AS flow, f.blueprint AS blueprint, s.id AS source, t.id AS target "
            "ORDER BY flow"
        )
    )
    by_flow = {row["flow"]: row for row in rows}
    checkout = by_flow["card-payments:checkout-to-payments"]
    assert (checkout["source"], checkout["target"]) == ("landscape:web-shop", "landscape:payments")
    assert by_flow["crm-sync:settlement-feed"]["source"] == "landscape:card-processor"
    held = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (s:System)-[:HOLDS]->(c:Credential) RETURN s.id AS s, c.id AS c ORDER BY c"
        )
    )
    assert {"s": "landscape:web-shop", "c": "card-payments:cred-shop-payments"} in held
    masked = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (:Flow {id: 'card-payments:checkout-to-payments'})-[:MASKS]->(f:Field) "
            "RETURN f.id AS id"
        )
    )
    assert masked == [{"id": "landscape:payments-api@2.0.0#request/card/pan"}]


async def test_a_dangling_reference_into_a_used_blueprint_fails_with_file_and_line(
    graph: Store, knowledge: Path
) -> None:
    await load_knowledge(graph, [knowledge / "landscape"])
    before = await snapshot(graph)
    edit(knowledge / "crm-sync" / "blueprint.yaml", "target: payments", "target: billing")
    edit(knowledge / "crm-sync" / "blueprint.yaml", "landscape:card-processor", "landscape:kafka")
    with pytest.raises(BlueprintInvalid) as caught:
        await load_knowledge(graph, [knowledge / "crm-sync"])
    shown = [str(i) for i in caught.value.issues]
    assert any(
        "crm-sync/blueprint.yaml:13:" in s
        and "field 'target'" in s
        and "no system has id 'billing' in blueprint(s) landscape" in s
        for s in shown
    ), shown
    assert any("'landscape:kafka' is a component, not a system" in s for s in shown), shown
    assert await snapshot(graph) == before


async def test_a_blueprint_not_loaded_and_not_in_the_load_is_refused(
    graph: Store, knowledge: Path
) -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        await load_knowledge(graph, [knowledge / "crm-sync"])
    (problem,) = caught.value.issues
    assert problem.field == "uses" and problem.line == 7
    assert "uses blueprint 'landscape', which is neither loaded nor in this load" in problem.message
    assert await ids(graph, "Element") == []


async def test_a_reference_to_a_blueprint_not_in_uses_is_an_error(knowledge: Path) -> None:
    from integraph.blueprint.parse import read_blueprint_files

    edit(knowledge / "crm-sync" / "blueprint.yaml", "uses: [landscape]", "uses: []")
    with pytest.raises(BlueprintInvalid) as caught:
        read_blueprint_files([knowledge / "crm-sync"])
    messages = [i.message for i in caught.value.issues]
    assert any("which this blueprint does not use (add it to 'uses'" in m for m in messages)


async def test_a_short_id_two_used_blueprints_have_is_ambiguous(
    graph: Store, knowledge: Path
) -> None:
    await load_knowledge(graph, [knowledge / "landscape", knowledge / "card-payments"])
    # crm-sync now uses both, and both have a decision adr-0002? no: both have adr-0001
    edit(
        knowledge / "crm-sync" / "blueprint.yaml",
        "uses: [landscape]",
        "uses: [landscape, card-payments]",
    )
    edit(knowledge / "crm-sync" / "blueprint.yaml", "  - id: adr-0001\n", "  - id: adr-0009\n")
    edit(
        knowledge / "crm-sync" / "blueprint.yaml",
        "status: accepted",
        "status: accepted\n    supersedes: [adr-0001]",
    )
    with pytest.raises(BlueprintInvalid) as caught:
        await load_knowledge(graph, [knowledge / "crm-sync"])
    (problem,) = caught.value.issues
    assert problem.field == "supersedes"
    assert "'adr-0001' is in several blueprints it uses" in problem.message
    assert "'card-payments:adr-0001' or 'landscape:adr-0001'" in problem.message


async def test_blueprints_using_each_other_in_a_loop_are_refused(
    knowledge: Path, graph: Store
) -> None:
    edit(
        knowledge / "landscape" / "blueprint.yaml",
        "owner: team-platform",
        "owner: team-platform\n  uses: [crm-sync]",
    )
    with pytest.raises(BlueprintInvalid) as caught:
        await load_knowledge(graph, [knowledge])
    assert any("use each other in a loop" in i.message for i in caught.value.issues)
    assert await ids(graph, "Element") == []


async def test_prune_of_one_blueprint_never_touches_another(graph: Store, knowledge: Path) -> None:
    await load_knowledge(graph, [knowledge])
    others = {i for i in await ids(graph, "Element") if not i.startswith("crm-sync")}
    edit(
        knowledge / "crm-sync" / "blueprint.yaml",
        "    governs: [settlement-feed, landscape:payments]\n",
        "",
    )
    reports = await load_knowledge(graph, [knowledge / "crm-sync"], prune=True)
    assert reports[0].deleted == 0
    (knowledge / "crm-sync" / "blueprint.yaml").write_text(
        (knowledge / "crm-sync" / "blueprint.yaml").read_text().split("flows:")[0]
    )
    reports = await load_knowledge(graph, [knowledge / "crm-sync"], prune=True)
    assert reports[0].deleted == 2  # its flow and its decision
    assert {i for i in await ids(graph, "Element") if not i.startswith("crm-sync")} == others


async def test_removing_an_element_another_blueprint_refers_to_is_refused(
    graph: Store, knowledge: Path
) -> None:
    await load_knowledge(graph, [knowledge])
    before = await snapshot(graph)
    systems = knowledge / "landscape" / "systems.yaml"
    text = systems.read_text()
    start = text.index("  - id: card-processor")
    systems.write_text(text[:start] + text[text.index("\ncomponents:") :])
    with pytest.raises(LoadConflict) as caught:
        await load_knowledge(graph, [knowledge / "landscape"], prune=True)
    message = str(caught.value)
    assert "system 'landscape:card-processor' is referred to by flow" in message
    assert "'crm-sync:settlement-feed' (FROM, crm-sync/blueprint.yaml:" in message
    assert "'card-payments:payments-to-processor' (TO, card-payments/flows.yaml:" in message
    assert {r["blueprint"] for r in caught.value.referrers} == {"card-payments", "crm-sync"}
    assert await snapshot(graph) == before


async def test_references_dropped_in_the_same_load_let_the_removal_through(
    graph: Store, knowledge: Path
) -> None:
    await load_knowledge(graph, [knowledge])
    edit(knowledge / "landscape" / "systems.yaml", "  - id: web-shop\n", "  - id: storefront\n")
    for path in (knowledge / "card-payments").glob("*.yaml"):
        path.write_text(path.read_text().replace("web-shop", "storefront"))
    await load_knowledge(graph, [knowledge], prune=True)
    systems = await ids(graph, "System")
    assert "landscape:storefront" in systems and "landscape:web-shop" not in systems


async def test_reloading_the_landscape_keeps_what_other_blueprints_attached(
    graph: Store, knowledge: Path
) -> None:
    await load_knowledge(graph, [knowledge])
    before = await snapshot(graph, ignore=("content_hash", "name", "technology"))
    edit(knowledge / "landscape" / "systems.yaml", "name: Web shop", "name: Web shop (v2)")
    edit(knowledge / "landscape" / "systems.yaml", "technology: Next.js", "technology: Remix")
    (report,) = await load_knowledge(graph, [knowledge], prune=True, only=["landscape"])
    assert report.updated == 1 and report.deleted == 0
    after = await snapshot(graph, ignore=("content_hash", "name", "technology"))
    assert after == before  # HOLDS, FROM, TO, GOVERNS of the projects are all still there


async def test_the_whole_graph_round_trips_byte_for_byte(
    graph: Store, knowledge: Path, tmp_path: Path
) -> None:
    await load_knowledge(graph, [KNOWLEDGE])
    first = tmp_path / "first"
    reports = await export_blueprint(graph, first)
    assert sorted(p.name for p in first.iterdir()) == ["card-payments", "crm-sync", "landscape"]
    assert {r.blueprint for r in reports} == {"card-payments", "crm-sync", "landscape"}
    loaded = await snapshot(
        graph, ignore=("source_file", "source_line", "source_column", "content_hash")
    )
    await graph.write("queries/db/clear")
    await load_knowledge(graph, [first])
    again = await snapshot(
        graph, ignore=("source_file", "source_line", "source_column", "content_hash")
    )
    assert again == loaded
    second = tmp_path / "second"
    await export_blueprint(graph, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (second / relative).read_bytes() == (first / relative).read_bytes(), relative
    # references into the landscape are written as full identifiers
    flows = (first / "card-payments" / "flows.yaml").read_text()
    assert 'source: "landscape:web-shop"' in flows


async def test_blueprint_narrows_load_and_export(graph: Store, tmp_path: Path) -> None:
    reports = await load_knowledge(graph, [KNOWLEDGE], only=["landscape"])
    assert [r.blueprint for r in reports] == ["landscape"]
    await load_knowledge(graph, [KNOWLEDGE], only=["crm-sync"])
    out = tmp_path / "out"
    (report,) = await export_blueprint(graph, out, blueprint="crm-sync")
    assert report.blueprint == "crm-sync" and (out / "blueprint.yaml").exists()
    with pytest.raises(Exception, match="no blueprint nope in the paths"):
        await load_knowledge(graph, [KNOWLEDGE], only=["nope"])


async def test_the_same_rule_on_two_blueprints_adr_0001_gives_two_findings(graph: Store) -> None:
    from integraph.lint.service import choose_rules, lint

    await load_knowledge(graph, [KNOWLEDGE])
    report = await lint(graph, choose_rules(ids=["ADR-04"]), fail_on=None)
    on_adr_0001 = {f.element: f for f in report.findings if f.element.endswith(":adr-0001")}
    assert {"landscape:adr-0001", "crm-sync:adr-0001"} <= set(on_adr_0001)
    landscape, crm = on_adr_0001["landscape:adr-0001"], on_adr_0001["crm-sync:adr-0001"]
    assert landscape.fingerprint != crm.fingerprint
    assert (landscape.blueprint, crm.blueprint) == ("landscape", "crm-sync")
    narrowed = await lint(
        graph, choose_rules(ids=["ADR-04"]), fail_on=None, blueprints=["crm-sync"]
    )
    assert narrowed.findings and {f.blueprint for f in narrowed.findings} == {"crm-sync"}


async def test_lint_of_files_sees_the_blueprints_they_use_and_reports_only_theirs(
    graph: Store,
) -> None:
    from integraph.lint.service import choose_rules, lint

    await load_knowledge(graph, [KNOWLEDGE / "landscape", KNOWLEDGE / "card-payments"])
    before = await snapshot(graph)
    report = await lint(graph, choose_rules(), paths=[KNOWLEDGE / "crm-sync"], fail_on=None)
    assert report.findings and {f.blueprint for f in report.findings} == {"crm-sync"}
    assert not report.rule_errors
    assert await snapshot(graph) == before  # nothing written


async def test_a_waiver_accepts_only_its_own_blueprints_findings(knowledge: Path) -> None:
    from integraph.blueprint.parse import read_blueprint_files

    path = knowledge / "crm-sync" / "blueprint.yaml"
    path.write_text(
        path.read_text()
        + "\nwaivers:\n  - id: w1\n    rule: RES-14\n    element: landscape:payments\n"
        + "    justification: not ours\n"
    )
    with pytest.raises(BlueprintInvalid) as caught:
        read_blueprint_files([knowledge / "crm-sync"])
    (problem,) = caught.value.issues
    assert problem.field == "element" and "a waiver accepts findings of its own" in problem.message


async def test_impact_crosses_blueprint_boundaries(graph: Store) -> None:
    from integraph.impact.blast import Direction, blast_radius

    await load_knowledge(graph, [KNOWLEDGE])
    result = await blast_radius(graph, "landscape:card-processor", direction=Direction.DOWNSTREAM)
    flows = {step.flow for item in result.affected for step in item.path}
    # a landscape system's outage reaches, through a project's flows, other landscape systems
    assert "card-payments:payments-to-processor" in flows
    assert "landscape:web-shop" in {item.id for item in result.affected}


async def test_the_cli_loads_a_knowledge_base_and_resolves_short_ids(
    graph: Store, cli_env: dict[str, str]
) -> None:
    from tests.conftest import run_cli

    loaded = run_cli("load", str(KNOWLEDGE), env=cli_env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("loaded blueprint") == 3
    assert loaded.stdout.index("'landscape'") < loaded.stdout.index("'crm-sync'")
    impact = run_cli("impact", "card-processor", "--format", "json", env=cli_env)
    assert impact.returncode == 0, impact.stderr
    assert '"element": "landscape:card-processor"' in impact.stdout
    ambiguous = run_cli("impact", "adr-0001", env=cli_env)
    assert ambiguous.returncode == 2
    assert "'adr-0001' is in several blueprints: use one of card-payments:adr-0001" in (
        ambiguous.stderr
    )
    offline = run_cli("validate", str(KNOWLEDGE / "crm-sync"), env=cli_env)
    assert offline.returncode == 0, offline.stderr
    assert "reference(s) into blueprints outside these paths" in offline.stdout.replace("\n", " ")


async def test_a_change_set_names_its_blueprints_elements_and_the_landscapes(
    graph: Store,
) -> None:
    from integraph.impact.whatif import ChangeSet, ChangeSetInvalid, what_if
    from integraph.lint.service import choose_rules

    await load_knowledge(graph, [KNOWLEDGE])
    before = await snapshot(graph)
    flow = {
        "id": "shop-to-crm",
        "source": "web-shop",  # the landscape's, by short id
        "target": "landscape:card-processor",
        "pattern": "batch",
        "transport_encryption": "tls",
    }
    changes = ChangeSet(
        blueprint="card-payments",
        description=None,
        add={"flows": [flow]},
        modify={},
        remove=["card-payments:waiver-settlement-dlq"],  # its own element, by full identifier
    )
    report = await what_if(graph, changes, choose_rules(ids=["CON-01"]), depth=1)
    appeared = {f.element for f in report.appeared}
    assert "card-payments:shop-to-crm" in appeared  # a flow without a contract
    assert await snapshot(graph) == before  # nothing saved
    foreign = ChangeSet("card-payments", None, {}, {}, ["crm-sync:settlement-feed"])
    with pytest.raises(ChangeSetInvalid, match="is not an element of blueprint 'card-payments'"):
        await what_if(graph, foreign, choose_rules(ids=["CON-01"]))
    dangling = ChangeSet("card-payments", None, {"flows": [{**flow, "source": "nope"}]}, {}, [])
    with pytest.raises(ChangeSetInvalid, match="no system has id 'nope' in blueprint"):
        await what_if(graph, dangling, choose_rules(ids=["CON-01"]))
