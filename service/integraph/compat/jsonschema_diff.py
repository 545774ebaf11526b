"""JSON Schema comparison (drafts 4 to 2020-12, and the OpenAPI 3.x dialect).

Walks the old and new schema side by side from a pointer, following local `$ref`s (a pair
already on the walk's path is not entered again, so recursive schemas terminate), merging
`allOf`, matching `anyOf`/`oneOf` alternatives, and reporting mode-free Changes. Pointers are
data paths: `/customer/email`, `/[]` for array items, `/[0]` for tuple positions, and
`/{keyword}` for schema parts that are not properties (`/{additionalProperties}`).
"""

from __future__ import annotations

from typing import Any

from integraph.compat import modes
from integraph.compat.deprecation import deprecation_of
from integraph.compat.jsonschema_keywords import canonical, compare_keywords
from integraph.compat.model import Change, ChangeKind, ContentModel, Role
from integraph.compat.refs import ANNOTATIONS, RefResolver, escape

_OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "unevaluatedProperties",
        "minProperties",
        "maxProperties",
        "propertyNames",
    }
)
_ARRAY_KEYWORDS = frozenset(
    {"items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems"}
)
_OPENNESS = {ContentModel.CLOSED: 0, ContentModel.PARTIALLY_OPEN: 1, ContentModel.OPEN: 2}


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
    comparer = _Comparer(
        RefResolver(old if old_root is None else old_root),
        RefResolver(new if new_root is None else new_root),
        role,
        content_model_hint,
    )
    comparer.compare(old, new, pointer)
    return comparer.changes


def content_model(node: Any, hint: ContentModel | None = None) -> ContentModel:
    """Open, closed or partially open, per RULES.md; `hint` applies when the schema is silent."""
    if not isinstance(node, dict):
        return ContentModel.OPEN
    extra = node.get("additionalProperties", node.get("unevaluatedProperties"))
    patterns = bool(node.get("patternProperties"))
    if extra is False:
        return ContentModel.PARTIALLY_OPEN if patterns else ContentModel.CLOSED
    if patterns or (isinstance(extra, dict) and extra):
        return ContentModel.PARTIALLY_OPEN
    if extra is None and hint is not None:
        return hint
    return ContentModel.OPEN


def schema_types(node: dict) -> set[str] | None:
    """The JSON types a schema allows, None when unconstrained; OpenAPI 3.0 `nullable` adds null."""
    declared = node.get("type")
    if declared is None:
        return None
    types = {declared} if isinstance(declared, str) else {str(t) for t in declared}
    if node.get("nullable") is True:
        types.add("null")
    return types


class _Comparer:
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
        if old is False or new is False or old is True or new is True:
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
            old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        old, new = self._merge_all_of(old, self.old), self._merge_all_of(new, self.new)
        old_alts, new_alts = _alternatives(old), _alternatives(new)
        if old_alts and new_alts:
            self._compare_alternatives(old, new, old_alts, new_alts, pointer)
        elif (old_alts and _only_union(old)) or (new_alts and _only_union(new)):
            # a plain schema against a bare union: it is the union's only former/new member
            self._compare_alternatives(old, new, old_alts, new_alts, pointer)
            return
        elif old_alts or new_alts:
            keyword, members = old_alts or new_alts  # type: ignore[misc]
            tight = bool(new_alts)
            verdict = modes.constraint_tightened if tight else modes.constraint_loosened
            self.add(
                ChangeKind.CONSTRAINT_TIGHTENED if tight else ChangeKind.CONSTRAINT_LOOSENED,
                pointer,
                f"{'adding' if tight else 'removing'} '{keyword}' at {where}",
                verdict(f"'{keyword}' alternatives"),
                None if tight else members,
                members if tight else None,
            )
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
        for index, (old_sub, new_sub) in enumerate(_paired(old.get("allOf"), new.get("allOf"))):
            self.compare(old_sub, new_sub, f"{pointer}/{{allOf[{index}]}}")
        if _may_be(old_types, new_types, "object") and _has(old, new, _OBJECT_KEYWORDS):
            self._compare_object(old, new, pointer)
        if _may_be(old_types, new_types, "array") and _has(old, new, _ARRAY_KEYWORDS):
            self._compare_array(old, new, pointer)

    def _merge_all_of(self, node: dict, resolver: RefResolver, depth: int = 0) -> dict:
        """Fold `allOf` members into one schema so properties split across them compare as
        one object; conflicting keywords stay behind in a residual `allOf`."""
        if not isinstance(node.get("allOf"), list) or depth > 8:
            return node
        merged = {k: v for k, v in node.items() if k != "allOf"}
        residual: list[Any] = []
        for member in node["allOf"]:
            target, _ = resolver.resolve(member)
            if not isinstance(target, dict):
                residual.append(member)
                continue
            target = self._merge_all_of(target, resolver, depth + 1)
            for keyword, value in target.items():
                if keyword == "properties" and isinstance(value, dict):
                    properties = merged.setdefault("properties", {})
                    merged["properties"] = properties = dict(properties)
                    for name, schema in value.items():
                        if name in properties and properties[name] != schema:
                            properties[name] = {"allOf": [properties[name], schema]}
                        else:
                            properties[name] = schema
                elif keyword == "required" and isinstance(value, list):
                    merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
                elif keyword not in merged:
                    merged[keyword] = value
                elif keyword not in ANNOTATIONS and canonical(merged[keyword]) != canonical(value):
                    residual.append({keyword: value})
        if residual:
            merged["allOf"] = residual
        return merged

    def _compare_alternatives(
        self,
        old: dict,
        new: dict,
        old_alts: tuple[str, list] | None,
        new_alts: tuple[str, list] | None,
        pointer: str,
    ) -> None:
        old_kw, old_list = old_alts or ("anyOf", [old])
        new_kw, new_list = new_alts or ("anyOf", [new])
        if old_alts and new_alts and old_kw != new_kw:
            tight = new_kw == "oneOf"  # oneOf also rejects values matching several members
            verdict = modes.constraint_tightened if tight else modes.constraint_loosened
            self.add(
                ChangeKind.CONSTRAINT_TIGHTENED if tight else ChangeKind.CONSTRAINT_LOOSENED,
                pointer,
                f"changing {old_kw} to {new_kw} at {pointer or 'the root'}",
                verdict(f"{new_kw} (was {old_kw})"),
                old_kw,
                new_kw,
            )
        segment = new_kw if new_alts else old_kw
        pairs, removed, added = self._match(old_list, new_list)
        for i, j in pairs:
            index = j if new_alts else i
            self.compare(old_list[i], new_list[j], f"{pointer}/{{{segment}[{index}]}}")
        for i in removed:
            what = self._describe(old_list[i], self.old)
            self.add(
                ChangeKind.TYPE_NARROWED,
                pointer,
                f"removing the alternative {what} at {pointer or 'the root'}",
                modes.alternative_removed(what),
                old_list[i],
                None,
            )
        for j in added:
            what = self._describe(new_list[j], self.new)
            self.add(
                ChangeKind.TYPE_WIDENED,
                pointer,
                f"adding the alternative {what} at {pointer or 'the root'}",
                modes.alternative_added(what),
                None,
                new_list[j],
            )

    def _match(self, old: list, new: list) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Pair union members: identical, then same $ref, title, type; a lone pair is paired."""
        old_left, new_left = list(range(len(old))), list(range(len(new)))
        pairs: list[tuple[int, int]] = []
        keys = (
            lambda node, _r: canonical(node),
            lambda node, _r: node.get("$ref") if isinstance(node, dict) else None,
            lambda node, r: _resolved(node, r).get("title"),
            lambda node, r: canonical(sorted(schema_types(_resolved(node, r)) or [])),
        )
        for key in keys:
            for i in list(old_left):
                wanted = key(old[i], self.old)
                if wanted is None:
                    continue
                match = next((j for j in new_left if key(new[j], self.new) == wanted), None)
                if match is not None:
                    pairs.append((i, match))
                    old_left.remove(i)
                    new_left.remove(match)
        if len(old_left) == 1 and len(new_left) == 1:
            pairs.append((old_left.pop(), new_left.pop()))
        return sorted(pairs), old_left, new_left

    def _describe(self, node: Any, resolver: RefResolver) -> str:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return repr(node["$ref"].rsplit("/", 1)[-1])
        target = _resolved(node, resolver)
        if target.get("title"):
            return repr(target["title"])
        types = schema_types(target)
        return f"of type {'/'.join(sorted(types))}" if types else canonical(node)

    def _compare_object(self, old: dict, new: dict, pointer: str) -> None:
        old_model, new_model = content_model(old, self.hint), content_model(new, self.hint)
        where = pointer or "the root"
        if old_model is not new_model:
            closing = _OPENNESS[new_model] < _OPENNESS[old_model]
            self.add(
                ChangeKind.CONTENT_MODEL_CLOSED if closing else ChangeKind.CONTENT_MODEL_OPENED,
                pointer,
                f"changing the content model at {where} from {old_model.value} to "
                f"{new_model.value}",
                modes.content_model_closed() if closing else modes.content_model_opened(),
                old_model.value,
                new_model.value,
            )
        self._compare_catch_alls(old, new, pointer)
        old_props, new_props = _properties(old), _properties(new)
        old_req, new_req = _required(old), _required(new)
        removed = [n for n in old_props if n not in new_props]
        added = [n for n in new_props if n not in old_props]
        renames = self._renames(old_props, new_props, removed, added)
        for old_name, new_name in renames:
            removed.remove(old_name)
            added.remove(new_name)
            old_ptr, new_ptr = _child(pointer, old_name), _child(pointer, new_name)
            self.add(
                ChangeKind.FIELD_RENAMED,
                old_ptr,
                f"renaming field {old_ptr} to {new_ptr}",
                modes.field_renamed(),
                old_ptr,
                new_ptr,
                note="rename candidate: a removed and an added field of the same shape",
            )
        for name in removed:
            child = _child(pointer, name)
            required = name in old_req
            deprecated, since = deprecation_of(_resolved(old_props[name], self.old))
            self.add(
                ChangeKind.FIELD_REMOVED,
                child,
                f"removing {'required' if required else 'optional'} field {child}",
                modes.field_removed(name, required=required, content_model=new_model),
                old_props[name],
                None,
                deprecated=deprecated,
                deprecated_since=since,
            )
        for name in added:
            child = _child(pointer, name)
            required = name in new_req
            self.add(
                ChangeKind.FIELD_ADDED,
                child,
                f"adding {'required' if required else 'optional'} field {child}",
                modes.field_added(name, required=required, content_model=old_model),
                None,
                new_props[name],
            )
        for name in old_props:
            if name not in new_props:
                continue
            child = _child(pointer, name)
            if name in old_req and name not in new_req:
                self.add(
                    ChangeKind.REQUIRED_TO_OPTIONAL,
                    child,
                    f"making {child} optional",
                    modes.required_to_optional(),
                    True,
                    False,
                )
            elif name in new_req and name not in old_req:
                self.add(
                    ChangeKind.OPTIONAL_TO_REQUIRED,
                    child,
                    f"making {child} required",
                    modes.optional_to_required(),
                    False,
                    True,
                )
            self.compare(old_props[name], new_props[name], child)

    def _compare_catch_alls(self, old: dict, new: dict, pointer: str) -> None:
        """Compare the schemas that govern undeclared property names."""
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if isinstance(old.get(keyword), dict) and isinstance(new.get(keyword), dict):
                self.compare(old[keyword], new[keyword], f"{pointer}/{{{keyword}}}")
        old_patterns = old.get("patternProperties") or {}
        new_patterns = new.get("patternProperties") or {}
        # a pattern loosens names that fell to `additionalProperties: false`, and narrows
        # names that were otherwise open
        closed_rest = new.get("additionalProperties") is False
        for pattern in {**old_patterns, **new_patterns}:
            child = f"{pointer}/{{patternProperties:{escape(pattern)}}}"
            if pattern in old_patterns and pattern in new_patterns:
                self.compare(old_patterns[pattern], new_patterns[pattern], child)
                continue
            opening = (pattern in new_patterns) == closed_rest
            verb = "adding" if pattern in new_patterns else "removing"
            self.add(
                ChangeKind.CONTENT_MODEL_OPENED if opening else ChangeKind.CONTENT_MODEL_CLOSED,
                child,
                f"{verb} the property pattern {pattern!r} at {pointer or 'the root'}",
                modes.content_model_opened() if opening else modes.content_model_closed(),
                old_patterns.get(pattern),
                new_patterns.get(pattern),
            )

    def _renames(
        self, old_props: dict, new_props: dict, removed: list[str], added: list[str]
    ) -> list[tuple[str, str]]:
        """A removed and an added field of the same shape, each the other's only match."""
        candidates = [
            n for n in removed if not deprecation_of(_resolved(old_props[n], self.old))[0]
        ]
        old_shapes = {n: _shape(old_props[n]) for n in candidates}
        new_shapes = {n: _shape(new_props[n]) for n in added}
        pairs = []
        for name, shape in old_shapes.items():
            matches = [a for a, s in new_shapes.items() if s == shape]
            if len(matches) == 1 and list(old_shapes.values()).count(shape) == 1:
                pairs.append((name, matches[0]))
        return pairs

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


def _properties(node: dict) -> dict[str, Any]:
    """Declared properties, plus required names that have no declaration (any value)."""
    declared = node.get("properties")
    properties = dict(declared) if isinstance(declared, dict) else {}
    for name in _required(node):
        properties.setdefault(name, {})
    return properties


def _required(node: dict) -> set[str]:
    required = node.get("required")
    return {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()


def _alternatives(node: dict) -> tuple[str, list] | None:
    for keyword in ("oneOf", "anyOf"):
        if isinstance(node.get(keyword), list):
            return keyword, node[keyword]
    return None


def _only_union(node: dict) -> bool:
    """True when a schema is nothing but anyOf/oneOf (plus annotations)."""
    rest = {k for k in node if k not in ANNOTATIONS and not k.startswith("x-")}
    return rest <= {"anyOf", "oneOf", "discriminator"}


def _paired(old: Any, new: Any) -> list[tuple[Any, Any]]:
    old_list = old if isinstance(old, list) else []
    new_list = new if isinstance(new, list) else []
    size = max(len(old_list), len(new_list))
    return [
        (old_list[i] if i < len(old_list) else {}, new_list[i] if i < len(new_list) else {})
        for i in range(size)
    ]


def _shape(node: Any) -> str:
    """What a field looks like regardless of its name and documentation."""
    if isinstance(node, dict):
        node = {k: v for k, v in node.items() if k not in ANNOTATIONS and not k.startswith("x-")}
    return canonical(node)


def _resolved(node: Any, resolver: RefResolver) -> dict:
    target, _ = resolver.resolve(node)
    return target if isinstance(target, dict) else {}


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


def _child(pointer: str, name: str) -> str:
    return f"{pointer}/{escape(name)}"
