"""check_history: the latest version for plain modes, every earlier version for transitive
ones, and the conflicting version named on each breaking difference."""

from __future__ import annotations

from integraph.compat import check_history


def avro(*fields: dict) -> dict:
    return {
        "type": "record",
        "name": "Customer",
        "fields": [{"name": "id", "type": "string"}, *fields],
    }


# v1 had `score` as an int without default; v2 dropped it; v3 brings it back as a string.
V1 = avro({"name": "score", "type": "int"})
V2 = avro()
V3 = avro({"name": "score", "type": "string", "default": ""})


def test_fine_against_the_latest_version() -> None:
    report = check_history([V1, V2], V3, mode="BACKWARD")
    assert report.compatible
    assert [(d.kind.value, d.pointer, d.breaking) for d in report.differences] == [
        ("field_added", "/score", False)
    ]


def test_transitive_mode_finds_the_conflict_with_an_earlier_version() -> None:
    report = check_history([V1, V2], V3, mode="BACKWARD_TRANSITIVE")
    assert not report.compatible
    assert [
        (d.kind.value, d.pointer, d.breaking, d.conflicts_with_version) for d in report.differences
    ] == [
        ("field_added", "/score", False, None),
        ("type_changed", "/score", True, "1"),
    ]
    assert report.to_dict()["differences"][1]["conflicts_with_version"] == "1"
    assert "conflicts_with_version" not in report.to_dict()["differences"][0]


def test_versions_can_carry_labels() -> None:
    versions = [{"version": "1.0.0", "schema": V1}, {"version": "1.1.0", "schema": V2}]
    report = check_history(versions, V3, mode="FULL_TRANSITIVE")
    assert [(d.pointer, d.conflicts_with_version) for d in report.breaking] == [("/score", "1.0.0")]


def test_the_most_recent_conflicting_version_is_named_once() -> None:
    old = {"type": "object", "properties": {"n": {"type": "number"}}}
    new = {"type": "object", "properties": {"n": {"type": "integer"}}}
    report = check_history([old, old, old], new, mode="BACKWARD_TRANSITIVE")
    assert [(d.kind.value, d.conflicts_with_version) for d in report.differences] == [
        ("type_narrowed", "3")
    ]


def test_field_list_histories() -> None:
    def version(label: str, *fields: dict) -> dict:
        return {"version": label, "content_model": "partially_open", "fields": list(fields)}

    def f(path: str, type_: str) -> dict:
        return {"path": path, "type": type_, "required": False}

    v1, v2 = version("1", f("/a", "integer")), version("2")
    v3 = version("3", f("/a", "string"))
    assert check_history([v1, v2], v3, mode="FORWARD").compatible
    report = check_history([v1, v2], v3, mode="FORWARD_TRANSITIVE")
    assert [(d.kind.value, d.pointer, d.conflicts_with_version) for d in report.breaking] == [
        ("type_changed", "/a", "1")
    ]


def test_no_earlier_version_is_compatible() -> None:
    assert check_history([], V1, mode="FULL_TRANSITIVE").compatible
