"""Avro schema comparison over parsed JSON (.avsc), following the specification's schema
resolution: records by field name (reader aliases, defaults), unions, enums (reader default),
promotions int -> long -> float -> double and string <-> bytes, named-type references. Logical
types: resolution itself ignores them, so a reader without one reads the underlying type; a
reader with one needs the writer to promise the same logical type. Reasons use Avro's words:
the writer's and the reader's schema."""

from __future__ import annotations

from typing import Any

from integraph.compat import modes
from integraph.compat.deprecation import deprecation_of
from integraph.compat.jsonschema_keywords import canonical
from integraph.compat.model import Change, ChangeKind, Language, Verdict
from integraph.compat.refs import escape

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAMED = frozenset({"record", "error", "enum", "fixed"})
_JSON_TYPE_NAMES = frozenset({"null", "boolean", "string"})


def looks_like_avro(schema: Any) -> bool:
    """True for an Avro schema: a primitive name, a union list, or a named/complex type."""
    if isinstance(schema, str):
        return schema in PRIMITIVES
    if isinstance(schema, list):  # a union; the empty union is a schema with no values
        return all(looks_like_avro(s) or isinstance(s, str) for s in schema)
    if not isinstance(schema, dict) or "$schema" in schema:
        return False
    kind = schema.get("type")
    if kind in PRIMITIVES:  # {"type": "int", "logicalType": "date"}; "string" is also JSON's
        return "logicalType" in schema or kind not in _JSON_TYPE_NAMES
    if kind in ("record", "error"):
        return isinstance(schema.get("fields"), list)
    if kind == "enum":
        return isinstance(schema.get("symbols"), list)
    if kind == "fixed":
        return "size" in schema
    # JSON Schema also has "array" with "items"; Avro's item type is itself an Avro schema
    if kind == "array":
        items = schema.get("items")
        if isinstance(items, list):
            return bool(items) and all(isinstance(s, str) or looks_like_avro(s) for s in items)
        return isinstance(items, str) or looks_like_avro(items)
    return kind == "map" and "values" in schema


def compare_avro(old: Any, new: Any) -> list[Change]:
    """Mode-free changes between two Avro schemas."""
    comparer = _Comparer(_collect_names(old), _collect_names(new))
    comparer.compare(old, new, "", None, None)
    return comparer.changes


class _Comparer:
    def __init__(self, old_names: dict[str, Any], new_names: dict[str, Any]) -> None:
        self.old_names, self.new_names = old_names, new_names
        self.changes: list[Change] = []
        self._path: set[tuple[str, str]] = set()

    def add(
        self,
        kind: ChangeKind,
        pointer: str,
        summary: str,
        verdict: Verdict,
        old: Any = None,
        new: Any = None,
        **extra: Any,
    ) -> None:
        self.changes.append(
            Change(
                kind, pointer, summary, verdict, old=old, new=new, language=Language.AVRO, **extra
            )
        )

    def compare(
        self, old: Any, new: Any, pointer: str, old_ns: str | None, new_ns: str | None
    ) -> None:
        old, old_ns = _resolve(old, old_ns, self.old_names)
        new, new_ns = _resolve(new, new_ns, self.new_names)
        if isinstance(old, list) or isinstance(new, list):
            self._compare_unions(old, new, pointer, old_ns, new_ns)
            return
        old_label, new_label = _label(old), _label(new)
        old_kind, new_kind = _category(old), _category(new)
        if old_kind != new_kind or (old_kind not in _NAMED and old_label != new_label):
            self._type_change(pointer, {old_label}, {new_label}, old, new)
            return
        if old_kind in _NAMED:
            self._compare_names(old, new, pointer)
            key = (_fullname(old, old_ns)[0], _fullname(new, new_ns)[0])
            if key in self._path:  # a recursive type already being compared
                return
            self._path.add(key)
            try:
                self._compare_named(old, new, pointer, old_kind, old_ns, new_ns)
            finally:
                self._path.discard(key)
        elif old_kind == "array":
            self.compare(old["items"], new["items"], f"{pointer}/[]", old_ns, new_ns)
        elif old_kind == "map":
            self.compare(old["values"], new["values"], f"{pointer}/{{values}}", old_ns, new_ns)

    def _compare_named(
        self, old: dict, new: dict, pointer: str, kind: str, old_ns: str | None, new_ns: str | None
    ) -> None:
        old_ns, new_ns = _fullname(old, old_ns)[1], _fullname(new, new_ns)[1]
        if kind in ("record", "error"):
            self._compare_fields(old, new, pointer, old_ns, new_ns)
        elif kind == "enum":
            self._compare_symbols(old, new, pointer)
        elif old.get("size") != new.get("size"):
            self._type_change(pointer, {_label(old)}, {_label(new)}, old, new)

    def _compare_names(self, old: dict, new: dict, pointer: str) -> None:
        old_name, new_name = _short(old.get("name", "")), _short(new.get("name", ""))
        if old_name == new_name:
            return
        self.add(
            ChangeKind.TYPE_CHANGED,
            pointer,
            f"renaming the {_category(new)} type {old_name} to {new_name}",
            modes.avro_name_changed(
                reader_alias=old_name in {_short(a) for a in new.get("aliases", [])},
                old_reader_alias=new_name in {_short(a) for a in old.get("aliases", [])},
            ),
            old_name,
            new_name,
        )

    def _compare_fields(
        self, old: dict, new: dict, pointer: str, old_ns: str | None, new_ns: str | None
    ) -> None:
        old_fields = {f["name"]: f for f in old.get("fields", []) if isinstance(f, dict)}
        new_fields = {f["name"]: f for f in new.get("fields", []) if isinstance(f, dict)}
        removed = [n for n in old_fields if n not in new_fields]
        added = [n for n in new_fields if n not in old_fields]
        for old_name, new_name, by_alias in _renames(old_fields, new_fields, removed, added):
            removed.remove(old_name)
            added.remove(new_name)
            old_ptr, new_ptr = _child(pointer, old_name), _child(pointer, new_name)
            how = "the new field's alias" if by_alias else "the same type (candidate)"
            self.add(
                ChangeKind.FIELD_RENAMED,
                old_ptr,
                f"renaming field {old_ptr} to {new_ptr}",
                modes.field_renamed(
                    reader_alias=by_alias,
                    old_reader_alias=new_name in old_fields[old_name].get("aliases", []),
                ),
                old_ptr,
                new_ptr,
                note=f"matched by {how}",
            )
            self.compare(
                old_fields[old_name]["type"], new_fields[new_name]["type"], new_ptr, old_ns, new_ns
            )
        for name in removed:
            child, field = _child(pointer, name), old_fields[name]
            deprecated, since = deprecation_of(field)
            has_default = "default" in field
            self.add(
                ChangeKind.FIELD_REMOVED,
                child,
                f"removing field {child} ({'with' if has_default else 'without'} a default)",
                modes.avro_field_removed(old_has_default=has_default),
                field,
                None,
                deprecated=deprecated,
                deprecated_since=since,
            )
        for name in added:
            child, field = _child(pointer, name), new_fields[name]
            has_default = "default" in field
            self.add(
                ChangeKind.FIELD_ADDED,
                child,
                f"adding field {child} {'with' if has_default else 'without'} a default",
                modes.avro_field_added(has_default=has_default),
                None,
                field,
            )
        for name, old_field in old_fields.items():
            if name not in new_fields:
                continue
            new_field, child = new_fields[name], _child(pointer, name)
            if ("default" in old_field) != ("default" in new_field):
                gained = "default" in new_field
                self.add(
                    ChangeKind.DEFAULT_ADDED if gained else ChangeKind.DEFAULT_REMOVED,
                    child,
                    f"{'adding' if gained else 'removing'} the default of {child}",
                    modes.default_changed(),
                    old_field.get("default"),
                    new_field.get("default"),
                    note="a default only matters in versions where one side lacks the field",
                )
            self.compare(old_field["type"], new_field["type"], child, old_ns, new_ns)

    def _compare_symbols(self, old: dict, new: dict, pointer: str) -> None:
        old_symbols, new_symbols = list(old.get("symbols", [])), list(new.get("symbols", []))
        added = [s for s in new_symbols if s not in old_symbols]
        removed = [s for s in old_symbols if s not in new_symbols]
        where = pointer or "the root"
        if added:
            self.add(
                ChangeKind.ENUM_VALUE_ADDED,
                pointer,
                f"adding symbols {added} to the enum at {where}",
                modes.enum_values_added(added, reader_default="default" in old),
                old_symbols,
                new_symbols,
            )
        if removed:
            self.add(
                ChangeKind.ENUM_VALUE_REMOVED,
                pointer,
                f"removing symbols {removed} from the enum at {where}",
                modes.enum_values_removed(removed, reader_default="default" in new),
                old_symbols,
                new_symbols,
            )

    def _compare_unions(
        self, old: Any, new: Any, pointer: str, old_ns: str | None, new_ns: str | None
    ) -> None:
        old_branches = old if isinstance(old, list) else [old]
        new_branches = new if isinstance(new, list) else [new]
        old_resolved = [_resolve(b, old_ns, self.old_names) for b in old_branches]
        new_resolved = [_resolve(b, new_ns, self.new_names) for b in new_branches]
        new_by_label = {_union_key(b): (b, ns) for b, ns in new_resolved}
        old_labels: set[str] = set()
        for branch, ns in old_resolved:
            key = _union_key(branch, aliases_of=[b for b, _ in new_resolved])
            old_labels.add(key)
            if key in new_by_label and _category(branch) not in PRIMITIVES:
                target, target_ns = new_by_label[key]
                self.compare(branch, target, pointer, ns, target_ns)
        self._type_change(pointer, old_labels, set(new_by_label), old, new)

    def _type_change(
        self, pointer: str, old_labels: set[str], new_labels: set[str], old: Any, new: Any
    ) -> None:
        found = modes.type_change(old_labels, new_labels, Language.AVRO)
        if found:
            kind, verdict = found
            self.add(
                kind,
                pointer,
                modes.type_summary(
                    kind, pointer or "the root", sorted(old_labels), sorted(new_labels)
                ),
                verdict,
                _shown(old),
                _shown(new),
            )


def _collect_names(schema: Any, namespace: str | None = None, names: dict | None = None) -> dict:
    """Every named type (record, enum, fixed) by full name and by short name."""
    names = {} if names is None else names
    if isinstance(schema, list):
        for branch in schema:
            _collect_names(branch, namespace, names)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in _NAMED and isinstance(schema.get("name"), str):
            full, own_ns = _fullname(schema, namespace)
            names.setdefault(full, (schema, own_ns))
            names.setdefault(_short(full), (schema, own_ns))
            for field in schema.get("fields", []) if kind in ("record", "error") else []:
                if isinstance(field, dict):
                    _collect_names(field.get("type"), own_ns, names)
        elif kind == "array":
            _collect_names(schema.get("items"), namespace, names)
        elif kind == "map":
            _collect_names(schema.get("values"), namespace, names)
        elif isinstance(kind, dict | list):
            _collect_names(kind, namespace, names)
    return names


def _resolve(node: Any, namespace: str | None, names: dict) -> tuple[Any, str | None]:
    """Follow a named-type reference and unwrap `{"type": {...}}`."""
    if isinstance(node, dict) and isinstance(node.get("type"), dict | list):
        node = node["type"]
    if isinstance(node, dict) and node.get("type") in PRIMITIVES and len(node) == 1:
        node = node["type"]
    if isinstance(node, str) and node not in PRIMITIVES:
        for candidate in (f"{namespace}.{node}" if namespace else node, node, _short(node)):
            if candidate in names:
                return names[candidate]
    return node, namespace


def _fullname(node: dict, namespace: str | None) -> tuple[str, str | None]:
    name = str(node.get("name", ""))
    if "." in name:
        return name, name.rsplit(".", 1)[0]
    own = node.get("namespace", namespace) or None
    return (f"{own}.{name}" if own else name), own


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _category(node: Any) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "union"
    kind = node.get("type") if isinstance(node, dict) else None
    return "record" if kind == "error" else str(kind)


def _label(node: Any) -> str:
    """A type's identity for resolution: primitive (+ logical type), name, or size."""
    kind = _category(node)
    if not isinstance(node, dict):
        return kind
    if kind in _NAMED:
        size = f"({node['size']})" if kind == "fixed" else ""
        return f"{kind} {_short(str(node.get('name', '')))}{size}"
    logical = node.get("logicalType")
    if logical:
        extra = f"({node.get('precision')},{node.get('scale', 0)})" if logical == "decimal" else ""
        return f"{kind}/{logical}{extra}"
    return kind


def _union_key(node: Any, aliases_of: list[Any] | None = None) -> str:
    """A union member's label; an old named member maps to a new one that aliases it."""
    label = _label(node)
    if aliases_of and isinstance(node, dict) and _category(node) in _NAMED:
        name = _short(str(node.get("name", "")))
        for other in aliases_of:
            if isinstance(other, dict) and name in {_short(a) for a in other.get("aliases", [])}:
                return _label(other)
    return label


def _renames(
    old_fields: dict, new_fields: dict, removed: list[str], added: list[str]
) -> list[tuple[str, str, bool]]:
    """(old name, new name, matched by alias): reader aliases first, then a unique same type."""
    found: list[tuple[str, str, bool]] = []
    for name in list(added):
        aliases = new_fields[name].get("aliases", [])
        match = next((a for a in aliases if a in removed), None)
        if match:
            found.append((match, name, True))
    taken_old = {o for o, _, _ in found}
    taken_new = {n for _, n, _ in found}
    old_left = [n for n in removed if n not in taken_old and not deprecation_of(old_fields[n])[0]]
    new_left = [n for n in added if n not in taken_new]
    shapes_old = {n: canonical(old_fields[n].get("type")) for n in old_left}
    shapes_new = {n: canonical(new_fields[n].get("type")) for n in new_left}
    for name, shape in shapes_old.items():
        matches = [n for n, s in shapes_new.items() if s == shape]
        if len(matches) == 1 and list(shapes_old.values()).count(shape) == 1:
            found.append((name, matches[0], False))
    return found


def _shown(node: Any) -> Any:
    if isinstance(node, dict) and node.get("type") in _NAMED:
        return node.get("name")
    if isinstance(node, list):
        return [_shown(b) for b in node]
    return node


def _child(pointer: str, name: str) -> str:
    return f"{pointer}/{escape(name)}"
