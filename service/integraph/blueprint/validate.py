"""Validation of raw elements: schema errors per element, then references across the files."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from integraph.blueprint.errors import BlueprintIssue, IssueKind
from integraph.blueprint.secrets import PLACEHOLDER, REFERENCE_FORM, find_secrets
from integraph.blueprint.source import Located, RawElement, field_path
from integraph.bounded_yaml import Loc
from integraph.model import NOUNS, POLICY_MODELS
from integraph.model.contracts import FieldKey, JsonPointer, VersionString
from integraph.model.element import ELEMENT_REF_PATTERN, ID_PATTERN, REF_PATTERN
from integraph.model.landscape import SECTION_MODELS
from integraph.model.security import SECRET_REF_PATTERN


def _pattern_of(annotated: Any) -> str:
    return next(m.pattern for m in annotated.__metadata__ if getattr(m, "pattern", None))


PATTERN_HINTS: dict[str, str] = {
    ID_PATTERN: "is not a valid id (lower-case letters, digits, '.', '_' and '-', "
    "starting with a letter or digit)",
    ELEMENT_REF_PATTERN: "is not a valid reference (an id, or <blueprint>:<id> for an element "
    "of a blueprint this one uses)",
    REF_PATTERN: "is not a valid id",
    SECRET_REF_PATTERN: f"is not a secret reference URI: {REFERENCE_FORM}",
    _pattern_of(JsonPointer): "is not a JSON Pointer such as /card/pan",
    _pattern_of(FieldKey): "is not a field such as request/card/pan "
    "(request, response, message or error, then the path)",
    _pattern_of(VersionString): "is not a valid version (letters, digits, '.', '+', '_', '-')",
}
HIDDEN_PATTERNS = frozenset({SECRET_REF_PATTERN})
"""Patterns whose non-matching input is never echoed (it may be a secret)."""

ValidModels = list[tuple[RawElement, BaseModel]]


def issue(
    raw: RawElement | None,
    at: Located,
    kind: IssueKind,
    message: str,
    field: str | None = None,
) -> BlueprintIssue:
    """An issue about `raw` (or about a whole file when `raw` is None) located at `at`."""
    return BlueprintIssue(
        file=at.file,
        line=at.line,
        column=at.column,
        element_id=raw.raw_id if raw is not None else None,
        field=field,
        kind=kind.value,
        message=message,
        element_kind=NOUNS[raw.section] if raw is not None else None,
    )


def check_schema(elements: Iterable[RawElement]) -> tuple[ValidModels, list[BlueprintIssue]]:
    """Validate every element against its model; secrets are reported wherever they are."""
    valid: ValidModels = []
    issues: list[BlueprintIssue] = []
    for raw in elements:
        secrets = check_secrets(raw)
        secret_spots = {(s.line, s.column) for s in secrets}
        model, problems = _validate(raw)
        issues.extend(secrets)
        # A secret in a field is reported once, as a secret, never echoed in a schema message.
        issues.extend(p for p in problems if (p.line, p.column) not in secret_spots)
        if model is not None and not secrets:
            valid.append((raw, model))
    return valid, issues


def check_secrets(raw: RawElement) -> list[BlueprintIssue]:
    """One issue per value of the element that looks like a secret."""
    found = find_secrets(raw.node)
    return [
        issue(raw, raw.locate(f.loc), IssueKind.SECRET, f.message, field_path(f.loc)) for f in found
    ]


def _validate(raw: RawElement) -> tuple[BaseModel | None, list[BlueprintIssue]]:
    noun = NOUNS[raw.section]
    if not isinstance(raw.node, dict):
        message = f"a {noun} should be a mapping of fields, got {_show(raw.node)}"
        return None, [issue(raw, raw.at, IssueKind.WRONG_TYPE, message)]
    data = raw.node
    model_class = SECTION_MODELS.get(raw.section)
    if raw.section == "policies":
        kind = data.get("kind")
        if kind is None:
            at = raw.locate(("kind",))
            return None, [issue(raw, at, IssueKind.MISSING_FIELD, "missing required field", "kind")]
        model_class = POLICY_MODELS.get(kind) if isinstance(kind, str) else None
        if model_class is None:
            message = f"{_show(kind)} is not one of {', '.join(POLICY_MODELS)}"
            at = raw.locate(("kind",))
            return None, [issue(raw, at, IssueKind.INVALID_VALUE, message, "kind")]
    assert model_class is not None
    try:
        return model_class.model_validate(data), []
    except ValidationError as error:
        problems = [_from_pydantic(raw, model_class, e) for e in error.errors(include_url=False)]
        return None, _unique(problems)


def _unique(issues: list[BlueprintIssue]) -> list[BlueprintIssue]:
    # Unions report one error per member; one per field is enough.
    seen: set[tuple[int, int, str | None]] = set()
    kept = []
    for item in issues:
        key = (item.line, item.column, item.field)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _from_pydantic(raw: RawElement, model: type[BaseModel], error: Any) -> BlueprintIssue:
    kind = _kind_of(error["type"])
    loc = _trim(raw.node, error["loc"], keep_last=kind in _KEEP_LAST)
    at = raw.locate(loc, key=kind is IssueKind.UNKNOWN_FIELD)
    holder = _model_at(model, loc[:-1]) if kind is IssueKind.UNKNOWN_FIELD else None
    message = _message(error, holder)
    if holder is not None:
        noun = NOUNS[raw.section] if holder is model and raw.section != "policies" else None
        message += f"; {_noun_of(holder, noun)} has: {', '.join(holder.model_fields)}"
    return issue(raw, at, kind, message, field_path(loc))


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class of the mapping at `loc` inside an instance of `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            return None
        current = _model_in(info.annotation)
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The one model class an annotation holds (`list[Field]`, `Review | None`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is Annotated:
        return _model_in(get_args(annotation)[0])
    found = {m for arg in get_args(annotation) if (m := _model_in(arg)) is not None}
    return found.pop() if len(found) == 1 else None


def _noun_of(model: type[BaseModel], noun: str | None) -> str:
    """`a system`, `an alert rule`, `a contract version`."""
    if noun is None:
        noun = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


_KEEP_LAST = frozenset({IssueKind.MISSING_FIELD, IssueKind.UNKNOWN_FIELD})
_VALUE_PARSING = frozenset({"date_parsing", "datetime_parsing", "date_from_datetime_parsing"})


def _kind_of(error_type: str) -> IssueKind:
    if error_type == "missing":
        return IssueKind.MISSING_FIELD
    if error_type == "extra_forbidden":
        return IssueKind.UNKNOWN_FIELD
    if error_type in _VALUE_PARSING:
        return IssueKind.INVALID_VALUE
    if error_type.endswith(("_type", "_parsing")) or error_type == "int_from_float":
        return IssueKind.WRONG_TYPE
    return IssueKind.INVALID_VALUE


def _trim(node: Any, loc: Loc, keep_last: bool) -> tuple[str | int, ...]:
    """The part of a pydantic location that names fields and items (not union members)."""
    kept: list[str | int] = []
    for i, part in enumerate(loc):
        in_map = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_map or in_list:
            node = node[part]
        else:
            if keep_last and i == len(loc) - 1:
                kept.append(part)
            break
        kept.append(part)
    return tuple(kept)


def _message(error: Any, model: type[BaseModel] | None) -> str:
    error_type, value = error["type"], error.get("input")
    ctx = error.get("ctx") or {}
    if error_type == "missing":
        return "missing required field"
    if error_type == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, list(model.model_fields), n=1) if model else []
        return f"unknown field (did you mean '{close[0]}'?)" if close else "unknown field"
    if error_type in ("enum", "literal_error"):
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{_show(value)} is not one of {', '.join(allowed)}"
    if error_type == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        hint = PATTERN_HINTS.get(pattern, f"does not match {pattern}")
        if pattern == SECRET_REF_PATTERN and isinstance(value, str) and PLACEHOLDER.match(value):
            return f"{_show(value)} is a placeholder, not a secret reference URI: {REFERENCE_FORM}"
        return hint if pattern in HIDDEN_PATTERNS else f"{_show(value)} {hint}"
    text = str(error["msg"]).split(", unable to")[0]
    if error_type == "value_error":
        text = text.removeprefix("Value error, ")
        if isinstance(value, dict):
            return text  # a check of the whole element: its message names the fields
    if text.startswith("Input should be"):
        text = "should be" + text[len("Input should be") :]
    if error_type == "string_type" and isinstance(value, int | float) and value is not True:
        return f'{text}, got {_show(value)} (write it in quotes: "{value}")'
    return f"{text}, got {_show(value)}"


def _show(value: Any) -> str:
    """A short, safe rendering of an input value for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else "a long text"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
