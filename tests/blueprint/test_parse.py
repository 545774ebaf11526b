"""Parsing blueprint folders: sections over many files, sources, the file list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.parse import find_blueprint_files, load_blueprint_files
from integraph.model import (
    AlertRule,
    CompatibilityMode,
    DeadLetterPolicy,
    Landscape,
    MaskingMethod,
    SourceLocation,
)
from tests.blueprint.conftest import MINIMAL


def test_minimal_has_every_section(minimal: Landscape) -> None:
    assert minimal.blueprint is not None
    assert minimal.blueprint.id == "minimal"
    assert minimal.blueprint.status == "in_review"
    assert [len(getattr(minimal, s)) for s in ("teams", "systems", "components")] == [2, 3, 4]
    assert [len(getattr(minimal, s)) for s in ("contracts", "flows", "policies")] == [2, 4, 6]
    assert [len(getattr(minimal, s)) for s in ("credentials", "classifications")] == [2, 2]
    assert [len(getattr(minimal, s)) for s in ("decisions", "waivers")] == [2, 1]
    assert {type(p) for p in minimal.policies} >= {AlertRule, DeadLetterPolicy}


def test_minimal_values_are_typed(minimal: Landscape) -> None:
    flow = next(f for f in minimal.flows if f.id == "checkout-to-payments")
    assert flow.via == ["api-gateway"]
    assert flow.producer_version == "2.0.0"
    assert flow.masking[0].method is MaskingMethod.TOKENISED
    api = next(c for c in minimal.contracts if c.id == "payments-api")
    assert api.compatibility is CompatibilityMode.BACKWARD
    assert [v.version for v in api.versions] == ["1.0.0", "2.0.0"]


def test_sources_are_relative_to_the_root_folder(minimal: Landscape) -> None:
    assert minimal.source("minimal") == SourceLocation(file="blueprint.yaml", line=2, column=3)
    assert minimal.source("checkout-to-payments") == SourceLocation(
        file="flows.yaml", line=2, column=5
    )
    assert minimal.source("payments-api") == SourceLocation(
        file="contracts/payments.yaml", line=2, column=5
    )
    assert minimal.source("payments-api@2.0.0") == SourceLocation(
        file="contracts/payments.yaml", line=28, column=9
    )
    assert minimal.source("payments-api@2.0.0#request/card/pan") == SourceLocation(
        file="contracts/payments.yaml", line=40, column=13
    )
    assert minimal.source("minimal#review-2") == SourceLocation(
        file="blueprint.yaml", line=14, column=7
    )


def test_every_id_has_a_source(minimal: Landscape) -> None:
    ids = set(minimal.by_id())
    ids |= {vid for _, _, vid in minimal.versions()}
    ids |= {fid for *_, fid in minimal.fields()}
    ids |= {"minimal#review-1", "minimal#review-2"}
    assert ids == set(minimal.sources)


def test_files_are_found_recursively_sorted_and_hidden_ones_skipped(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "bp")
    (tmp_path / "bp" / ".git").mkdir()
    (tmp_path / "bp" / ".git" / "junk.yaml").write_text("not: [valid")
    (tmp_path / "bp" / "notes.txt").write_text("ignored")
    (tmp_path / "bp" / "flows.yaml").rename(tmp_path / "bp" / "flows.yml")
    found = [f.relative for f in find_blueprint_files([tmp_path / "bp"])]
    assert found == [
        "blueprint.yaml",
        "contracts/payments.yaml",
        "decisions.yaml",
        "flows.yml",
        "security.yaml",
        "systems.yaml",
    ]
    assert len(load_blueprint_files([tmp_path / "bp"]).flows) == 4


def test_files_and_folders_can_be_mixed_and_repeated(minimal: Landscape) -> None:
    paths = [MINIMAL / "blueprint.yaml", MINIMAL, MINIMAL / "flows.yaml"]
    landscape = load_blueprint_files(paths)
    assert landscape.model_dump(exclude={"sources"}) == minimal.model_dump(exclude={"sources"})


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("blueprint: {id: one, name: One, version: '1'}\nteams:\n  - id: team-a\n")
    landscape = load_blueprint_files([path])
    assert landscape.source("team-a") == SourceLocation(file="one.yaml", line=3, column=5)


def test_no_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    assert caught.value.issues[0].message == "no *.yaml or *.yml files found"


def test_missing_blueprint_section_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text("teams:\n  - id: a\n")
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    [issue] = caught.value.issues
    assert (issue.kind, issue.file, issue.line) == (
        "missing_field",
        str(tmp_path / "teams.yaml"),
        1,
    )


def test_empty_files_and_empty_sections_are_fine(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("")
    (tmp_path / "b.yaml").write_text("blueprint: {id: b, name: B, version: '1'}\nflows:\n")
    assert load_blueprint_files([tmp_path]).flows == []


def test_count_by_kind(minimal: Landscape) -> None:
    count = minimal.count()
    assert count.by_kind == {
        "blueprint": 1,
        "review": 2,
        "environment": 0,
        "team": 2,
        "system": 3,
        "component": 4,
        "contract": 2,
        "contract version": sum(len(c.versions) for c in minimal.contracts),
        "operation": 0,
        "field": sum(1 for _ in minimal.fields()),
        "flow": 4,
        "policy": 6,
        "credential": 2,
        "classification": 2,
        "decision": 2,
        "waiver": 1,
    }
    assert count.elements == sum(1 for _ in minimal.elements()) == 28
    assert count.total == len(minimal.sources)  # every id: elements, versions, fields, reviews
