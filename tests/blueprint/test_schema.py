"""The JSON Schema for editors validates real blueprint files and rejects broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from integraph.blueprint.schema import blueprint_json_schema
from tests.blueprint.conftest import MINIMAL


def as_json(path: Path) -> Any:
    # Editors see unquoted YAML dates as strings; so does JSON.
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(path.read_text()), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = blueprint_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12() -> None:
    schema = blueprint_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == {
        "blueprint",
        "teams",
        "systems",
        "components",
        "contracts",
        "flows",
        "policies",
        "credentials",
        "classifications",
        "decisions",
        "waivers",
    }
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("path", sorted(MINIMAL.rglob("*.yaml")), ids=lambda p: p.name)
def test_minimal_fixture_files_validate(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = list(validator.iter_errors(as_json(path)))
    assert errors == []


@pytest.mark.parametrize(
    "document",
    [
        {"sytems": []},
        {"flows": [{"id": "f", "source": "a", "target": "b", "pattern": "evnt"}]},
        {"flows": [{"id": "f", "source": "a", "pattern": "event"}]},
        {"teams": [{"id": "Bad Id"}]},
        {"policies": [{"id": "p", "kind": "retry", "jitter": "half"}]},
        {"credentials": [{"id": "c", "kind": "api_key", "secret_ref": "plain"}]},
    ],
)
def test_broken_documents_are_rejected(
    validator: jsonschema.Draft202012Validator, document: dict[str, Any]
) -> None:
    assert list(validator.iter_errors(document)) != []


def test_field_descriptions_reach_the_schema() -> None:
    flow = blueprint_json_schema()["$defs"]["Flow"]["properties"]
    assert "initiator" in flow["source"]["description"]
