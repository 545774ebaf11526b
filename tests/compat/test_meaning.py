"""The engine's JSON Schema verdicts against the meaning of the schemas.

Two kinds of test: hand-written pairs with the verdict their meaning gives (so a verdict wrong
in either direction fails), and property-based challenges (tests/compat/meaning.py): every
"compatible" verdict on hand-written and generated pairs is checked against values generated
from the writer's schema and validated with jsonschema against the reader's.
Flags are (breaks BACKWARD, breaks FORWARD).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integraph.compat import diff_schemas
from tests.compat.meaning import SETTINGS, challenge, verdicts

INT, NUM, STR = {"type": "integer"}, {"type": "number"}, {"type": "string"}
SHORT = {"type": "string", "maxLength": 3}


def obj(properties: dict | None = None, **extra: Any) -> dict:
    return {"type": "object", "properties": properties or {}, **extra}


# (id, old, new, (breaks BACKWARD, breaks FORWARD))
PAIRS = [
    # a property appears or disappears: its schema against additionalProperties ...
    ("add a property additionalProperties already allowed",
     obj(additionalProperties=INT), obj({"a": INT}, additionalProperties=INT), (False, False)),
    ("add a property narrower than additionalProperties",
     obj(additionalProperties=NUM), obj({"a": INT}, additionalProperties=NUM), (True, False)),
    ("add a property of another type than additionalProperties",
     obj(additionalProperties=INT), obj({"a": STR}, additionalProperties=INT), (True, True)),
    ("add a property wider than additionalProperties",
     obj(additionalProperties=INT), obj({"a": NUM}, additionalProperties=INT), (False, True)),
    ("remove a property additionalProperties still allows",
     obj({"a": INT}, additionalProperties=INT), obj(additionalProperties=INT), (False, False)),
    ("remove a property additionalProperties does not allow",
     obj({"a": STR}, additionalProperties=INT), obj(additionalProperties=INT), (True, True)),
    # ... or the matching patternProperties
    ("add a property its pattern already allowed",
     obj(patternProperties={"^x": STR}, additionalProperties=False),
     obj({"x1": STR}, patternProperties={"^x": STR}, additionalProperties=False),
     (False, False)),
    ("add a property its pattern does not allow",
     obj(patternProperties={"^x": STR}, additionalProperties=False),
     obj({"x1": INT}, patternProperties={"^x": STR}, additionalProperties=False),
     (True, True)),
    ("remove a property its pattern still allows",
     obj({"x1": SHORT}, patternProperties={"^x": STR}, additionalProperties=False),
     obj(patternProperties={"^x": STR}, additionalProperties=False), (False, True)),
    # true and false property schemas
    ("add a property declared true to an open object", obj(), obj({"a": True}), (False, False)),
    ("add a property declared false to a closed object",
     obj(additionalProperties=False), obj({"a": False}, additionalProperties=False),
     (False, False)),
    ("remove a property declared false from a closed object",
     obj({"a": False}, additionalProperties=False), obj(additionalProperties=False),
     (False, False)),
    ("add a property declared false to an open object", obj(), obj({"a": False}), (True, False)),
    # composition: members by best match, oneOf only where members overlap
    ("reorder anyOf members and widen one",
     {"anyOf": [SHORT, INT]}, {"anyOf": [NUM, STR]}, (False, True)),
    ("reorder allOf members", {"allOf": [{"minimum": 0}, {"maximum": 9}]},
     {"allOf": [{"maximum": 9}, {"minimum": 0}]}, (False, False)),
    ("reorder allOf members with the same keyword",
     {"allOf": [{"maximum": 9}, {"maximum": 5}]}, {"allOf": [{"maximum": 5}, {"maximum": 9}]},
     (False, False)),
    ("allOf member tightened after a reorder", {"allOf": [{"minimum": 0}, {"maximum": 9}]},
     {"allOf": [{"maximum": 5}, {"minimum": 0}]}, (True, False)),
    ("anyOf to oneOf of disjoint members", {"anyOf": [STR, INT]}, {"oneOf": [STR, INT]},
     (False, False)),
    ("anyOf to oneOf of overlapping members", {"anyOf": [STR, SHORT]}, {"oneOf": [STR, SHORT]},
     (True, False)),
    ("oneOf to anyOf of overlapping members", {"oneOf": [NUM, INT]}, {"anyOf": [NUM, INT]},
     (False, True)),
    ("oneOf member widened into another", {"oneOf": [INT, STR]}, {"oneOf": [NUM, {}]},
     (True, True)),
    # not, dependencies
    ("not excludes less", {"type": "integer", "not": {"minimum": 0}},
     {"type": "integer", "not": {"minimum": 5}}, (False, True)),
    ("not excludes more", {"type": "integer", "not": {"minimum": 5}},
     {"type": "integer", "not": {"minimum": 0}}, (True, False)),
    ("not removed", {"type": "integer", "not": {"const": 0}}, INT, (False, True)),
    ("dependency dropped", obj(dependencies={"a": ["b"]}), obj(), (False, True)),
    ("dependency added", obj(), obj(dependencies={"a": ["b"]}), (True, False)),
    ("dependency names fewer", obj(dependencies={"a": ["b", "c"]}),
     obj(dependencies={"a": ["b"]}), (False, True)),
    ("schema dependency loosened", obj(dependencies={"a": obj({"b": SHORT})}),
     obj(dependencies={"a": obj({"b": STR})}), (False, True)),
    ("schema dependency tightened", obj(dependencies={"a": obj({"b": STR})}),
     obj(dependencies={"a": obj({"b": SHORT})}), (True, False)),
]  # fmt: skip


def _flags(old: Any, new: Any) -> tuple[bool, bool]:
    compatible = verdicts(old, new)
    return not compatible["BACKWARD"], not compatible["FORWARD"]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS]
)
def test_verdict_follows_the_meaning(old: Any, new: Any, expected: tuple[bool, bool]) -> None:
    assert _flags(old, new) == expected


@pytest.mark.parametrize(("old", "new"), [p[1:3] for p in PAIRS], ids=[p[0] for p in PAIRS])
@SETTINGS
@given(data=st.data())
def test_compatible_verdicts_survive_data(old: Any, new: Any, data: st.DataObject) -> None:
    challenge(old, new, data)


def test_2020_12_dependent_keywords_follow_the_meaning() -> None:
    """dependentRequired/dependentSchemas (2019-09+): same meaning as draft 7 dependencies."""
    base = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
    fewer = {**base, "dependentRequired": {"a": ["b"]}}
    more = {**base, "dependentRequired": {"a": ["b", "c"]}}
    assert _flags(more, fewer) == (False, True)
    assert _flags(fewer, more) == (True, False)
    loose = {**base, "dependentSchemas": {"a": {"properties": {"b": STR}}}}
    tight = {**base, "dependentSchemas": {"a": {"properties": {"b": SHORT}}}}
    assert _flags(tight, loose) == (False, True)
    assert _flags(loose, tight) == (True, False)
    assert _flags(base, {**base, "propertyNames": {"maxLength": 3}}) == (True, False)


# --- generated pairs ----------------------------------------------------------------------

NAMES = ("a", "b", "x1")
LEAVES = st.sampled_from(
    [
        INT,
        NUM,
        STR,
        SHORT,
        True,
        False,
        {"enum": ["p", "q"]},
        {"type": "integer", "minimum": 0},
        {"type": "integer", "not": {"const": 0}},
        {"anyOf": [INT, SHORT]},
        {"oneOf": [INT, {"type": "integer", "minimum": 0}]},
        {"oneOf": [STR, INT]},
    ]
)


@st.composite
def object_schemas(draw: st.DrawFn) -> dict:
    properties = draw(st.dictionaries(st.sampled_from(NAMES), LEAVES, max_size=3))
    schema: dict = {"type": "object", "properties": properties}
    required = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=2))
    if required:
        schema["required"] = required
    extra = draw(st.one_of(st.none(), st.just(False), LEAVES))
    if extra is not None:
        schema["additionalProperties"] = extra
    if draw(st.booleans()):
        schema["patternProperties"] = {"^x": draw(LEAVES)}
    if draw(st.booleans()):
        schema["dependencies"] = {"a": draw(st.sampled_from([["b"], {"required": ["x1"]}]))}
    return schema


@st.composite
def mutated(draw: st.DrawFn, schema: dict) -> dict:
    """The schema with one or two small changes, as a new version would make."""
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in schema.items()}
    for _ in range(draw(st.integers(1, 2))):
        what = draw(st.sampled_from(["property", "drop", "required", "extra", "pattern", "deps"]))
        if what == "property":
            new["properties"][draw(st.sampled_from(NAMES))] = draw(LEAVES)
        elif what == "drop" and new["properties"]:
            del new["properties"][draw(st.sampled_from(sorted(new["properties"])))]
        elif what == "required":
            new["required"] = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=2))
        elif what == "extra":
            new["additionalProperties"] = draw(st.one_of(st.just(True), st.just(False), LEAVES))
        elif what == "pattern":
            new["patternProperties"] = {"^x": draw(LEAVES)}
        else:
            new["dependencies"] = {"a": draw(st.sampled_from([["b"], ["b", "x1"], {}]))}
    return new


@SETTINGS.__class__(SETTINGS, max_examples=80)
@given(data=st.data())
def test_generated_pairs(data: st.DataObject) -> None:
    old = data.draw(object_schemas(), label="old")
    new = data.draw(mutated(old), label="new")
    challenge(old, new, data)


def test_reasons_name_the_keyword_at_hand() -> None:
    report = diff_schemas(
        obj(additionalProperties=INT), obj({"a": STR}, additionalProperties=INT), mode="FULL"
    )
    (difference,) = report.differences
    assert "valid under the old additionalProperties" in difference.reason
