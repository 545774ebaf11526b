"""JSON Schema composition and applicators: `allOf`, `anyOf`, `oneOf`, `not`, `dependencies`,
`dependentSchemas`, `dependentRequired` and `propertyNames`, judged by what they mean.

Members of `anyOf`/`oneOf`/`allOf` are paired by best match (identical, same `$ref` or title,
then the pair whose comparison finds the fewest breaking differences), not by position. `oneOf`
differs from `anyOf` only where members overlap: between members proven disjoint (by type,
const/enum, or a required discriminating property) the two keywords mean the same.
"""

from __future__ import annotations

from typing import Any

from integraph.compat import modes
from integraph.compat.jsonschema_keywords import allowed_values, canonical
from integraph.compat.jsonschema_objects import Comparer, schema_types
from integraph.compat.model import Change, ChangeKind
from integraph.compat.refs import ANNOTATIONS, RefResolver, escape

_OBJECT_OPENING = ("additionalProperties", "patternProperties", "unevaluatedProperties")


# --- allOf ----------------------------------------------------------------------------------


def merge_all_of(node: dict, resolver: RefResolver, depth: int = 0) -> dict:
    """Fold `allOf` members into one schema so properties split across them compare as one
    object; conflicting keywords stay behind in a residual `allOf`. Not done when a part
    restricts undeclared names (additionalProperties...): it sees only its own properties."""
    if not isinstance(node.get("allOf"), list) or depth > 8:
        return node
    targets = [resolver.resolve(m)[0] for m in node["allOf"]]
    if any(_restricts_names(t) for t in [node, *targets]):
        return node
    merged = {k: v for k, v in node.items() if k != "allOf"}
    residual: list[Any] = []
    values: dict[str, list[Any]] = {k: [v] for k, v in merged.items()}
    for member, target in zip(node["allOf"], targets, strict=True):
        if not isinstance(target, dict):
            residual.append(member)
            continue
        target = merge_all_of(target, resolver, depth + 1)
        for keyword, value in target.items():
            if keyword == "properties" and isinstance(value, dict):
                properties = dict(merged.get("properties", {}))
                for name, schema in value.items():
                    if name in properties and properties[name] != schema:
                        properties[name] = {"allOf": [properties[name], schema]}
                    else:
                        properties[name] = schema
                merged["properties"] = properties
            elif keyword == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            elif keyword == "allOf" and isinstance(value, list):
                residual.extend(value)  # the member's own residue
            elif keyword not in ANNOTATIONS:
                values.setdefault(keyword, []).append(value)
                merged.setdefault(keyword, value)
    # a keyword the parts give different values stays behind, every value of it, so the
    # residual members pair up by best match whatever their order
    for keyword, given in values.items():
        distinct = list({canonical(v): v for v in given}.values())
        if keyword not in ANNOTATIONS and len(distinct) > 1:
            del merged[keyword]
            residual.extend({keyword: v} for v in distinct)
    if residual:
        merged["allOf"] = residual
    return merged


def compare_all_of(cmp: Comparer, old: Any, new: Any, pointer: str) -> None:
    """Residual allOf members: paired by best match; an unpaired new member adds constraints
    (compared with `true`), an unpaired old one drops them."""
    old_list = old if isinstance(old, list) else []
    new_list = new if isinstance(new, list) else []
    if not old_list and not new_list:
        return
    pairs, removed, added = match(cmp, old_list, new_list, lone_pair=True)
    for i, j in pairs:
        cmp.compare(old_list[i], new_list[j], f"{pointer}/{{allOf[{j}]}}")
    for i in removed:
        cmp.compare(old_list[i], True, f"{pointer}/{{allOf[{i}]}}")
    for j in added:
        cmp.compare(True, new_list[j], f"{pointer}/{{allOf[{j}]}}")


# --- anyOf / oneOf --------------------------------------------------------------------------


def compare_unions(cmp: Comparer, old: dict, new: dict, pointer: str) -> bool:
    """Compare anyOf/oneOf; True when that was the whole comparison (a bare union against a
    plain schema, which is then its only former or new member)."""
    old_alts, new_alts = _alternatives(old), _alternatives(new)
    where = pointer or "the root"
    if old_alts and new_alts:
        _compare_alternatives(cmp, old, new, old_alts, new_alts, pointer)
        return False
    if (old_alts and _only_union(old)) or (new_alts and _only_union(new)):
        _compare_alternatives(cmp, old, new, old_alts, new_alts, pointer)
        return True
    if old_alts or new_alts:
        keyword, members = old_alts or new_alts  # type: ignore[misc]
        tight = bool(new_alts)
        verdict = modes.constraint_tightened if tight else modes.constraint_loosened
        cmp.add(
            ChangeKind.CONSTRAINT_TIGHTENED if tight else ChangeKind.CONSTRAINT_LOOSENED,
            pointer,
            f"{'adding' if tight else 'removing'} '{keyword}' at {where}",
            verdict(f"'{keyword}' alternatives"),
            None if tight else members,
            members if tight else None,
        )
    return False


def _compare_alternatives(
    cmp: Comparer,
    old: dict,
    new: dict,
    old_alts: tuple[str, list] | None,
    new_alts: tuple[str, list] | None,
    pointer: str,
) -> None:
    where = pointer or "the root"
    old_kw, old_list = old_alts or ("anyOf", [old])
    new_kw, new_list = new_alts or ("anyOf", [new])
    # oneOf means more than anyOf only where its members may overlap
    old_exclusive = old_kw == "oneOf" and not _all_disjoint(old_list, cmp.old)
    new_exclusive = new_kw == "oneOf" and not _all_disjoint(new_list, cmp.new)
    reported: modes.Verdict | None = None
    if old_alts and new_alts and old_kw != new_kw and old_exclusive != new_exclusive:
        tight = new_exclusive
        reported = (modes.constraint_tightened if tight else modes.constraint_loosened)(
            f"{new_kw} (was {old_kw})"
        )
        cmp.add(
            ChangeKind.CONSTRAINT_TIGHTENED if tight else ChangeKind.CONSTRAINT_LOOSENED,
            pointer,
            f"changing {old_kw} to {new_kw} at {where}",
            reported,
            old_kw,
            new_kw,
        )
    segment = new_kw if new_alts else old_kw
    pairs, removed, added = match(cmp, old_list, new_list, lone_pair=True)
    found: list[Change] = []
    for i, j in pairs:
        index = j if new_alts else i
        found.extend(cmp.sub_changes(old_list[i], new_list[j], f"{pointer}/{{{segment}[{index}]}}"))
    cmp.changes.extend(found)
    for i in removed:
        what = _describe(old_list[i], cmp.old)
        cmp.add(
            ChangeKind.TYPE_NARROWED,
            pointer,
            f"removing the alternative {what} at {where}",
            modes.alternative_removed(what),
            old_list[i],
            None,
        )
    for j in added:
        what = _describe(new_list[j], cmp.new)
        cmp.add(
            ChangeKind.TYPE_WIDENED,
            pointer,
            f"adding the alternative {what} at {where}",
            modes.alternative_added(what),
            None,
            new_list[j],
        )
    backward, forward = modes.reasons(found)
    if new_exclusive and not (reported and reported.backward) and (forward or added):
        cmp.add(
            ChangeKind.CONSTRAINT_TIGHTENED,
            pointer,
            f"widening a member of the oneOf at {where}",
            modes.one_of_overlap(new_side=True),
        )
    if old_exclusive and not (reported and reported.forward) and (backward or removed):
        cmp.add(
            ChangeKind.CONSTRAINT_LOOSENED,
            pointer,
            f"narrowing a member of the oneOf at {where}",
            modes.one_of_overlap(new_side=False),
        )


def match(
    cmp: Comparer, old: list, new: list, *, lone_pair: bool
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair members: identical, then same $ref or title, then the pairs of overlapping types
    whose comparison finds the fewest breaking differences; a lone pair left is paired."""
    old_left, new_left = list(range(len(old))), list(range(len(new)))
    pairs: list[tuple[int, int]] = []
    keys = (
        lambda node, _r: canonical(node),
        lambda node, _r: node.get("$ref") if isinstance(node, dict) else None,
        lambda node, r: _resolved(node, r).get("title"),
    )
    for key in keys:
        for i in list(old_left):
            wanted = key(old[i], cmp.old)
            if wanted is None:
                continue
            found = next((j for j in new_left if key(new[j], cmp.new) == wanted), None)
            if found is not None:
                pairs.append((i, found))
                old_left.remove(i)
                new_left.remove(found)
    costs = sorted(
        (_cost(cmp, old[i], new[j]), i, j)
        for i in old_left
        for j in new_left
        if _may_overlap(_resolved(old[i], cmp.old), _resolved(new[j], cmp.new))
    )
    for _, i, j in costs:
        if i in old_left and j in new_left:
            pairs.append((i, j))
            old_left.remove(i)
            new_left.remove(j)
    if lone_pair and len(old_left) == 1 and len(new_left) == 1:
        pairs.append((old_left.pop(), new_left.pop()))
    return sorted(pairs), old_left, new_left


def _cost(cmp: Comparer, old: Any, new: Any) -> int:
    changes = cmp.sub_changes(old, new, "")
    return sum(bool(c.verdict.backward) + bool(c.verdict.forward) for c in changes)


# --- not, dependencies, propertyNames -------------------------------------------------------


def compare_applicators(cmp: Comparer, old: dict, new: dict, pointer: str) -> None:
    where = pointer or "the root"
    if "not" in old or "not" in new:
        # absent `not` excludes nothing, like `not: false`
        excluded = cmp.sub_changes(old.get("not", False), new.get("not", False), pointer)
        backward, forward = modes.reasons(excluded)
        verdict = modes.negation_changed(backward, forward)
        if verdict.backward or verdict.forward:
            cmp.add(
                _kind(verdict),
                pointer,
                f"changing 'not' at {where}",
                verdict,
                old.get("not"),
                new.get("not"),
            )
    for keyword in ("dependencies", "dependentRequired", "dependentSchemas"):
        old_deps, new_deps = old.get(keyword) or {}, new.get(keyword) or {}
        if not isinstance(old_deps, dict) or not isinstance(new_deps, dict):
            continue
        for trigger in {**old_deps, **new_deps}:
            _compare_dependency(
                cmp, old_deps.get(trigger), new_deps.get(trigger), trigger, keyword, pointer
            )
    if "propertyNames" in old or "propertyNames" in new:
        cmp.compare(
            old.get("propertyNames", True),
            new.get("propertyNames", True),
            f"{pointer}/{{propertyNames}}",
        )


def _compare_dependency(
    cmp: Comparer, old: Any, new: Any, trigger: str, keyword: str, pointer: str
) -> None:
    """If `trigger` is present: these names are required too (a list), or the object must
    match this schema. A missing entry requires nothing."""
    if old is None and new is None:
        return
    if isinstance(old, list | type(None)) and isinstance(new, list | type(None)):
        old_names, new_names = list(old or []), list(new or [])
        added = [n for n in new_names if n not in old_names]
        removed = [n for n in old_names if n not in new_names]
        where = f"{keyword} of {trigger!r} at {pointer or 'the root'}"
        if added:
            cmp.add(
                ChangeKind.CONSTRAINT_TIGHTENED,
                pointer,
                f"requiring {', '.join(map(repr, added))} with {where}",
                modes.dependency_added(trigger, added),
                old,
                new,
            )
        if removed:
            cmp.add(
                ChangeKind.CONSTRAINT_LOOSENED,
                pointer,
                f"no longer requiring {', '.join(map(repr, removed))} with {where}",
                modes.dependency_removed(trigger, removed),
                old,
                new,
            )
        return
    cmp.compare(_as_schema(old), _as_schema(new), f"{pointer}/{{{keyword}:{escape(str(trigger))}}}")


def _as_schema(dependency: Any) -> Any:
    if dependency is None:
        return True
    if isinstance(dependency, list):
        return {"required": dependency}
    return dependency


# --- helpers --------------------------------------------------------------------------------


def _all_disjoint(members: list, resolver: RefResolver) -> bool:
    nodes = [resolver.resolve(m)[0] for m in members]
    return all(
        _disjoint(nodes[i], nodes[j], resolver)
        for i in range(len(nodes))
        for j in range(i + 1, len(nodes))
    )


def _disjoint(a: Any, b: Any, resolver: RefResolver, depth: int = 0) -> bool:
    """True when no value can match both schemas (by type, const/enum or a required
    property whose schemas are disjoint); False when that is not proven."""
    if a is False or b is False:
        return True
    if not isinstance(a, dict) or not isinstance(b, dict) or depth > 4:
        return False
    if not _may_overlap(a, b):
        return True
    values_a, values_b = allowed_values(a), allowed_values(b)
    if (
        values_a is not None
        and values_b is not None
        and not {_value_key(v) for v in values_a} & {_value_key(v) for v in values_b}
    ):
        return True
    for values, other in ((values_a, b), (values_b, a)):
        types = schema_types(other)
        if (
            values is not None
            and types is not None
            and not any(_of_types(_json_type(v), types) for v in values)
        ):
            return True
    shared = _required(a) & _required(b)
    props_a, props_b = a.get("properties") or {}, b.get("properties") or {}
    return any(
        name in props_a
        and name in props_b
        and _disjoint(
            resolver.resolve(props_a[name])[0], resolver.resolve(props_b[name])[0], resolver,
            depth + 1,
        )
        for name in shared
    )  # fmt: skip


def _may_overlap(a: dict, b: dict) -> bool:
    """False when the two schemas' types share no value (an integer is also a number)."""
    types_a, types_b = schema_types(a), schema_types(b)
    if types_a is None or types_b is None:
        return True
    widened_a = types_a | ({"integer"} if "number" in types_a else set())
    widened_b = types_b | ({"integer"} if "number" in types_b else set())
    return bool(widened_a & widened_b)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _of_types(json_type: str, types: set[str]) -> bool:
    return json_type in types or (json_type == "integer" and "number" in types)


def _value_key(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"n:{float(value)!r}"
    return canonical(value)


def _required(node: dict) -> set[str]:
    required = node.get("required")
    return {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()


def _restricts_names(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    return any(node.get(k) not in (None, True, {}) for k in _OBJECT_OPENING)


def _alternatives(node: dict) -> tuple[str, list] | None:
    for keyword in ("oneOf", "anyOf"):
        if isinstance(node.get(keyword), list):
            return keyword, node[keyword]
    return None


def _only_union(node: dict) -> bool:
    """True when a schema is nothing but anyOf/oneOf (plus annotations)."""
    rest = {k for k in node if k not in ANNOTATIONS and not k.startswith("x-")}
    return rest <= {"anyOf", "oneOf", "discriminator"}


def _describe(node: Any, resolver: RefResolver) -> str:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return repr(node["$ref"].rsplit("/", 1)[-1])
    target = _resolved(node, resolver)
    if target.get("title"):
        return repr(target["title"])
    types = schema_types(target)
    return f"of type {'/'.join(sorted(types))}" if types else canonical(node)


def _resolved(node: Any, resolver: RefResolver) -> dict:
    target, _ = resolver.resolve(node)
    return target if isinstance(target, dict) else {}


def _kind(verdict: modes.Verdict) -> ChangeKind:
    if verdict.backward and verdict.forward:
        return ChangeKind.CONSTRAINT_CHANGED
    return ChangeKind.CONSTRAINT_TIGHTENED if verdict.backward else ChangeKind.CONSTRAINT_LOOSENED
