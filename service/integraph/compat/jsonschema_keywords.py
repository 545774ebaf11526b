"""JSON Schema value keywords: enum/const, numeric, string, array and object bounds, and the
validation keywords compared only for equality. Drafts 4 to 2020-12."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from integraph.compat import modes
from integraph.compat.model import Change, ChangeKind, Role, Verdict

# Keywords whose inclusion order cannot be decided in general: added = tighter, removed =
# looser, changed = both ways (reviewed by hand). `not`, the dependencies and propertyNames
# are compared by meaning (jsonschema_composition).
_OPAQUE = (
    "pattern",
    "format",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "discriminator",
)
_LOWER_COUNTS = ("minLength", "minItems", "minProperties", "minContains")
_UPPER_COUNTS = ("maxLength", "maxItems", "maxProperties", "maxContains")


def canonical(value: Any) -> str:
    """A stable text form of a JSON value, for set membership and equality."""
    return json.dumps(value, sort_keys=True, default=str)


def compare_keywords(old: dict, new: dict, pointer: str, role: Role) -> list[Change]:
    """Every value-level change between two resolved object schemas at `pointer`."""
    changes: list[Change] = []
    emit = _Emitter(changes, pointer, role)
    _compare_values(old, new, emit)
    _compare_range(old, new, emit, "minimum", "exclusiveMinimum", lower=True)
    _compare_range(old, new, emit, "maximum", "exclusiveMaximum", lower=False)
    _compare_multiple_of(old, new, emit)
    for keyword in _LOWER_COUNTS:
        _compare_count(old, new, emit, keyword, lower=True)
    for keyword in _UPPER_COUNTS:
        _compare_count(old, new, emit, keyword, lower=False)
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        tight = bool(new.get("uniqueItems"))
        emit.bound(
            tight,
            "uniqueItems",
            {"uniqueItems": old.get("uniqueItems", False)},
            {"uniqueItems": new.get("uniqueItems", False)},
        )
    for keyword in _OPAQUE:
        _compare_opaque(old, new, emit, keyword)
    return changes


class _Emitter:
    def __init__(self, changes: list[Change], pointer: str, role: Role) -> None:
        self.changes, self.pointer, self.role = changes, pointer, role

    def add(self, kind: ChangeKind, summary: str, verdict: Verdict, old: Any, new: Any) -> None:
        self.changes.append(
            Change(kind, self.pointer, summary, verdict, old=old, new=new, role=self.role)
        )

    def bound(self, tighter: bool, what: str, old: Any, new: Any) -> None:
        where = self.pointer or "the root"
        if tighter:
            self.add(
                ChangeKind.CONSTRAINT_TIGHTENED,
                f"tightening {what} at {where}",
                modes.constraint_tightened(what),
                old,
                new,
            )
        else:
            self.add(
                ChangeKind.CONSTRAINT_LOOSENED,
                f"loosening {what} at {where}",
                modes.constraint_loosened(what),
                old,
                new,
            )


def allowed_values(node: dict) -> list[Any] | None:
    """The values `enum`/`const` allow, or None when any value of the type is allowed."""
    if "const" in node:
        return [node["const"]]
    if isinstance(node.get("enum"), list):
        return list(node["enum"])
    return None


def _compare_values(old: dict, new: dict, emit: _Emitter) -> None:
    old_values, new_values = allowed_values(old), allowed_values(new)
    where = emit.pointer or "the root"
    if old_values is None and new_values is None:
        return
    if old_values is None or new_values is None:
        emit.bound(new_values is not None, "enum", old_values, new_values)
        return
    old_keys = {canonical(v) for v in old_values}
    new_keys = {canonical(v) for v in new_values}
    added = [v for v in new_values if canonical(v) not in old_keys]
    removed = [v for v in old_values if canonical(v) not in new_keys]
    if added:
        emit.add(
            ChangeKind.ENUM_VALUE_ADDED,
            f"adding {_listed(added)} to the enum at {where}",
            modes.enum_values_added(added),
            old_values,
            new_values,
        )
    if removed:
        emit.add(
            ChangeKind.ENUM_VALUE_REMOVED,
            f"removing {_listed(removed)} from the enum at {where}",
            modes.enum_values_removed(removed),
            old_values,
            new_values,
        )


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _bound(node: dict, inclusive_kw: str, exclusive_kw: str, lower: bool) -> tuple | None:
    """The effective bound as (value, exclusive); draft 4 writes exclusivity as a boolean."""
    candidates = []
    if _number(node.get(inclusive_kw)) is not None:
        candidates.append((node[inclusive_kw], node.get(exclusive_kw) is True))
    if _number(node.get(exclusive_kw)) is not None:
        candidates.append((node[exclusive_kw], True))
    if not candidates:
        return None
    # the tightest candidate wins: the highest lower bound, the lowest upper bound
    if lower:
        return max(candidates, key=lambda c: (c[0], c[1]))
    return min(candidates, key=lambda c: (c[0], not c[1]))


def _compare_range(old: dict, new: dict, emit: _Emitter, inc: str, exc: str, lower: bool) -> None:
    old_b, new_b = _bound(old, inc, exc, lower), _bound(new, inc, exc, lower)
    if old_b == new_b:
        return
    if old_b is None or new_b is None:
        tighter = old_b is None
    elif lower:
        tighter = (new_b[0], new_b[1]) > (old_b[0], old_b[1])
    else:
        tighter = (new_b[0], not new_b[1]) < (old_b[0], not old_b[1])
    shown = new_b if tighter else old_b
    assert shown is not None
    what = f"{'exclusive ' if shown[1] else ''}{inc} {shown[0]}"
    emit.bound(tighter, what, _picked(old, inc, exc), _picked(new, inc, exc))


def _compare_count(old: dict, new: dict, emit: _Emitter, keyword: str, lower: bool) -> None:
    old_v, new_v = _number(old.get(keyword)), _number(new.get(keyword))
    if old_v == new_v:
        return
    if old_v is None or new_v is None:
        tighter = old_v is None
    else:
        tighter = new_v > old_v if lower else new_v < old_v
    emit.bound(
        tighter,
        f"{keyword} {new_v if tighter else old_v}",
        _picked(old, keyword),
        _picked(new, keyword),
    )


def _compare_multiple_of(old: dict, new: dict, emit: _Emitter) -> None:
    old_v, new_v = _number(old.get("multipleOf")), _number(new.get("multipleOf"))
    if old_v == new_v:
        return
    olds, news = _picked(old, "multipleOf"), _picked(new, "multipleOf")
    if old_v is None or new_v is None:
        emit.bound(old_v is None, f"multipleOf {new_v or old_v}", olds, news)
        return
    ratio = Fraction(str(new_v)) / Fraction(str(old_v))
    if ratio.denominator == 1:  # every multiple of new_v is a multiple of old_v
        emit.bound(True, f"multipleOf {new_v}", olds, news)
    elif ratio.numerator == 1:
        emit.bound(False, f"multipleOf {old_v}", olds, news)
    else:
        emit.add(
            ChangeKind.CONSTRAINT_CHANGED,
            f"changing multipleOf at {emit.pointer or 'the root'}",
            modes.constraint_changed("multipleOf"),
            olds,
            news,
        )


def _compare_opaque(old: dict, new: dict, emit: _Emitter, keyword: str) -> None:
    if keyword not in old and keyword not in new:
        return
    if keyword in old and keyword in new:
        if canonical(old[keyword]) == canonical(new[keyword]):
            return
        emit.add(
            ChangeKind.CONSTRAINT_CHANGED,
            f"changing '{keyword}' at {emit.pointer or 'the root'}",
            modes.constraint_changed(f"'{keyword}'"),
            _picked(old, keyword),
            _picked(new, keyword),
        )
        return
    emit.bound(
        keyword in new,
        f"'{keyword}' {old.get(keyword, new.get(keyword))!r}",
        _picked(old, keyword),
        _picked(new, keyword),
    )


def _picked(node: dict, *keywords: str) -> dict | None:
    picked = {k: node[k] for k in keywords if k in node}
    return picked or None


def _listed(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)
