"""`contract diff` end to end through typer: output, JSON shape and exit codes (0 compatible,
1 incompatible, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from integraph.cli.contract import app

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
PETSTORE = (
    Path(__file__).parents[2].parent
    / "shared"
    / "fixtures"
    / "openapi"
    / ("petstore-expanded.yaml")
)
runner = CliRunner()


def diff(*args: str | Path):
    return runner.invoke(app, ["diff", *(str(a) for a in args)])


def test_compatible_change_exits_0_with_text_report() -> None:
    result = diff(SCHEMAS / "customer-v1.json", SCHEMAS / "customer-v2-phone-added.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "mode: BACKWARD (jsonschema); 1 difference(s), 0 breaking",
        "- field_added /customer/phone | breaking: no",
        "    adding optional field /customer/phone is compatible under BACKWARD; it would break "
        "FORWARD: consumers on the old schema reject unknown properties "
        "(additionalProperties: false); upgrade them first or open the content model",
        "compatible: true",
    ]


def test_incompatible_change_exits_1_and_says_why() -> None:
    result = diff(
        SCHEMAS / "customer-v1.json",
        SCHEMAS / "customer-v2-email-removed.json",
        "--mode",
        "forward",
    )
    assert result.exit_code == 1
    assert "- field_removed /customer/email | breaking: yes" in result.stdout
    assert (
        "removing required field /customer/email breaks FORWARD: consumers on the old schema "
        "still require it; deprecate first or make it optional"
    ) in result.stdout
    assert result.stdout.rstrip().endswith("compatible: false")


def test_json_output_shape() -> None:
    result = diff(
        SCHEMAS / "order-v1.avsc", SCHEMAS / "order-v2.avsc", "--mode", "FULL", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["compatible", "mode", "differences"]
    assert (data["compatible"], data["mode"]) == (False, "FULL")
    assert [list(d) for d in data["differences"]] == [
        ["kind", "pointer", "breaking", "reason", "old", "new"]
    ] * 2
    assert [(d["kind"], d["pointer"], d["breaking"], d["old"], d["new"])
            for d in data["differences"]] == [
        ("field_added", "/channel", False, None,
         {"name": "channel", "type": ["null", "string"], "default": None}),
        ("type_widened", "/quantity", True, "int", "long"),
    ]  # fmt: skip


def test_deprecation_window_turns_a_removal_into_a_report() -> None:
    old, new = SCHEMAS / "customer-v1-deprecated.yaml", SCHEMAS / "customer-v2-email-removed.json"
    assert diff(old, new, "--mode", "FULL").exit_code == 1
    result = diff(old, new, "--mode", "FULL", "--deprecation-window", "30", "--format", "json")
    assert result.exit_code == 0
    (difference,) = json.loads(result.stdout)["differences"]
    assert difference["breaking"] is False
    assert "deprecated since 2020-01-15" in difference["reason"]


def test_openapi_documents(tmp_path: Path) -> None:
    if not PETSTORE.is_file():
        pytest.skip(f"{PETSTORE} is absent: the reference OpenAPI document comes from ../shared")
    new = tmp_path / "petstore.yaml"
    new.write_text(PETSTORE.read_text().replace("    delete:\n", "    x-gone:\n"))
    result = diff(PETSTORE, new)
    assert result.exit_code == 1
    assert "- operation_removed /paths/~1pets~1{id}/delete | breaking: yes" in result.stdout


def test_missing_file_exits_2_with_one_line() -> None:
    result = diff(SCHEMAS / "customer-v1.json", SCHEMAS / "absent.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {SCHEMAS / 'absent.json'}: cannot read the file: No such file or directory"
    ]


def test_invalid_json_exits_2() -> None:
    result = diff(SCHEMAS / "broken.json", SCHEMAS / "customer-v1.json")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "invalid JSON at line 3" in result.stderr


def test_unknown_schema_format_exits_2() -> None:
    result = diff(SCHEMAS / "not-a-schema.yaml", SCHEMAS / "customer-v1.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: not a schema")
    assert "Traceback" not in result.output


def test_mixed_families_exit_2() -> None:
    result = diff(SCHEMAS / "customer-v1.json", SCHEMAS / "order-v1.avsc")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: cannot compare a JSON Schema with an Avro schema: both files must be the same "
        "kind of schema"
    )


def test_unknown_mode_is_a_usage_error() -> None:
    result = diff(SCHEMAS / "customer-v1.json", SCHEMAS / "customer-v1.json", "--mode", "sideways")
    assert result.exit_code == 2


def test_identical_files_exit_0() -> None:
    result = diff(SCHEMAS / "customer-v1.json", SCHEMAS / "customer-v1.json", "--mode", "FULL")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "mode: FULL (jsonschema); 0 difference(s), 0 breaking",
        "compatible: true",
    ]
