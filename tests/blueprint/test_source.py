"""The YAML reader: plain data that remembers positions; structural YAML problems."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from ruamel.yaml.error import MarkedYAMLError

from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.parse import load_blueprint_files
from integraph.blueprint.source import Located, RawElement, field_path
from integraph.bounded_yaml import YamlList, YamlMap, read_located


def test_values_are_typed_and_positions_kept() -> None:
    data = read_located("a: 1\nb:\n  - x\n  - {c: 2024-01-02, d: true, e: 1.5, f: null}\n")
    assert data == {
        "a": 1,
        "b": ["x", {"c": datetime.date(2024, 1, 2), "d": True, "e": 1.5, "f": None}],
    }
    assert isinstance(data, YamlMap) and isinstance(data["b"], YamlList)
    assert data.key_at["b"] == (2, 1)
    assert data["b"].item_at == [(3, 5), (4, 5)]
    assert data["b"][1].value_at["e"] == (4, 33)


def test_merge_keys_and_aliases() -> None:
    data = read_located("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert data["thing"] == {"y": 3, "x": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("? [1, 2]\n: x\n", "a mapping key must be a plain value"),
        ("a: &x [*x]\n", "recursive alias"),
    ],
)
def test_structural_problems(text: str, message: str) -> None:
    with pytest.raises(MarkedYAMLError) as caught:
        read_located(text)
    assert caught.value.problem == message


def test_duplicate_key_is_reported_as_yaml_syntax(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "blueprint: {id: b, name: B, version: '1'}\nteams:\n  - id: a\n    id: b\n"
    )
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    [issue] = caught.value.issues
    assert (issue.kind, issue.line, issue.column) == ("yaml_syntax", 4, 5)
    assert issue.message == "duplicate key 'id'"


def test_locate_falls_back_to_the_nearest_parent() -> None:
    node = read_located("- id: x\n  versions:\n    - version: '1'\n")[0]
    raw = RawElement("contracts", 0, node, Located("f.yaml", "f.yaml", 1, 3))
    assert (raw.locate(("versions", 0, "version")).line, raw.locate(("versions", 0)).line) == (3, 3)
    assert raw.locate(("versions", 5, "x")).line == 3  # the list value starts on line 3
    assert raw.locate(("missing",)).line == 1
    assert raw.locate(("versions",), key=True).column == 3


def test_field_path() -> None:
    assert field_path(("versions", 0, "request", 2, "type")) == "versions[0].request[2].type"
    assert field_path(()) is None
