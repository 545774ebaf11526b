"""The service entry points: compare two schemas, two files, a version history or field lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from integraph.compat.asyncapi_diff import compare_asyncapi
from integraph.compat.avro_diff import compare_avro
from integraph.compat.field_list_diff import compare_field_lists
from integraph.compat.jsonschema_diff import compare_json_schemas
from integraph.compat.loader import detect_family, load_schema
from integraph.compat.model import (
    Change,
    CompatError,
    CompatibilityMode,
    CompatibilityReport,
    ContentModel,
    Difference,
    Language,
    SchemaFamily,
)
from integraph.compat.modes import DeprecationPolicy, judge
from integraph.compat.openapi_diff import compare_openapi

_FAMILY_NAMES = {
    SchemaFamily.JSON_SCHEMA: "a JSON Schema",
    SchemaFamily.AVRO: "an Avro schema",
    SchemaFamily.OPENAPI: "an OpenAPI document",
    SchemaFamily.ASYNCAPI: "an AsyncAPI document",
    SchemaFamily.FIELD_LIST: "a field list",
}


def diff_schemas(
    old: Any,
    new: Any,
    *,
    mode: CompatibilityMode | str,
    content_model_hint: ContentModel | str | None = None,
    deprecation_window_days: int | None = None,
    today: date | None = None,
) -> CompatibilityReport:
    """Compare two parsed schemas of the same family (auto-detected) under `mode`.

    `content_model_hint` is the contract's declared content model, used for JSON objects whose
    schema does not say (no additionalProperties/patternProperties)."""
    mode = _mode(mode)
    family, changes = _changes(old, new, _content_model(content_model_hint))
    return _report(changes, mode, family, DeprecationPolicy(deprecation_window_days, today))


def diff_schema_files(
    old: Path,
    new: Path,
    *,
    mode: CompatibilityMode | str,
    content_model_hint: ContentModel | str | None = None,
    deprecation_window_days: int | None = None,
    today: date | None = None,
) -> CompatibilityReport:
    """Load two schema files (JSON, YAML, .avsc) and compare them with `diff_schemas`."""
    mode = _mode(mode)  # refuse a bad mode before reading anything
    return diff_schemas(
        load_schema(Path(old)),
        load_schema(Path(new)),
        mode=mode,
        content_model_hint=content_model_hint,
        deprecation_window_days=deprecation_window_days,
        today=today,
    )


def diff_field_lists(
    old_fields: Iterable[Any],
    new_fields: Iterable[Any],
    *,
    mode: CompatibilityMode | str,
    content_model: ContentModel | str = ContentModel.OPEN,
    deprecation_window_days: int | None = None,
    today: date | None = None,
    language: Language | str = Language.JSON_SCHEMA,
) -> CompatibilityReport:
    """Compare two flat field lists (the graph's form of a contract version) under `mode`;
    `language` is the contract's schema language (JSON Schema, Avro or protobuf rules)."""
    changes = compare_field_lists(
        old_fields, new_fields, ContentModel(content_model), Language(language)
    )
    policy = DeprecationPolicy(deprecation_window_days, today)
    return _report(changes, _mode(mode), SchemaFamily.FIELD_LIST, policy)


def check_history(
    versions: Sequence[Any],
    new: Any,
    *,
    mode: CompatibilityMode | str,
    content_model_hint: ContentModel | str | None = None,
    deprecation_window_days: int | None = None,
    today: date | None = None,
    language: Language | str = Language.JSON_SCHEMA,
) -> CompatibilityReport:
    """Check `new` against the latest version, or all of them for *_TRANSITIVE modes.

    Versions run oldest first; each is a schema, or `{"version": label, "schema": ...}`, or
    `{"version": label, "fields": [...], "content_model": ...}` (field lists are judged by the
    rules of `language`). Every breaking difference names the version it conflicts with (the
    most recent one, when several do)."""
    mode = _mode(mode)
    labelled = [_unwrap(v, str(i + 1)) for i, v in enumerate(versions)]
    _, new_body = _unwrap(new, str(len(labelled) + 1))
    policy = DeprecationPolicy(deprecation_window_days, today)
    hint = _content_model(content_model_hint)
    targets = list(reversed(labelled if mode.transitive else labelled[-1:]))
    differences: list[Difference] = []
    family = SchemaFamily.FIELD_LIST if _is_fields(new_body) else None
    seen: set[tuple[str, str]] = set()
    for position, (label, old_body) in enumerate(targets):
        if _is_fields(old_body) and _is_fields(new_body):
            changes = compare_field_lists(
                old_body["fields"],
                new_body["fields"],
                _fields_model(new_body, hint),
                Language(language),
            )
        else:
            family, changes = _changes(old_body, new_body, hint)
        for change in changes:
            difference = judge(change, mode, policy)
            if difference.breaking:
                key = (difference.kind.value, difference.pointer)
                if key in seen:
                    continue
                seen.add(key)
                difference = difference.model_copy(update={"conflicts_with_version": label})
            elif position > 0:
                continue  # earlier versions only add conflicts, not the full change list
            differences.append(difference)
    return CompatibilityReport(
        mode=mode, family=family or SchemaFamily.JSON_SCHEMA, differences=tuple(differences)
    )


def _changes(old: Any, new: Any, hint: ContentModel | None) -> tuple[SchemaFamily, list[Change]]:
    family, new_family = detect_family(old), detect_family(new)
    if family is not new_family:
        raise CompatError(
            f"cannot compare {_FAMILY_NAMES[family]} with {_FAMILY_NAMES[new_family]}: "
            "both files must be the same kind of schema"
        )
    if family is SchemaFamily.AVRO:
        return family, compare_avro(old, new)
    if family is SchemaFamily.OPENAPI:
        return family, compare_openapi(old, new, hint)
    if family is SchemaFamily.ASYNCAPI:
        return family, compare_asyncapi(old, new, hint)
    return family, compare_json_schemas(old, new, content_model_hint=hint)


def _report(
    changes: list[Change],
    mode: CompatibilityMode,
    family: SchemaFamily,
    policy: DeprecationPolicy,
) -> CompatibilityReport:
    return CompatibilityReport(
        mode=mode, family=family, differences=tuple(judge(c, mode, policy) for c in changes)
    )


def _mode(mode: CompatibilityMode | str) -> CompatibilityMode:
    try:
        return CompatibilityMode(str(mode).upper())
    except ValueError:
        known = ", ".join(m.value for m in CompatibilityMode)
        raise CompatError(f"unknown compatibility mode {mode!r} (one of {known})") from None


def _content_model(value: ContentModel | str | None) -> ContentModel | None:
    return None if value is None else ContentModel(value)


def _unwrap(version: Any, default_label: str) -> tuple[str, Any]:
    if isinstance(version, dict) and "version" in version and "schema" in version:
        return str(version["version"]), version["schema"]
    if _is_fields(version):
        return str(version["version"]), version
    return default_label, version


def _is_fields(body: Any) -> bool:
    # an Avro record also has `fields`, but always a `type`
    return (
        isinstance(body, dict)
        and isinstance(body.get("fields"), list)
        and "version" in body
        and "type" not in body
    )


def _fields_model(body: dict, hint: ContentModel | None) -> ContentModel:
    declared = body.get("content_model")
    return ContentModel(declared) if declared else hint or ContentModel.OPEN
