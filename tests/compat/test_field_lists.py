"""diff_field_lists specifics beyond the shared rule table: nesting, renames, deprecation,
objects as fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from integraph.compat import diff_field_lists


def f(path: str, type_: str = "string", required: bool = False, **extra) -> dict:
    return {"path": path, "type": type_, "required": required, **extra}


def rows(report) -> list[tuple[str, str, bool]]:
    return [(d.kind.value, d.pointer, d.breaking) for d in report.differences]


def test_removing_a_parent_reports_the_parent_only() -> None:
    old = [f("/id"), f("/address", "object"), f("/address/city"), f("/address/zip")]
    report = diff_field_lists(old, [f("/id")], mode="FORWARD", content_model="closed")
    assert rows(report) == [("field_removed", "/address", False)]


def test_renames_need_the_same_parent() -> None:
    old = [f("/a", "object"), f("/b", "object"), f("/a/email")]
    new = [f("/a", "object"), f("/b", "object"), f("/b/email")]
    report = diff_field_lists(old, new, mode="FULL", content_model="closed")
    assert [d.kind.value for d in report.differences] == ["field_removed", "field_added"]


def test_deprecated_field_removed_after_the_window() -> None:
    old = [f("/id"), f("/fax", required=True, deprecated_since=date(2024, 1, 1))]
    report = diff_field_lists(
        old, [f("/id")], mode="FULL", deprecation_window_days=30, today=date(2024, 3, 1)
    )
    assert rows(report) == [("field_removed", "/fax", False)]
    assert report.compatible


def test_deprecated_since_as_iso_text() -> None:
    old = [f("/fax", required=True, deprecated_since="2024-02-20")]
    report = diff_field_lists(
        old, [], mode="FORWARD", deprecation_window_days=30, today=date(2024, 3, 1)
    )
    assert rows(report) == [("field_removed", "/fax", True)]
    assert report.differences[0].reason.endswith(
        "note: it is deprecated since 2024-02-20 but the 30-day deprecation window ends on "
        "2024-03-21"
    )


def test_fields_may_be_objects_with_attributes() -> None:
    @dataclass
    class Field:
        path: str
        type: str
        required: bool
        enum: list | None = None
        deprecated_since: date | None = None

    report = diff_field_lists(
        [Field("/tier", "string", True, ["gold"])],
        [Field("/tier", "string", True, ["gold", "silver"])],
        mode="FORWARD",
    )
    assert rows(report) == [("enum_value_added", "/tier", True)]


def test_avro_style_type_promotions_in_field_lists() -> None:
    report = diff_field_lists([f("/n", "int")], [f("/n", "long")], mode="BACKWARD")
    assert rows(report) == [("type_widened", "/n", False)]
