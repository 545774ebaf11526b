"""Reloading files that did not change: no parse, no write, and never a stale answer."""

from __future__ import annotations

import shutil
from pathlib import Path

from integraph.blueprint.parse import load_blueprint_files
from integraph.knowledge.load import load_blueprint, load_landscape
from integraph.store.driver import Store
from tests.conftest import ROOT
from tests.store.test_writer import snapshot

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"


def copy_of_minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(MINIMAL, folder)
    return folder


async def test_unchanged_files_are_not_parsed_again(graph: Store, tmp_path: Path) -> None:
    folder = copy_of_minimal(tmp_path)
    first = await load_blueprint(graph, [folder])
    assert not first.files_unchanged and first.created == first.elements
    before = await snapshot(graph)
    again = await load_blueprint(graph, [folder])
    assert again.files_unchanged
    assert (again.blueprint, again.elements, again.unchanged) == (
        "minimal",
        first.elements,
        first.elements,
    )
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.relationships == first.relationships
    assert await snapshot(graph) == before


async def test_an_edited_file_is_loaded(graph: Store, tmp_path: Path) -> None:
    folder = copy_of_minimal(tmp_path)
    await load_blueprint(graph, [folder])
    systems = folder / "systems.yaml"
    systems.write_text(systems.read_text().replace("name: Web shop", "name: Web shop 2"))
    edited = await load_blueprint(graph, [folder])
    assert not edited.files_unchanged and edited.updated == 1
    names = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (s:System {id: 'minimal:web-shop'}) RETURN s.name AS name")
    )
    assert names == [{"name": "Web shop 2"}]


async def test_a_write_from_memory_invalidates_the_digest(graph: Store, tmp_path: Path) -> None:
    """A load of the same blueprint that did not come from these files (a benchmark, an
    importer) leaves no digest: the next load of the files is a full one."""
    folder = copy_of_minimal(tmp_path)
    await load_blueprint(graph, [folder])
    landscape = load_blueprint_files([folder])
    landscape.systems[0].name = "renamed in memory"
    await load_landscape(graph, landscape)
    again = await load_blueprint(graph, [folder])
    assert not again.files_unchanged and again.updated == 1


async def test_prune_after_a_load_without_prune_is_a_full_load(
    graph: Store, tmp_path: Path
) -> None:
    folder = copy_of_minimal(tmp_path)
    await load_blueprint(graph, [folder])
    pruned = await load_blueprint(graph, [folder], prune=True)
    assert not pruned.files_unchanged
    assert (await load_blueprint(graph, [folder], prune=True)).files_unchanged
    assert (await load_blueprint(graph, [folder])).files_unchanged


async def test_a_cleared_graph_is_loaded_again(graph: Store, tmp_path: Path) -> None:
    folder = copy_of_minimal(tmp_path)
    await load_blueprint(graph, [folder])
    await graph.write("queries/db/clear")
    again = await load_blueprint(graph, [folder])
    assert not again.files_unchanged and again.created == again.elements
