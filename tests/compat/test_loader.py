"""Reading schema files and telling the families apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from integraph.compat import (
    CompatError,
    SchemaFamily,
    SchemaLoadError,
    detect_family,
    diff_schema_files,
    load_schema,
)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("customer-v1.json", SchemaFamily.JSON_SCHEMA),
        ("customer-v1-deprecated.yaml", SchemaFamily.JSON_SCHEMA),
        ("tree-draft04.json", SchemaFamily.JSON_SCHEMA),
        ("order-v1.avsc", SchemaFamily.AVRO),
    ],
)
def test_project_fixtures(schemas_dir: Path, name: str, family: SchemaFamily) -> None:
    assert detect_family(load_schema(schemas_dir / name)) is family


@pytest.mark.parametrize(
    ("path", "family"),
    [
        ("openapi/petstore-expanded.yaml", SchemaFamily.OPENAPI),
        ("asyncapi/streetlights-2.0.0.yml", SchemaFamily.ASYNCAPI),
        ("asyncapi/streetlights-kafka-asyncapi.yml", SchemaFamily.ASYNCAPI),
        ("sarif/sarif-schema-2.1.0.json", SchemaFamily.JSON_SCHEMA),
    ],
)
def test_reference_documents(shared_fixtures: Path, path: str, family: SchemaFamily) -> None:
    assert detect_family(load_schema(shared_fixtures / path)) is family


@pytest.mark.parametrize(
    ("schema", "family"),
    [
        ("string", SchemaFamily.AVRO),
        (["null", "string"], SchemaFamily.AVRO),
        ({"type": "array", "items": "long"}, SchemaFamily.AVRO),
        ({"type": "array", "items": {"type": "string"}}, SchemaFamily.JSON_SCHEMA),
        ({"type": "array", "items": [{"type": "string"}]}, SchemaFamily.JSON_SCHEMA),
        (True, SchemaFamily.JSON_SCHEMA),
        ({}, SchemaFamily.JSON_SCHEMA),
    ],
)
def test_detection_of_ambiguous_shapes(schema: object, family: SchemaFamily) -> None:
    assert detect_family(schema) is family


def test_yaml_dates_and_integer_keys(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text("since: 2024-01-02\nresponses:\n  200: {description: ok}\n")
    assert load_schema(path) == {
        "since": date(2024, 1, 2),
        "responses": {"200": {"description": "ok"}},
    }


def test_invalid_json_names_the_line(schemas_dir: Path) -> None:
    with pytest.raises(SchemaLoadError, match=r"broken\.json: invalid JSON at line 3"):
        load_schema(schemas_dir / "broken.json")


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(SchemaLoadError, match="cannot read the file: No such file"):
        load_schema(tmp_path / "absent.json")
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(SchemaLoadError, match="the file is empty"):
        load_schema(tmp_path / "empty.yaml")


def test_a_scalar_is_not_a_schema(schemas_dir: Path) -> None:
    with pytest.raises(CompatError, match="not a schema"):
        detect_family(load_schema(schemas_dir / "not-a-schema.yaml"))


def test_families_must_match(schemas_dir: Path) -> None:
    with pytest.raises(CompatError, match="cannot compare a JSON Schema with an Avro schema"):
        diff_schema_files(
            schemas_dir / "customer-v1.json", schemas_dir / "order-v1.avsc", mode="BACKWARD"
        )


def test_unknown_mode() -> None:
    with pytest.raises(CompatError, match="unknown compatibility mode 'SIDEWAYS'"):
        diff_schema_files(Path("a"), Path("b"), mode="SIDEWAYS")


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nests deeper"),
        ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000, "too costly"),
        ("deep-map.json", '{"a": ' * 500 + "1" + "}" * 500, "nests deeper"),
        (
            "bomb.yaml",
            "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
            "too costly",
        ),
    ],
)
def test_hostile_schema_files_are_one_line_errors(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SchemaLoadError, match=reason):
        load_schema(path)
