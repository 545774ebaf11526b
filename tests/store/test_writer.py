"""Loading blueprints into the real Neo4j: idempotence, prune, rollback, round trip."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from integraph.blueprint.parse import load_blueprint_files
from integraph.errors import CypherError
from integraph.graph import to_graph
from integraph.knowledge.load import export_blueprint, load_blueprint, load_knowledge
from integraph.store.driver import Store, Tx
from integraph.store.writer import write_rows
from tests.conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"


async def snapshot(store: Store, *, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every node (labels, properties) and relationship of the graph, comparable with ==."""

    async def work(tx: Tx) -> dict[str, Any]:
        nodes = await tx.run_text(
            "MATCH (n:Element) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
        )
        rels = await tx.run_text(
            "MATCH (a:Element)-[r]->(b:Element) "
            "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props"
        )
        return {"nodes": nodes, "rels": rels}

    raw = await store.read_transaction(work)
    nodes = {
        row["id"]: (
            sorted(row["labels"]),
            {k: v for k, v in row["props"].items() if k not in ignore},
        )
        for row in raw["nodes"]
    }
    rels = sorted(
        (row["a"], row["t"], row["b"], sorted(row["props"].items())) for row in raw["rels"]
    )
    return {"nodes": nodes, "rels": rels}


async def test_load_twice_is_idempotent(graph: Store) -> None:
    first = await load_blueprint(graph, [MINIMAL])
    assert first.created == first.elements > 0
    assert (first.updated, first.unchanged, first.deleted) == (0, 0, 0)
    before = await snapshot(graph)
    second = await load_blueprint(graph, [MINIMAL])
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.elements
    assert await snapshot(graph) == before


async def test_every_element_remembers_its_file_and_line(graph: Store) -> None:
    await load_blueprint(graph, [MINIMAL])
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (s:System {id: 'minimal:web-shop'}) "
            "RETURN s.source_file AS file, s.source_line AS line"
        )
    )
    text = (MINIMAL / rows[0]["file"]).read_text().splitlines()
    assert "id: web-shop" in text[rows[0]["line"] - 1]


async def test_changed_element_is_updated_and_prune_deletes(graph: Store, tmp_path: Path) -> None:
    copy = tmp_path / "bp"
    shutil.copytree(MINIMAL, copy)
    await load_blueprint(graph, [copy])
    systems = copy / "systems.yaml"
    text = systems.read_text()
    assert "technology: Next.js" in text
    systems.write_text(text.replace("technology: Next.js", "technology: Remix"))
    # Drop a batch flow, and the waiver that names it, from the files.
    yaml = YAML()
    for name, section in (("flows.yaml", "flows"), ("decisions.yaml", "waivers")):
        data = yaml.load(copy / name)
        data[section] = [
            e
            for e in data[section]
            if e["id"] != "nightly-settlement" and e.get("element") != "nightly-settlement"
        ]
        yaml.dump(data, copy / name)

    kept = await load_blueprint(graph, [copy])
    assert kept.updated >= 1 and kept.deleted == 0
    still = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (f:Flow {id: 'minimal:nightly-settlement'}) RETURN count(f) AS n"
        )
    )
    assert still == [{"n": 1}]  # without --prune nothing is deleted

    pruned = await load_blueprint(graph, [copy], prune=True)
    assert pruned.deleted == 2 and pruned.updated == 0  # the flow and its waiver
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (f:Flow {id: 'minimal:nightly-settlement'}) RETURN count(f) AS n UNION ALL "
            "MATCH (s:System {id: 'minimal:web-shop'}) RETURN count(s) AS n"
        )
    )
    assert rows == [{"n": 0}, {"n": 1}]


async def test_reload_after_edits_equals_a_fresh_load(graph: Store, tmp_path: Path) -> None:
    """Unchanged elements are skipped on a reload; the graph must still be the files' graph,
    also when an element changes kind and unchanged elements point at it."""
    copy = tmp_path / "bp"
    shutil.copytree(MINIMAL, copy)
    await load_blueprint(graph, [copy])
    systems = copy / "systems.yaml"
    systems.write_text(systems.read_text().replace("technology: Kong 3.6", "technology: Kong 3.9"))
    # nightly-settlement turns from a flow into a component; its waiver is unchanged.
    flows = copy / "flows.yaml"
    text = flows.read_text()
    start = text.index("  - id: nightly-settlement")
    flows.write_text(text[:start] + text[text.index("\npolicies:", start) + 1 :])
    systems.write_text(
        systems.read_text().replace(
            "components:\n",
            "components:\n  - id: nightly-settlement\n    kind: file_transfer\n"
            "    technology: SFTP\n",
        )
    )
    report = await load_blueprint(graph, [copy])
    # Elements below the edits moved (source_line): updated too; the rest is skipped.
    assert report.updated >= 2 and report.unchanged > 0
    incremental = await snapshot(graph)
    waiver_target = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (:Waiver {id: 'minimal:waiver-settlement-dlq'})-[r]->(c:Component "
            "{id: 'minimal:nightly-settlement'}) RETURN type(r) AS type"
        )
    )
    assert len(waiver_target) == 1

    await graph.write("queries/db/clear")
    await load_blueprint(graph, [copy])
    assert incremental == await snapshot(graph)


async def test_failure_mid_load_leaves_the_graph_as_it_was(graph: Store) -> None:
    await load_blueprint(graph, [MINIMAL])
    before = await snapshot(graph)
    landscape = load_blueprint_files([MINIMAL])
    rows = to_graph(landscape)
    # Change every node (so a partial write would show), then poison the last relationship
    # batch with a value Neo4j cannot store: the failure comes after all nodes were written.
    for node_rows in rows.nodes.values():
        for row in node_rows:
            row["description"] = "changed by a load that fails"
    last_type = sorted(rows.rels)[-1]
    rows.rels[last_type][-1]["poison"] = {"nested": "maps are not storable"}

    async def work(tx: Tx) -> None:
        await write_rows(tx, rows, "minimal", prune=True)

    with pytest.raises(CypherError):
        await graph.write_transaction(work)
    assert await snapshot(graph) == before


async def test_the_same_ids_in_two_blueprints_load_side_by_side(
    graph: Store, tmp_path: Path
) -> None:
    first = await load_blueprint(graph, [MINIMAL])
    other = tmp_path / "other"
    shutil.copytree(MINIMAL, other)
    blueprint = other / "blueprint.yaml"
    blueprint.write_text(blueprint.read_text().replace("id: minimal", "id: other-bp", 1))
    before = await snapshot(graph)
    second = await load_blueprint(graph, [other])
    assert second.created == first.created  # nothing of 'minimal' is touched
    after = await snapshot(graph)
    assert {k: v for k, v in after["nodes"].items() if k in before["nodes"]} == before["nodes"]
    systems = sorted(i for i, (labels, _) in after["nodes"].items() if "System" in labels)
    assert "minimal:web-shop" in systems and "other-bp:web-shop" in systems


@pytest.mark.parametrize("folder", [MINIMAL, ROOT / "seed"], ids=["minimal", "seed"])
async def test_export_then_load_gives_the_same_graph(
    graph: Store, tmp_path: Path, folder: Path
) -> None:
    await load_knowledge(graph, [folder])
    # Source locations point at the files loaded; the exported files are laid out anew.
    ignore = ("source_file", "source_line", "source_column", "content_hash")
    original = await snapshot(graph, ignore=ignore)
    reports = await export_blueprint(graph, tmp_path / "exported")
    assert sum(r.elements for r in reports) == len(original["nodes"])
    await graph.write("queries/db/clear")
    await load_knowledge(graph, [tmp_path / "exported"])
    assert await snapshot(graph, ignore=ignore) == original


async def test_every_write_gives_the_graph_a_new_version(graph: Store) -> None:
    from integraph.store.writer import graph_version

    before = await graph_version(graph)
    await load_blueprint(graph, [MINIMAL])
    first = await graph_version(graph)
    assert first is not None and first != before
    await graph.read("queries/export/blueprints")  # a read changes nothing
    assert await graph_version(graph) == first

    async def failing(tx: Tx) -> None:
        rows = to_graph(load_blueprint_files([MINIMAL]))
        await write_rows(tx, rows, "minimal")
        raise RuntimeError("abandon the transaction")

    with pytest.raises(RuntimeError):
        await graph.write_transaction(failing)
    assert await graph_version(graph) == first  # a rolled-back write leaves the version
    await load_blueprint(graph, [MINIMAL], prune=True)
    assert await graph_version(graph) not in (first, None)
