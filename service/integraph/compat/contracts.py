"""A contract version judged against the earlier ones: the one mapping of a contract's kind,
declared mode and content model onto the engine.

The CON-03, CON-08 and CON-09 lint rules and `integraph contract check` all call this, so they
agree on every change. A version is ``{"id" or "version": label, "fields": [...]}``, a field
``{part, path, type, required, enum, extensible_enum, default}`` (the graph's form). For each
part of a version the reader decides the direction, as in oasdiff: the server reads requests
(BACKWARD), clients read responses and error bodies (FORWARD), FULL checks both; a message is
judged by the declared mode as is. Fields come and go by the rules of the contract's schema
language: JSON Schema's content model, Avro's defaults (a field with one is optional), or
protobuf's unknown fields; reasons use that language's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from integraph.compat.compare import check_history
from integraph.compat.model import (
    ChangeKind,
    CompatibilityMode,
    CompatibilityReport,
    ContentModel,
    Difference,
    Language,
    Role,
    SchemaFamily,
)
from integraph.compat.modes import checked_directions

PARTS = ("request", "response", "message", "error")
PART_ROLES = {
    "request": Role.REQUEST,  # the server reads requests
    "response": Role.RESPONSE,  # clients read responses
    "message": Role.DATA,  # the declared mode applies as is
    "error": Role.RESPONSE,  # clients read error bodies
}
UNKNOWN_FIELDS_KEPT = frozenset({"avro", "protobuf"})
"""Kinds whose readers skip fields they do not know (Avro schema resolution, protobuf unknown
fields): partially open in the engine's terms, when the contract declares no content model."""
_LANGUAGES = {"avro": Language.AVRO, "protobuf": Language.PROTOBUF}

PartDifference = tuple[str, Difference]


def language_of(kind: str | None) -> Language:
    """The schema language whose rules and words apply to a contract kind."""
    return _LANGUAGES.get(str(kind or "").lower(), Language.JSON_SCHEMA)


def content_model_of(kind: str | None, declared: ContentModel | str | None) -> ContentModel:
    """The declared content model; without one, open (JSON Schema's default), or partially
    open for kinds whose readers skip unknown fields."""
    if declared:
        return ContentModel(str(declared))
    return (
        ContentModel.PARTIALLY_OPEN
        if str(kind or "").lower() in UNKNOWN_FIELDS_KEPT
        else ContentModel.OPEN
    )


def part_mode(mode: CompatibilityMode | str, part: str) -> CompatibilityMode | None:
    """The mode one part is judged under: the engine's rule for who reads it
    (``checked_directions``), e.g. a request is always checked BACKWARD. None: not checked."""
    mode = CompatibilityMode(str(mode).upper())
    backward, forward = checked_directions(mode, PART_ROLES[part])
    if not (backward or forward):
        return None
    base = "FULL" if backward and forward else "BACKWARD" if backward else "FORWARD"
    return CompatibilityMode(base + ("_TRANSITIVE" if mode.transitive else ""))


def engine_field(item: Mapping[str, Any], kind: str | None) -> dict[str, Any]:
    """A graph field as the engine's field-list entry."""
    required = bool(item.get("required"))
    field_type = item.get("type") or "any"
    if language_of(kind) is Language.AVRO:
        # An Avro reader fills a missing field from its default: with one it is optional.
        required = required and item.get("default") is None
        field_type = "int" if field_type == "integer" else field_type  # Avro's int -> long
    return {
        "path": item["path"],
        "type": field_type,
        "required": required,
        "enum": item.get("enum"),
        "deprecated_since": item.get("deprecated_since"),
    }


def part_fields(version: Mapping[str, Any], part: str, kind: str | None) -> list[dict[str, Any]]:
    """The engine's field list of one part of a version."""
    return [engine_field(f, kind) for f in version.get("fields") or [] if f.get("part") == part]


def extensible(version: Mapping[str, Any], part: str, path: str) -> bool:
    """True when the version told readers of that enum to accept unknown values."""
    return any(
        f.get("part") == part and f.get("path") == path and f.get("extensible_enum")
        for f in version.get("fields") or []
    )


def check_contract_version(
    *,
    kind: str | None,
    mode: CompatibilityMode | str,
    content_model: ContentModel | str | None,
    earlier: Sequence[Mapping[str, Any]],
    new: Mapping[str, Any],
) -> list[PartDifference]:
    """Every difference of ``new`` against ``earlier`` (oldest first: the latest of them, or
    all for a *_TRANSITIVE mode), part by part, with the part it is in. Growth of an enum the
    conflicting earlier version declared extensible is left out (its readers accept it)."""
    model = content_model_of(kind, content_model)
    language = language_of(kind)
    by_label = {_label(v): v for v in earlier}
    found: list[PartDifference] = []
    for part in PARTS:
        judged = part_mode(mode, part) or CompatibilityMode.NONE
        history = [_body(v, part, kind, model) for v in earlier]
        report = check_history(
            history, _body(new, part, kind, model), mode=judged, language=language
        )
        for difference in report.differences:
            old = by_label.get(difference.conflicts_with_version or "")
            if (
                difference.breaking
                and difference.kind is ChangeKind.ENUM_VALUE_ADDED
                and old is not None
                and extensible(old, part, difference.pointer)
            ):
                continue  # readers of the old version were told to accept unknown values
            found.append((part, difference))
    return found


def breaking_changes(**arguments: Any) -> list[PartDifference]:
    """The breaking ones of ``check_contract_version(**arguments)``."""
    return [(part, d) for part, d in check_contract_version(**arguments) if d.breaking]


def contract_report(
    mode: CompatibilityMode | str, found: Sequence[PartDifference]
) -> CompatibilityReport:
    """The differences as one report, each pointer prefixed with its part (``/request/id``)."""
    return CompatibilityReport(
        mode=CompatibilityMode(str(mode).upper()),
        family=SchemaFamily.FIELD_LIST,
        differences=tuple(
            d.model_copy(update={"pointer": f"/{part}{d.pointer}"}) for part, d in found
        ),
    )


def _label(version: Mapping[str, Any]) -> str:
    return str(version.get("id") or version["version"])


def _body(
    version: Mapping[str, Any], part: str, kind: str | None, model: ContentModel
) -> dict[str, Any]:
    return {
        "version": _label(version),
        "content_model": model.value,
        "fields": part_fields(version, part, kind),
    }
