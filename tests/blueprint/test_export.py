"""Export: deterministic YAML files that load back into the same landscape."""

from __future__ import annotations

from pathlib import Path

from integraph.blueprint.export import dump_yaml, write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.model import Decision, Landscape
from tests.blueprint.conftest import MINIMAL


def same(a: Landscape, b: Landscape) -> bool:
    return a.model_dump(exclude={"sources"}) == b.model_dump(exclude={"sources"})


def test_export_writes_one_file_per_section(minimal: Landscape, tmp_path: Path) -> None:
    written = write_blueprint_files(minimal, tmp_path)
    assert [p.name for p in written] == [
        "blueprint.yaml",
        "teams.yaml",
        "systems.yaml",
        "components.yaml",
        "contracts.yaml",
        "flows.yaml",
        "policies.yaml",
        "credentials.yaml",
        "classifications.yaml",
        "decisions.yaml",
        "waivers.yaml",
    ]


def test_export_then_parse_gives_the_same_landscape(minimal: Landscape, tmp_path: Path) -> None:
    write_blueprint_files(minimal, tmp_path)
    reloaded = load_blueprint_files([tmp_path])
    assert same(reloaded, minimal)
    assert reloaded.source("checkout-to-payments") is not None


def test_export_is_deterministic(minimal: Landscape, tmp_path: Path) -> None:
    first = write_blueprint_files(minimal, tmp_path / "a")
    second = write_blueprint_files(load_blueprint_files([MINIMAL]), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    again = write_blueprint_files(load_blueprint_files([tmp_path / "a"]), tmp_path / "c")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in first]


def test_elements_are_sorted_by_id_and_defaults_left_out(minimal: Landscape) -> None:
    text = dump_yaml(
        {"systems": [s.model_dump(mode="json", exclude_defaults=True) for s in minimal.systems]}
    )
    assert (
        text.index("id: card-processor") < text.index("id: payments") < text.index("id: web-shop")
    )
    assert "lifecycle" not in text


def test_multiline_text_and_dates_survive(tmp_path: Path) -> None:
    landscape = Landscape(
        decisions=[
            Decision(
                id="adr-1",
                title="Use: colons, 'quotes' and #hashes",
                status="accepted",
                date="2024-03-01",
                context="Line one.\nLine two: with a colon.\n",
            )
        ]
    )
    write_blueprint_files(landscape, tmp_path)
    text = (tmp_path / "decisions.yaml").read_text()
    assert "context: |" in text and "date: 2024-03-01" in text
    (tmp_path / "blueprint.yaml").write_text("blueprint: {id: b, name: B, version: '1'}\n")
    assert load_blueprint_files([tmp_path]).decisions == landscape.decisions
