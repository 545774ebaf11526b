"""The change-kind table of RULES.md section 1 (JSON Schema column), through both entry points
that must share it: JSON Schema documents and the graph's flat field lists.

Expected flags are (breaks BACKWARD, breaks FORWARD, breaks FULL), read off the table:
"ok/x/x" is (False, True, True)."""

from __future__ import annotations

from typing import Any

import pytest

from integraph.compat import (
    CompatibilityMode,
    ContentModel,
    diff_field_lists,
    diff_schemas,
)

OPEN, CLOSED, PARTIAL = ContentModel.OPEN, ContentModel.CLOSED, ContentModel.PARTIALLY_OPEN


def field(path: str, type_: str = "string", required: bool = False, **extra: Any) -> dict:
    return {
        "path": path,
        "type": type_,
        "required": required,
        "enum": None,
        "deprecated_since": None,
        **extra,
    }


BASE = [field("/customer", "object", True), field("/customer/id", "string", True)]

# (id, content model, old extra fields, new extra fields, kind, pointer, flags)
CASES = [
    ("add optional, closed", CLOSED, [], [field("/customer/email")],
     "field_added", "/customer/email", (False, True, True)),
    ("add optional, open", OPEN, [], [field("/customer/email")],
     "field_added", "/customer/email", (True, False, True)),
    ("add optional, partially open", PARTIAL, [], [field("/customer/email")],
     "field_added", "/customer/email", (False, False, False)),
    ("add required, closed", CLOSED, [], [field("/customer/email", required=True)],
     "field_added", "/customer/email", (True, True, True)),
    ("add required, open", OPEN, [], [field("/customer/email", required=True)],
     "field_added", "/customer/email", (True, False, True)),
    ("optional to required", OPEN, [field("/customer/email")],
     [field("/customer/email", required=True)],
     "optional_to_required", "/customer/email", (True, False, True)),
    ("required to optional", CLOSED, [field("/customer/email", required=True)],
     [field("/customer/email")],
     "required_to_optional", "/customer/email", (False, True, True)),
    ("remove optional, open", OPEN, [field("/customer/email")], [],
     "field_removed", "/customer/email", (False, True, True)),
    ("remove optional, closed", CLOSED, [field("/customer/email")], [],
     "field_removed", "/customer/email", (True, False, True)),
    ("remove optional, partially open", PARTIAL, [field("/customer/email")], [],
     "field_removed", "/customer/email", (False, False, False)),
    ("remove required, open", OPEN, [field("/customer/email", required=True)], [],
     "field_removed", "/customer/email", (False, True, True)),
    ("remove required, closed", CLOSED, [field("/customer/email", required=True)], [],
     "field_removed", "/customer/email", (True, True, True)),
    ("rename, open", OPEN, [field("/customer/email")], [field("/customer/mail")],
     "field_renamed", "/customer/email", (True, True, True)),
    ("rename, closed", CLOSED, [field("/customer/email")], [field("/customer/mail")],
     "field_renamed", "/customer/email", (True, True, True)),
    ("widen integer to number", OPEN, [field("/customer/age", "integer")],
     [field("/customer/age", "number")], "type_widened", "/customer/age", (False, True, True)),
    ("widen by adding null", OPEN, [field("/customer/age", "integer")],
     [field("/customer/age", "integer|null")], "type_widened", "/customer/age",
     (False, True, True)),
    ("narrow number to integer", OPEN, [field("/customer/age", "number")],
     [field("/customer/age", "integer")], "type_narrowed", "/customer/age", (True, False, True)),
    ("change string to integer", OPEN, [field("/customer/age", "string")],
     [field("/customer/age", "integer")], "type_changed", "/customer/age", (True, True, True)),
    ("add enum value", OPEN, [field("/customer/tier", enum=["gold", "silver"])],
     [field("/customer/tier", enum=["gold", "silver", "bronze"])],
     "enum_value_added", "/customer/tier", (False, True, True)),
    ("remove enum value", OPEN, [field("/customer/tier", enum=["gold", "silver"])],
     [field("/customer/tier", enum=["gold"])],
     "enum_value_removed", "/customer/tier", (True, False, True)),
    ("add an enum", OPEN, [field("/customer/tier")],
     [field("/customer/tier", enum=["gold"])],
     "constraint_tightened", "/customer/tier", (True, False, True)),
]  # fmt: skip


def to_json_schema(fields: list[dict], model: ContentModel) -> dict:
    """The JSON Schema a field list stands for, with `model` on every object."""
    root: dict = {"type": "object", "properties": {}}
    for f in sorted(fields, key=lambda f: f["path"].count("/")):
        *parents, name = f["path"].strip("/").split("/")
        node = root
        for parent in parents:
            node = node["properties"][parent]
        types = f["type"].split("|")
        schema: dict = {"type": types[0] if len(types) == 1 else types}
        if f["type"] == "object":
            schema["properties"] = {}
        if f["enum"] is not None:
            schema["enum"] = f["enum"]
        node["properties"][name] = schema
        if f["required"]:
            node.setdefault("required", []).append(name)
    stack = [root]
    while stack:
        node = stack.pop()
        if "properties" in node:
            if model is CLOSED:
                node["additionalProperties"] = False
            elif model is PARTIAL:
                # undeclared names must hold strings: what the table's string fields are (a
                # patternProperties alone leaves the other names open, which is not partial)
                node["additionalProperties"] = {"type": "string"}
            stack.extend(node["properties"].values())
    return root


def run_modes(run: Any) -> tuple[str, str, tuple[bool, bool, bool]]:
    reports = [run(m) for m in ("BACKWARD", "FORWARD", "FULL")]
    for report in reports:
        assert len(report.differences) == 1, [d.reason for d in report.differences]
    first = reports[0].differences[0]
    flags = tuple(r.differences[0].breaking for r in reports)
    assert all(r.compatible is not r.differences[0].breaking for r in reports)
    return first.kind.value, first.pointer, flags  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("model", "old", "new", "kind", "pointer", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_field_list_rules(model, old, new, kind, pointer, expected) -> None:
    result = run_modes(
        lambda m: diff_field_lists(BASE + old, BASE + new, mode=m, content_model=model)
    )
    assert result == (kind, pointer, expected)


@pytest.mark.parametrize(
    ("model", "old", "new", "kind", "pointer", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_json_schema_rules(model, old, new, kind, pointer, expected) -> None:
    old_schema, new_schema = to_json_schema(BASE + old, model), to_json_schema(BASE + new, model)
    result = run_modes(lambda m: diff_schemas(old_schema, new_schema, mode=m))
    assert result == (kind, pointer, expected)


@pytest.mark.parametrize(
    ("mode", "breaking"),
    [
        ("BACKWARD_TRANSITIVE", False),
        ("FORWARD_TRANSITIVE", True),
        ("FULL_TRANSITIVE", True),
        ("NONE", False),
    ],
)
def test_transitive_forms_and_none_use_the_same_directions(mode: str, breaking: bool) -> None:
    old, new = [*BASE, field("/customer/email", required=True)], BASE
    report = diff_field_lists(old, new, mode=mode, content_model=OPEN)
    assert [d.breaking for d in report.differences] == [breaking]
    assert report.mode is CompatibilityMode(mode)


def test_none_reason_says_nothing_is_checked() -> None:
    old, new = [*BASE, field("/customer/email", required=True)], BASE
    (difference,) = diff_field_lists(old, new, mode="NONE").differences
    assert difference.reason == (
        "removing required field /customer/email: not checked, the mode is NONE"
    )


def test_reason_tells_the_producer_what_to_do() -> None:
    old, new = [*BASE, field("/customer/email", required=True)], BASE
    (difference,) = diff_field_lists(old, new, mode="FORWARD").differences
    assert difference.reason == (
        "removing required field /customer/email breaks FORWARD: consumers on the old schema "
        "still require it; deprecate first or make it optional"
    )
    (backward,) = diff_field_lists(old, new, mode="BACKWARD").differences
    assert backward.reason.startswith(
        "removing required field /customer/email is compatible under BACKWARD; "
        "it would break FORWARD: "
    )
