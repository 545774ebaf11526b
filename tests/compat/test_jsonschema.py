"""JSON Schema specifics: bounds, content models, drafts 4 to 2020-12, $ref and recursion,
composition keywords, arrays. Flags are (breaks BACKWARD, breaks FORWARD, breaks FULL)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from integraph.compat import diff_schema_files, diff_schemas

STRING = {"type": "string"}


def obj(properties: dict, **extra) -> dict:
    return {"type": "object", "properties": properties, **extra}


# --- value bounds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "kind", "expected"),
    [
        ({"type": "string", "maxLength": 20}, {"type": "string", "maxLength": 10},
         "constraint_tightened", (True, False, True)),
        ({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 20},
         "constraint_loosened", (False, True, True)),
        ({"type": "string"}, {"type": "string", "minLength": 1},
         "constraint_tightened", (True, False, True)),
        ({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string"},
         "constraint_loosened", (False, True, True)),
        ({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[A-Z]+$"},
         "constraint_changed", (True, True, True)),
        ({"type": "string"}, {"type": "string", "format": "email"},
         "constraint_tightened", (True, False, True)),
        ({"type": "number", "minimum": 0}, {"type": "number", "minimum": 5},
         "constraint_tightened", (True, False, True)),
        ({"type": "number", "maximum": 10}, {"type": "number"},
         "constraint_loosened", (False, True, True)),
        ({"type": "number", "maximum": 10}, {"type": "number", "exclusiveMaximum": 10},
         "constraint_tightened", (True, False, True)),
        ({"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4},
         "constraint_tightened", (True, False, True)),
        ({"type": "integer", "multipleOf": 4}, {"type": "integer", "multipleOf": 2},
         "constraint_loosened", (False, True, True)),
        ({"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 3},
         "constraint_changed", (True, True, True)),
        ({"type": "array", "items": STRING, "maxItems": 5},
         {"type": "array", "items": STRING, "maxItems": 3},
         "constraint_tightened", (True, False, True)),
        ({"type": "array", "items": STRING},
         {"type": "array", "items": STRING, "uniqueItems": True},
         "constraint_tightened", (True, False, True)),
        ({"type": "string"}, {"type": "string", "not": {"const": ""}},
         "constraint_tightened", (True, False, True)),
    ],
)  # fmt: skip
def test_bounds(flags, old, new, kind, expected) -> None:
    assert flags(obj({"v": old}), obj({"v": new})) == (kind, "/v", expected)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # draft 4 writes exclusivity as a boolean next to maximum; draft 6+ as a number
        ({"maximum": 10, "exclusiveMaximum": True}, {"exclusiveMaximum": 10}),
        ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}),
        ({"maximum": 10, "exclusiveMaximum": 10}, {"exclusiveMaximum": 10}),
    ],
)
def test_draft4_and_later_bounds_with_the_same_meaning_are_equal(old, new) -> None:
    report = diff_schemas({"type": "number", **old}, {"type": "number", **new}, mode="FULL")
    assert report.differences == ()


def test_draft4_exclusive_flag_added_is_tightening(flags) -> None:
    old = {"type": "number", "maximum": 10}
    new = {"type": "number", "maximum": 10, "exclusiveMaximum": True}
    assert flags(old, new) == ("constraint_tightened", "", (True, False, True))


def test_const_change_is_one_value_removed_and_one_added() -> None:
    report = diff_schemas(obj({"v": {"const": "a"}}), obj({"v": {"const": "b"}}), mode="FULL")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("enum_value_added", "/v", True),
        ("enum_value_removed", "/v", True),
    ]


# --- content models ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old_extra", "new_extra", "kind", "expected"),
    [
        ({}, {"additionalProperties": False}, "content_model_closed", (True, False, True)),
        ({"additionalProperties": False}, {}, "content_model_opened", (False, True, True)),
        ({"additionalProperties": True}, {"additionalProperties": {"type": "string"}},
         "content_model_closed", (True, False, True)),
        ({"additionalProperties": False}, {"additionalProperties": {"type": "string"}},
         "content_model_opened", (False, True, True)),
    ],
)  # fmt: skip
def test_content_model_changes(flags, old_extra, new_extra, kind, expected) -> None:
    assert flags(obj({"id": STRING}, **old_extra), obj({"id": STRING}, **new_extra)) == (
        kind,
        "",
        expected,
    )


def test_additional_properties_schema_is_compared(flags) -> None:
    old = obj({}, additionalProperties={"type": "integer"})
    new = obj({}, additionalProperties={"type": "number"})
    assert flags(old, new) == ("type_widened", "/{additionalProperties}", (False, True, True))


def test_pattern_properties_are_compared_by_pattern(flags) -> None:
    old = obj({}, patternProperties={"^x-": {"type": "string", "maxLength": 5}})
    new = obj({}, patternProperties={"^x-": {"type": "string"}})
    assert flags(old, new) == (
        "constraint_loosened",
        "/{patternProperties:^x-}",
        (False, True, True),
    )


def test_content_model_hint_applies_when_the_schema_is_silent(flags) -> None:
    old, new = obj({"id": STRING}), obj({"id": STRING, "email": STRING})
    assert flags(old, new)[2] == (True, False, True)  # open by default
    assert flags(old, new, content_model_hint="closed")[2] == (False, True, True)


# --- $ref, drafts, recursion ------------------------------------------------------------


@pytest.mark.parametrize("other", ["tree-draft04.json", "tree-2020-12.json"])
def test_same_schema_in_other_drafts_has_no_differences(schemas_dir, other) -> None:
    report = diff_schema_files(schemas_dir / "tree-draft07.json", schemas_dir / other, mode="FULL")
    assert report.differences == ()


def test_change_inside_a_recursive_definition_is_reported_once(schemas_dir) -> None:
    old = json.loads((schemas_dir / "tree-2020-12.json").read_text())
    new = json.loads(json.dumps(old))
    new["$defs"]["node"]["properties"]["value"]["type"] = "number"
    new["$defs"]["node"]["properties"]["label"] = STRING
    report = diff_schemas(old, new, mode="BACKWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("field_added", "/label", True),  # open model: old data may carry any 'label'
        ("type_widened", "/value", False),
    ]


def test_mutual_recursion_terminates_and_follows_both_definitions() -> None:
    def schema(leaf_type: str) -> dict:
        return {
            "$ref": "#/definitions/a",
            "definitions": {
                "a": obj({"b": {"$ref": "#/definitions/b"}, "n": {"type": leaf_type}}),
                "b": obj({"a": {"$ref": "#/definitions/a"}}),
            },
        }

    report = diff_schemas(schema("integer"), schema("string"), mode="FULL")
    assert [(d.kind.value, d.pointer) for d in report.differences] == [("type_changed", "/n")]


def test_refs_to_components_and_inline_schemas_compare_by_content() -> None:
    old = {"$ref": "#/components/schemas/A", "components": {"schemas": {"A": obj({"x": STRING})}}}
    new = obj({"x": {"type": "string", "maxLength": 3}})
    report = diff_schemas(old, new, mode="BACKWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("constraint_tightened", "/x", True)
    ]


def test_non_local_ref_change_cannot_be_proven_compatible(flags) -> None:
    old = obj({"a": {"$ref": "common.json#/Address"}})
    new = obj({"a": {"$ref": "common.json#/PostalAddress"}})
    assert flags(old, new) == ("type_changed", "/a", (True, True, True))


def test_boolean_schemas(flags) -> None:
    old = {"type": "array", "items": True}
    new = {"type": "array", "items": False}
    assert flags(old, new) == ("constraint_tightened", "/[]", (True, False, True))


# --- composition and arrays -------------------------------------------------------------


def test_all_of_members_are_merged_into_one_object(flags) -> None:
    old = {"allOf": [obj({"name": STRING}, required=["name"]), obj({"id": STRING})]}
    new = {
        "allOf": [obj({"name": STRING}, required=["name"]), obj({"id": STRING}, required=["id"])]
    }
    assert flags(old, new) == ("optional_to_required", "/id", (True, False, True))


def test_any_of_alternative_added_and_removed(flags) -> None:
    two = {"anyOf": [STRING, {"type": "integer"}]}
    assert flags(obj({"v": STRING}), obj({"v": two})) == ("type_widened", "/v", (False, True, True))
    assert flags(obj({"v": two}), obj({"v": STRING})) == (
        "type_narrowed",
        "/v",
        (True, False, True),
    )


def test_one_of_members_are_matched_before_comparing() -> None:
    card = {"title": "card", **obj({"pan": {"type": "string", "maxLength": 19}})}
    iban = {"title": "iban", **obj({"iban": STRING})}
    tighter = {"title": "card", **obj({"pan": {"type": "string", "maxLength": 16}})}
    report = diff_schemas({"oneOf": [card, iban]}, {"oneOf": [iban, tighter]}, mode="BACKWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("constraint_tightened", "/{oneOf[1]}/pan", True),
        # the two objects overlap: {"pan": <17 characters>} now matches iban only, and both
        # members of the old oneOf, which old readers reject
        ("constraint_loosened", "", False),
    ]


def test_any_of_to_one_of_is_tightening_only_where_members_overlap(flags) -> None:
    old = {"anyOf": [STRING, {"type": "string", "maxLength": 3}]}
    new = {"oneOf": [STRING, {"type": "string", "maxLength": 3}]}
    assert flags(old, new) == ("constraint_tightened", "", (True, False, True))
    # members of different types never overlap: anyOf and oneOf mean the same
    disjoint = [STRING, {"type": "integer"}]
    assert diff_schemas({"anyOf": disjoint}, {"oneOf": disjoint}, mode="FULL").differences == ()
    assert diff_schemas({"oneOf": disjoint}, {"anyOf": disjoint}, mode="FULL").differences == ()
    tagged = [
        obj({"kind": {"const": "a"}, "x": STRING}, required=["kind"]),
        obj({"kind": {"const": "b"}, "y": STRING}, required=["kind"]),
    ]
    assert diff_schemas({"anyOf": tagged}, {"oneOf": tagged}, mode="FULL").differences == ()


def test_items_array_form_equals_prefix_items() -> None:
    draft7 = {"type": "array", "items": [STRING, {"type": "integer"}], "additionalItems": False}
    draft2020 = {"type": "array", "prefixItems": [STRING, {"type": "integer"}], "items": False}
    assert diff_schemas(draft7, draft2020, mode="FULL").differences == ()


def test_tuple_positions_and_items_have_their_own_pointers(flags) -> None:
    old = obj({"coords": {"type": "array", "prefixItems": [{"type": "integer"}]}})
    new = obj({"coords": {"type": "array", "prefixItems": [{"type": "number"}]}})
    assert flags(old, new) == ("type_widened", "/coords/[0]", (False, True, True))
    old = obj({"tags": {"type": "array", "items": STRING}})
    new = obj({"tags": {"type": "array", "items": {"type": "string", "enum": ["a"]}}})
    assert flags(old, new) == ("constraint_tightened", "/tags/[]", (True, False, True))


def test_openapi_nullable_is_a_null_type(flags) -> None:
    old = obj({"v": {"type": "string"}})
    new = obj({"v": {"type": "string", "nullable": True}})
    assert flags(old, new) == ("type_widened", "/v", (False, True, True))


def test_removing_the_type_widens_to_any(flags) -> None:
    assert flags(obj({"v": STRING}), obj({"v": {}})) == ("type_widened", "/v", (False, True, True))


def test_annotations_are_not_differences() -> None:
    old = obj({"v": {"type": "string", "description": "a", "examples": ["x"]}}, title="A")
    new = obj({"v": {"type": "string", "description": "b", "x-owner": "team"}}, title="B")
    assert diff_schemas(old, new, mode="FULL").differences == ()


def test_rename_candidate_needs_a_unique_same_shape_pair() -> None:
    old = obj({"email": STRING, "phone": {"type": "integer"}})
    new = obj({"mail": STRING, "mobile": {"type": "integer"}})
    kinds = [
        (d.kind.value, d.pointer, d.old, d.new)
        for d in diff_schemas(old, new, mode="FULL").differences
    ]
    assert kinds == [
        ("field_renamed", "/email", "/email", "/mail"),
        ("field_renamed", "/phone", "/phone", "/mobile"),
    ]
    ambiguous = diff_schemas(obj({"a": STRING, "b": STRING}), obj({"c": STRING}), mode="FULL")
    assert sorted(d.kind.value for d in ambiguous.differences) == [
        "field_added",
        "field_removed",
        "field_removed",
    ]


# --- deprecation ------------------------------------------------------------------------

DEPRECATED = {"type": "string", "deprecated": True, "x-deprecated-since": "2024-01-01"}


def test_removing_a_field_deprecated_past_the_window_is_not_breaking() -> None:
    old = obj({"id": STRING, "fax": DEPRECATED}, required=["id", "fax"])
    new = obj({"id": STRING}, required=["id"])
    report = diff_schemas(old, new, mode="FULL", deprecation_window_days=90, today=date(2024, 6, 1))
    (difference,) = report.differences
    assert (difference.kind.value, difference.breaking, report.compatible) == (
        "field_removed",
        False,
        True,
    )
    assert difference.reason == (
        "removing required field /fax would break FULL (consumers on the old schema still "
        "require it; deprecate first or make it optional; the new content model is open, so "
        "new data may carry 'fax' with any type and consumers on the old schema would reject "
        "it; keep it declared as deprecated instead), but it has been deprecated since "
        "2024-01-01, at least the 90-day deprecation window"
    )


def test_removing_a_field_inside_the_window_breaks_and_says_when_it_ends() -> None:
    old = obj({"id": STRING, "fax": DEPRECATED}, required=["id", "fax"])
    new = obj({"id": STRING}, required=["id"])
    report = diff_schemas(
        old, new, mode="FORWARD", deprecation_window_days=90, today=date(2024, 2, 1)
    )
    (difference,) = report.differences
    assert difference.breaking
    assert difference.reason.endswith(
        "note: it is deprecated since 2024-01-01 but the 90-day deprecation window ends on "
        "2024-03-31"
    )


def test_undated_deprecation_needs_a_date_when_a_window_is_declared() -> None:
    old = obj({"fax": {"type": "string", "deprecated": True}}, required=["fax"])
    new = obj({})
    dated = diff_schemas(old, new, mode="FORWARD", deprecation_window_days=30)
    assert dated.breaking and "cannot be checked" in dated.breaking[0].reason
    undeclared = diff_schemas(old, new, mode="FORWARD")
    assert undeclared.breaking[0].reason.endswith(
        "note: it is marked deprecated, but no deprecation window is declared; declare one to "
        "allow removing it"
    )


def test_union_added_next_to_other_keywords_keeps_comparing_them() -> None:
    old = obj({"a": STRING})
    new = obj({"a": {"type": "integer"}}, oneOf=[{"required": ["a"]}, {"required": ["b"]}])
    report = diff_schemas(old, new, mode="BACKWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("constraint_tightened", "", True),
        ("type_changed", "/a", True),
    ]
