"""JSON Schema comparison (drafts 4 to 2020-12, and the OpenAPI 3.x dialect).

Walks the old and new schema side by side from a pointer, following local `$ref`s (a pair
already on the walk's path is not entered again, so recursive schemas terminate), merging
`allOf`, matching `anyOf`/`oneOf`/`allOf` members by best match, and reporting mode-free
Changes. Pointers are data paths: `/customer/email`, `/[]` for array items, `/[0]` for tuple
positions, and `/{keyword}` for schema parts that are not properties (`/{additionalProperties}`).

The standard is the meaning of the schemas: a change breaks BACKWARD when some value valid under
the old schema may be invalid under the new one, FORWARD the reverse. Objects are compared in
jsonschema_objects, composition and applicator keywords in jsonschema_composition.
"""

from __future__ import annotations

from typing import Any

from integraph.compat import jsonschema_composition as composition
from integraph.compat import jsonschema_objects as objects
from integraph.compat import modes
from integraph.compat.jsonschema_keywords import canonical, compare_keywords
from integraph.compat.jsonschema_objects import content_model, schema_types
from integraph.compat.model import Change, ChangeKind, ContentModel, Role
from integraph.compat.refs import RefResolver

__all__ = ["compare_json_schemas", "content_model", "schema_types"]

_OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "unevaluatedProperties",
        "minProperties",
        "maxProperties",
    }
)
_ARRAY_KEYWORDS = frozenset(
    {"items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems"}
)


def compare_json_schemas(
    old: Any,
    new: Any,
    *,
    old_root: Any = None,
    new_root: Any = None,
    pointer: str = "",
    role: Role = Role.DATA,
    content_model_hint: ContentModel | None = None,
) -> list[Change]:
    """Mode-free changes between two JSON schemas; roots resolve `$ref`s (default: the schemas)."""
    comparer = Comparer(
        RefResolver(old if old_root is None else old_root),
        RefResolver(new if new_root is None else new_root),
        role,
        content_model_hint,
    )
    comparer.compare(old, new, pointer)
    return comparer.changes


class Comparer:
    """The walk over one pair of documents; the helper modules call back into it."""

    def __init__(
        self, old: RefResolver, new: RefResolver, role: Role, hint: ContentModel | None
    ) -> None:
        self.old, self.new, self.role, self.hint = old, new, role, hint
        self.changes: list[Change] = []
        self._path: set[tuple[Any, Any]] = set()

    def add(
        self,
        kind: ChangeKind,
        pointer: str,
        summary: str,
        verdict: modes.Verdict,
        old: Any = None,
        new: Any = None,
        **extra: Any,
    ) -> None:
        self.changes.append(
            Change(kind, pointer, summary, verdict, old=old, new=new, role=self.role, **extra)
        )

    def sub_changes(self, old: Any, new: Any, pointer: str) -> list[Change]:
        """The changes between two schemas, collected apart (not reported)."""
        saved, self.changes = self.changes, []
        try:
            self.compare(old, new, pointer)
            return self.changes
        finally:
            self.changes = saved

    def compare(self, old: Any, new: Any, pointer: str) -> None:
        old_node, old_ref = self.old.resolve(old)
        new_node, new_ref = self.new.resolve(new)
        # Recursion ends where the same pair of definitions is already being compared.
        key = (old_ref or id(old), new_ref or id(new))
        if key in self._path:
            return
        self._path.add(key)
        try:
            self._compare_nodes(old_node, new_node, pointer)
        finally:
            self._path.discard(key)

    def _compare_nodes(self, old: Any, new: Any, pointer: str) -> None:
        where = pointer or "the root"
        if _opaque_ref(old) or _opaque_ref(new):
            if canonical(old) != canonical(new):
                self.add(
                    ChangeKind.TYPE_CHANGED,
                    pointer,
                    f"changing the non-local reference at {where}",
                    modes.constraint_changed("referenced schema (not followed)"),
                    _ref_of(old),
                    _ref_of(new),
                )
            return
        if isinstance(old, bool) or isinstance(new, bool):
            if (old is False) != (new is False):
                tight = new is False
                verdict = modes.constraint_tightened if tight else modes.constraint_loosened
                kind = ChangeKind.CONSTRAINT_TIGHTENED if tight else ChangeKind.CONSTRAINT_LOOSENED
                self.add(
                    kind,
                    pointer,
                    f"{'forbidding' if tight else 'allowing'} any value at {where}",
                    verdict("schema false (no value allowed)"),
                    old,
                    new,
                )
                return
            if old is False:  # both reject every value
                return
            old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        old = composition.merge_all_of(old, self.old)
        new = composition.merge_all_of(new, self.new)
        if composition.compare_unions(self, old, new, pointer):
            return  # a plain schema against a bare union: compared as its only member
        old_types, new_types = schema_types(old), schema_types(new)
        if old_types != new_types:
            found = modes.type_change(old_types or {modes.ANY_TYPE}, new_types or {modes.ANY_TYPE})
            if found:
                kind, verdict = found
                self.add(
                    kind,
                    pointer,
                    modes.type_summary(kind, where, _sorted(old_types), _sorted(new_types)),
                    verdict,
                    old.get("type"),
                    new.get("type"),
                )
        self.changes.extend(compare_keywords(old, new, pointer, self.role))
        composition.compare_applicators(self, old, new, pointer)
        composition.compare_all_of(self, old.get("allOf"), new.get("allOf"), pointer)
        if _may_be(old_types, new_types, "object") and _has(old, new, _OBJECT_KEYWORDS):
            objects.compare_object(self, old, new, pointer)
        if _may_be(old_types, new_types, "array") and _has(old, new, _ARRAY_KEYWORDS):
            self._compare_array(old, new, pointer)

    def _compare_array(self, old: dict, new: dict, pointer: str) -> None:
        old_tuple, old_rest = _tuple_and_rest(old)
        new_tuple, new_rest = _tuple_and_rest(new)
        for index in range(max(len(old_tuple), len(new_tuple))):
            self.compare(
                old_tuple[index] if index < len(old_tuple) else old_rest,
                new_tuple[index] if index < len(new_tuple) else new_rest,
                f"{pointer}/[{index}]",
            )
        self.compare(old_rest, new_rest, f"{pointer}/[]")


def _tuple_and_rest(node: dict) -> tuple[list, Any]:
    """(positional item schemas, schema for the remaining items): 2020-12 `prefixItems` +
    `items`, or drafts 4-2019 `items` array + `additionalItems`, or a single `items`."""
    if isinstance(node.get("prefixItems"), list):
        return node["prefixItems"], node.get("items", True)
    items = node.get("items")
    if isinstance(items, list):
        return items, node.get("additionalItems", True)
    return [], True if items is None else items


def _may_be(old: set[str] | None, new: set[str] | None, json_type: str) -> bool:
    return (old is None or json_type in old) and (new is None or json_type in new)


def _has(old: dict, new: dict, keywords: frozenset[str]) -> bool:
    return bool(keywords & old.keys()) or bool(keywords & new.keys())


def _opaque_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _ref_of(node: Any) -> Any:
    return node.get("$ref") if isinstance(node, dict) else node


def _sorted(types: set[str] | None) -> list[str] | None:
    return sorted(types) if types else None
