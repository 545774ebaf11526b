"""Avro verdicts, rule by rule, against the specification's schema resolution
(https://avro.apache.org/docs/1.11.1/specification/#schema-resolution): BACKWARD holds when the
new schema, as reader, resolves data written with the old one; FORWARD the reverse.
Flags are (breaks BACKWARD, breaks FORWARD)."""

from __future__ import annotations

from typing import Any

import pytest

from integraph.compat import SchemaFamily, detect_family, diff_schemas


def flags(old: Any, new: Any) -> tuple[bool, bool]:
    return (
        not diff_schemas(old, new, mode="BACKWARD").compatible,
        not diff_schemas(old, new, mode="FORWARD").compatible,
    )


def record(*fields: dict, name: str = "R", **extra: Any) -> dict:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(type_: Any, name: str = "v", **extra: Any) -> dict:
    return record({"name": name, "type": type_, **extra})


DATE = {"type": "int", "logicalType": "date"}
MILLIS = {"type": "long", "logicalType": "timestamp-millis"}
DECIMAL = {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}


@pytest.mark.parametrize(
    ("writer", "reader", "expected"),
    [
        # promotions: the writer's type may be promoted to the reader's
        ("int", "long", (False, True)),
        ("int", "float", (False, True)),
        ("int", "double", (False, True)),
        ("long", "float", (False, True)),
        ("long", "double", (False, True)),
        ("float", "double", (False, True)),
        ("double", "float", (True, False)),
        ("long", "int", (True, False)),
        ("string", "bytes", (False, False)),
        ("bytes", "string", (False, False)),
        ("int", "string", (True, True)),
        ("boolean", "int", (True, True)),
        # unions: every writer branch must resolve to a reader branch, and a non-union
        # writer to the first matching reader branch
        ("int", ["null", "int"], (False, True)),
        (["null", "int"], ["null", "long"], (False, True)),
        (["int", "long"], "long", (False, False)),
        (["null", "string", "int"], ["null", "string"], (True, False)),
        (["null", "string"], ["string", "null"], (False, False)),
        ([], "int", (False, True)),  # the empty union has no values: nothing to resolve
        ("int", [], (True, False)),
        # logical types: resolution ignores them, a reader without one sees the underlying type
        (DATE, "int", (False, True)),
        ("int", DATE, (True, False)),
        (DATE, "long", (False, True)),
        (DECIMAL, "bytes", (False, True)),
        (DECIMAL, {**DECIMAL, "scale": 3}, (True, True)),
        (MILLIS, {"type": "long", "logicalType": "timestamp-micros"}, (True, True)),
        (["null", DATE], ["null", "int"], (False, True)),
    ],
)
def test_types_and_unions(writer: Any, reader: Any, expected: tuple[bool, bool]) -> None:
    assert flags(field(writer), field(reader)) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # records: a reader field the writer lacks needs a default; writer-only fields are
        # skipped
        (record({"name": "a", "type": "int"}),
         record({"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0}),
         (False, False)),
        (record({"name": "a", "type": "int"}),
         record({"name": "a", "type": "int"}, {"name": "b", "type": "int"}), (True, False)),
        (record({"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0}),
         record({"name": "a", "type": "int"}), (False, False)),
        (record({"name": "a", "type": "int"}, {"name": "b", "type": "int"}),
         record({"name": "a", "type": "int"}), (False, True)),
        # aliases: the reader's aliases match the writer's names
        (record({"name": "a", "type": "int"}),
         record({"name": "b", "type": "int", "aliases": ["a"]}), (False, True)),
        (record({"name": "a", "type": "int"}, name="Old"),
         record({"name": "a", "type": "int"}, name="New", aliases=["Old"]), (False, True)),
        (record({"name": "a", "type": "int"}, name="Old"),
         record({"name": "a", "type": "int"}, name="New"), (True, True)),
    ],
)  # fmt: skip
def test_records_defaults_and_aliases(old: Any, new: Any, expected: tuple[bool, bool]) -> None:
    assert flags(old, new) == expected


def enum(symbols: list[str], **extra: Any) -> dict:
    return field({"type": "enum", "name": "E", "symbols": symbols, **extra})


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (enum(["A", "B"]), enum(["A", "B", "C"]), (False, True)),
        (enum(["A", "B"], default="A"), enum(["A", "B", "C"], default="A"), (False, False)),
        (enum(["A", "B"]), enum(["A"]), (True, False)),
        (enum(["A", "B"], default="A"), enum(["A"], default="A"), (False, False)),
    ],
)
def test_enums_and_their_default(old: Any, new: Any, expected: tuple[bool, bool]) -> None:
    assert flags(old, new) == expected


def test_top_level_logical_type_and_empty_union_are_avro() -> None:
    assert detect_family(DATE) is SchemaFamily.AVRO
    assert detect_family({"type": "string", "logicalType": "uuid"}) is SchemaFamily.AVRO
    assert detect_family([]) is SchemaFamily.AVRO
    assert detect_family({"type": "string"}) is SchemaFamily.JSON_SCHEMA
    assert flags(DATE, "int") == (False, True)
    assert diff_schemas([], [], mode="FULL").differences == ()


def test_reasons_use_avro_words() -> None:
    removed = diff_schemas(
        record({"name": "a", "type": "int"}, {"name": "b", "type": "int"}),
        record({"name": "a", "type": "int"}),
        mode="FORWARD",
    ).breaking[0]
    assert "reader's schema" in removed.reason and "default" in removed.reason
    assert "content model" not in removed.reason
    narrowed = diff_schemas(field("long"), field("int"), mode="BACKWARD").breaking[0]
    assert "writer's schema" in narrowed.reason and "promotes" in narrowed.reason
