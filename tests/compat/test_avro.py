"""Avro column of RULES.md section 1, and Avro schema resolution (aliases, unions, enums with
a default, promotions, named types). Flags are (breaks BACKWARD, breaks FORWARD, breaks FULL)."""

from __future__ import annotations

from datetime import date

import pytest

from integraph.compat import diff_schema_files, diff_schemas


def record(*fields: dict, name: str = "Customer", **extra) -> dict:
    return {
        "type": "record",
        "name": name,
        "namespace": "com.example",
        "fields": list(fields),
        **extra,
    }


ID = {"name": "id", "type": "string"}


@pytest.mark.parametrize(
    ("old", "new", "kind", "pointer", "expected"),
    [
        (record(ID), record(ID, {"name": "email", "type": "string", "default": ""}),
         "field_added", "/email", (False, False, False)),
        (record(ID), record(ID, {"name": "email", "type": "string"}),
         "field_added", "/email", (True, False, True)),
        (record(ID, {"name": "email", "type": "string", "default": ""}), record(ID),
         "field_removed", "/email", (False, False, False)),
        (record(ID, {"name": "email", "type": "string"}), record(ID),
         "field_removed", "/email", (False, True, True)),
        (record(ID, {"name": "email", "type": "string"}),
         record(ID, {"name": "mail", "type": "string"}),
         "field_renamed", "/email", (True, True, True)),
        (record(ID, {"name": "email", "type": "string"}),
         record(ID, {"name": "mail", "type": "string", "aliases": ["email"]}),
         "field_renamed", "/email", (False, True, True)),
        (record({"name": "n", "type": "int"}), record({"name": "n", "type": "long"}),
         "type_widened", "/n", (False, True, True)),
        (record({"name": "n", "type": "float"}), record({"name": "n", "type": "double"}),
         "type_widened", "/n", (False, True, True)),
        (record({"name": "n", "type": "long"}), record({"name": "n", "type": "int"}),
         "type_narrowed", "/n", (True, False, True)),
        (record({"name": "n", "type": "int"}), record({"name": "n", "type": "string"}),
         "type_changed", "/n", (True, True, True)),
        (record({"name": "n", "type": "string"}), record({"name": "n", "type": "bytes"}),
         "type_changed", "/n", (False, False, False)),
        (record({"name": "n", "type": "string"}),
         record({"name": "n", "type": ["null", "string"]}),
         "type_widened", "/n", (False, True, True)),
        (record({"name": "n", "type": ["null", "string", "int"]}),
         record({"name": "n", "type": ["null", "string"]}),
         "type_narrowed", "/n", (True, False, True)),
        (record({"name": "n", "type": ["null", "int"]}),
         record({"name": "n", "type": ["null", "long"]}),
         "type_widened", "/n", (False, True, True)),
        (record({"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}}),
         record({"name": "t", "type": {"type": "long", "logicalType": "timestamp-micros"}}),
         "type_changed", "/t", (True, True, True)),
        (record({"name": "h", "type": {"type": "fixed", "name": "Hash", "size": 16}}),
         record({"name": "h", "type": {"type": "fixed", "name": "Hash", "size": 32}}),
         "type_changed", "/h", (True, True, True)),
    ],
)  # fmt: skip
def test_field_and_type_rules(flags, old, new, kind, pointer, expected) -> None:
    assert flags(old, new) == (kind, pointer, expected)


def enum(symbols: list[str], **extra) -> dict:
    return record(
        {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": symbols, **extra}}
    )


@pytest.mark.parametrize(
    ("old", "new", "kind", "expected"),
    [
        # add enum value: ok / x unless reader default / as F
        (enum(["GOLD"]), enum(["GOLD", "SILVER"]), "enum_value_added", (False, True, True)),
        (enum(["GOLD", "OTHER"], default="OTHER"), enum(["GOLD", "OTHER", "SILVER"],
                                                        default="OTHER"),
         "enum_value_added", (False, False, False)),
        # remove enum value: x unless reader default / ok / x
        (enum(["GOLD", "SILVER"]), enum(["GOLD"]), "enum_value_removed", (True, False, True)),
        (enum(["GOLD", "SILVER"], default="GOLD"), enum(["GOLD"], default="GOLD"),
         "enum_value_removed", (False, False, False)),
    ],
)  # fmt: skip
def test_enum_rules(flags, old, new, kind, expected) -> None:
    assert flags(old, new) == (kind, "/tier", expected)


def test_record_rename_needs_a_reader_alias(flags) -> None:
    old = record(ID, name="Customer")
    assert flags(old, record(ID, name="Client")) == ("type_changed", "", (True, True, True))
    aliased = record(ID, name="Client", aliases=["Customer"])
    assert flags(old, aliased) == ("type_changed", "", (False, True, True))


def test_nested_records_named_references_and_namespaces() -> None:
    address = {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}
    old = record(
        {"name": "billing", "type": address},
        {"name": "shipping", "type": ["null", "com.example.Address"], "default": None},
    )
    new_address = {
        **address,
        "fields": [{"name": "city", "type": "string"}, {"name": "zip", "type": "string"}],
    }
    new = record(
        {"name": "billing", "type": new_address},
        {"name": "shipping", "type": ["null", "Address"], "default": None},
    )
    report = diff_schemas(old, new, mode="BACKWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("field_added", "/billing/zip", True),
        ("field_added", "/shipping/zip", True),
    ]


def test_recursive_record_terminates() -> None:
    def linked(value_type: str) -> dict:
        return {
            "type": "record",
            "name": "Node",
            "fields": [
                {"name": "value", "type": value_type},
                {"name": "next", "type": ["null", "Node"], "default": None},
            ],
        }

    report = diff_schemas(linked("int"), linked("long"), mode="FORWARD")
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("type_widened", "/value", True)
    ]


def test_arrays_and_maps_have_item_pointers(flags) -> None:
    old = record({"name": "tags", "type": {"type": "array", "items": "int"}})
    new = record({"name": "tags", "type": {"type": "array", "items": "long"}})
    assert flags(old, new) == ("type_widened", "/tags/[]", (False, True, True))
    old = record({"name": "attrs", "type": {"type": "map", "values": "long"}})
    new = record({"name": "attrs", "type": {"type": "map", "values": "int"}})
    assert flags(old, new) == ("type_narrowed", "/attrs/{values}", (True, False, True))


def test_default_added_is_reported_and_harmless(flags) -> None:
    old = record({"name": "n", "type": "int"})
    new = record({"name": "n", "type": "int", "default": 0})
    assert flags(old, new) == ("default_added", "/n", (False, False, False))


def test_removing_a_field_deprecated_in_its_doc() -> None:
    old = record(
        ID,
        {
            "name": "fax",
            "type": "string",
            "doc": "Deprecated since 2023-01-10: nobody sends faxes.",
        },
    )
    report = diff_schemas(
        old, record(ID), mode="FULL", deprecation_window_days=30, today=date(2023, 6, 1)
    )
    (difference,) = report.differences
    assert (difference.kind.value, difference.breaking) == ("field_removed", False)
    assert "deprecated since 2023-01-10" in difference.reason


def test_order_files(schemas_dir) -> None:
    old, new = schemas_dir / "order-v1.avsc", schemas_dir / "order-v2.avsc"
    backward = diff_schema_files(old, new, mode="BACKWARD")
    assert backward.compatible
    assert [(d.kind.value, d.pointer) for d in backward.differences] == [
        ("field_added", "/channel"),
        ("type_widened", "/quantity"),
    ]
    forward = diff_schema_files(old, new, mode="FORWARD")
    assert [(d.pointer, d.breaking) for d in forward.differences] == [
        ("/channel", False),
        ("/quantity", True),
    ]
