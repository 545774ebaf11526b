"""Comparison of flat field lists, the form in which the graph stores contract versions.

A field is `{path: "/customer/email", type: "string", required: bool, enum: list | None,
deprecated_since: date | None}`; a type may list alternatives as "string|null". The same
rules as JSON Schema apply (modes.py), under one content model for the whole contract; for
an Avro or protobuf contract, fields come and go by that language's rules instead (an Avro
field without `required` has a default; protobuf readers keep unknown fields), in its words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from integraph.compat import modes
from integraph.compat.deprecation import parse_date
from integraph.compat.jsonschema_keywords import canonical
from integraph.compat.model import Change, ChangeKind, ContentModel, Language, Verdict


def compare_field_lists(
    old_fields: Iterable[Any],
    new_fields: Iterable[Any],
    content_model: ContentModel,
    language: Language = Language.JSON_SCHEMA,
) -> list[Change]:
    """Mode-free changes between two field lists (dicts or objects with the same attributes)."""
    changes = _compare(old_fields, new_fields, content_model, language)
    return [replace(c, language=language) for c in changes]


def _field_added(name: str, required: bool, model: ContentModel, language: Language) -> Verdict:
    if language is Language.AVRO:  # a field the writer's schema lacks is read from its default
        return modes.avro_field_added(has_default=not required)
    if language is Language.PROTOBUF:
        return modes.protobuf_field_added(required=required)
    return modes.field_added(name, required=required, content_model=model)


def _field_removed(name: str, required: bool, model: ContentModel, language: Language) -> Verdict:
    if language is Language.AVRO:
        return modes.avro_field_removed(old_has_default=not required)
    if language is Language.PROTOBUF:
        return modes.protobuf_field_removed(required=required)
    return modes.field_removed(name, required=required, content_model=model)


def _field_renamed(old: dict, new: dict, model: ContentModel, language: Language) -> Verdict:
    if language is Language.JSON_SCHEMA:
        return modes.field_renamed()
    # Avro matches fields by name (a reader alias is not in a field list), protobuf by number:
    # a rename is the old field gone and a new one come
    return modes.combined(
        _field_removed(_name(old["path"]), old["required"], model, language),
        _field_added(_name(new["path"]), new["required"], model, language),
    )


def _compare(
    old_fields: Iterable[Any],
    new_fields: Iterable[Any],
    content_model: ContentModel,
    language: Language,
) -> list[Change]:
    old = {f["path"]: f for f in (_as_field(x) for x in old_fields)}
    new = {f["path"]: f for f in (_as_field(x) for x in new_fields)}
    removed = [p for p in old if p not in new and not _parent_gone(p, old, new)]
    added = [p for p in new if p not in old and not _parent_gone(p, new, old)]
    changes: list[Change] = []
    for old_path, new_path in _renames(old, new, removed, added):
        removed.remove(old_path)
        added.remove(new_path)
        changes.append(
            Change(
                ChangeKind.FIELD_RENAMED,
                old_path,
                f"renaming field {old_path} to {new_path}",
                _field_renamed(old[old_path], new[new_path], content_model, language),
                old_path,
                new_path,
                note="rename candidate: a removed and an added field of the same type",
            )
        )
    for path in removed:
        field = old[path]
        label = "required" if field["required"] else "optional"
        changes.append(
            Change(
                ChangeKind.FIELD_REMOVED,
                path,
                f"removing {label} field {path}",
                _field_removed(_name(path), field["required"], content_model, language),
                field["raw"],
                None,
                deprecated=field["deprecated_since"] is not None,
                deprecated_since=field["deprecated_since"],
            )
        )
    for path in added:
        field = new[path]
        label = "required" if field["required"] else "optional"
        changes.append(
            Change(
                ChangeKind.FIELD_ADDED,
                path,
                f"adding {label} field {path}",
                _field_added(_name(path), field["required"], content_model, language),
                None,
                field["raw"],
            )
        )
    for path, before in old.items():
        if path in new:
            changes.extend(_compare_field(path, before, new[path], language))
    return changes


def _compare_field(path: str, old: dict, new: dict, language: Language) -> list[Change]:
    changes = []
    if old["required"] and not new["required"]:
        changes.append(
            Change(
                ChangeKind.REQUIRED_TO_OPTIONAL,
                path,
                f"making {path} optional",
                modes.required_to_optional(),
                True,
                False,
            )
        )
    elif new["required"] and not old["required"]:
        changes.append(
            Change(
                ChangeKind.OPTIONAL_TO_REQUIRED,
                path,
                f"making {path} required",
                modes.optional_to_required(),
                False,
                True,
            )
        )
    found = modes.type_change(old["types"], new["types"], language)
    if found:
        kind, verdict = found
        changes.append(
            Change(
                kind,
                path,
                modes.type_summary(kind, path, sorted(old["types"]), sorted(new["types"])),
                verdict,
                old["type"],
                new["type"],
            )
        )
    old_enum, new_enum = old["enum"], new["enum"]
    if old_enum is None and new_enum is not None:
        changes.append(
            Change(
                ChangeKind.CONSTRAINT_TIGHTENED,
                path,
                f"restricting {path} to an enum",
                modes.constraint_tightened("enum"),
                None,
                new_enum,
            )
        )
    elif old_enum is not None and new_enum is None:
        changes.append(
            Change(
                ChangeKind.CONSTRAINT_LOOSENED,
                path,
                f"dropping the enum of {path}",
                modes.constraint_loosened("enum"),
                old_enum,
                None,
            )
        )
    elif old_enum is not None and new_enum is not None:
        old_keys, new_keys = {canonical(v) for v in old_enum}, {canonical(v) for v in new_enum}
        added = [v for v in new_enum if canonical(v) not in old_keys]
        removed = [v for v in old_enum if canonical(v) not in new_keys]
        if added:
            changes.append(
                Change(
                    ChangeKind.ENUM_VALUE_ADDED,
                    path,
                    f"adding {added} to the enum of {path}",
                    modes.enum_values_added(added),
                    old_enum,
                    new_enum,
                )
            )
        if removed:
            changes.append(
                Change(
                    ChangeKind.ENUM_VALUE_REMOVED,
                    path,
                    f"removing {removed} from the enum of {path}",
                    modes.enum_values_removed(removed),
                    old_enum,
                    new_enum,
                )
            )
    return changes


def _as_field(field: Any) -> dict[str, Any]:
    """Normalise a field given as a mapping or as an object with attributes."""
    get = field.get if isinstance(field, Mapping) else lambda k, d=None: getattr(field, k, d)
    raw_type = get("type") or "any"
    types = raw_type if isinstance(raw_type, list | tuple) else str(raw_type).split("|")
    enum = get("enum")
    return {
        "path": str(get("path")),
        "type": raw_type,
        "types": {str(t).strip().lower() for t in types if str(t).strip()} or {modes.ANY_TYPE},
        "required": bool(get("required", False)),
        "enum": list(enum) if enum is not None else None,
        "deprecated_since": parse_date(get("deprecated_since")),
        "raw": dict(field) if isinstance(field, Mapping) else {"path": str(get("path"))},
    }


def _parent_gone(path: str, here: dict, there: dict) -> bool:
    """True when an ancestor path is also missing on the other side: report the ancestor only."""
    parent = path.rsplit("/", 1)[0]
    while parent:
        if parent in here and parent not in there:
            return True
        parent = parent.rsplit("/", 1)[0]
    return False


def _renames(old: dict, new: dict, removed: list[str], added: list[str]) -> list[tuple[str, str]]:
    """A removed and an added field under the same parent with the same type, uniquely."""
    pairs = []
    for path in removed:
        if old[path]["deprecated_since"] is not None:
            continue  # a deprecated field is being retired, not renamed
        parent, shape = path.rsplit("/", 1)[0], sorted(old[path]["types"])
        matches = [
            p for p in added if p.rsplit("/", 1)[0] == parent and sorted(new[p]["types"]) == shape
        ]
        rivals = [
            p for p in removed if p.rsplit("/", 1)[0] == parent and sorted(old[p]["types"]) == shape
        ]
        if len(matches) == 1 and len(rivals) == 1:
            pairs.append((path, matches[0]))
    return pairs


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
