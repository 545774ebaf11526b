"""JSON Schema objects: declared properties, the schemas for undeclared names
(`additionalProperties`, `patternProperties`, `unevaluatedProperties`) and the content model.

A property that appears or disappears is judged by its own schema against the one that governs
that name on the other side: the matching `patternProperties`, else `additionalProperties`
(true when absent, a schema, or false). So adding `{"type": "integer"}` where
`additionalProperties: {"type": "integer"}` already applied changes nothing, while adding it
to an open object breaks BACKWARD (old data may carry that name with any value).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from integraph.compat import modes
from integraph.compat.deprecation import deprecation_of
from integraph.compat.jsonschema_keywords import canonical
from integraph.compat.model import Change, ChangeKind, ContentModel
from integraph.compat.refs import ANNOTATIONS, RefResolver, escape


class Comparer(Protocol):
    """What the object and composition helpers need of the walk (jsonschema_diff.Comparer)."""

    old: RefResolver
    new: RefResolver
    hint: ContentModel | None
    changes: list[Change]

    def add(
        self,
        kind: ChangeKind,
        pointer: str,
        summary: str,
        verdict: modes.Verdict,
        old: Any = None,
        new: Any = None,
        **extra: Any,
    ) -> None: ...

    def compare(self, old: Any, new: Any, pointer: str) -> None: ...

    def sub_changes(self, old: Any, new: Any, pointer: str) -> list[Change]: ...


_OPENNESS = {ContentModel.CLOSED: 0, ContentModel.PARTIALLY_OPEN: 1, ContentModel.OPEN: 2}
_CATCH_ALLS = ("additionalProperties", "unevaluatedProperties")


def content_model(node: Any, hint: ContentModel | None = None) -> ContentModel:
    """Open, closed or partially open, per RULES.md; `hint` applies when the schema is silent."""
    if not isinstance(node, dict):
        return ContentModel.OPEN
    extra = _catch_all(node)
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


def rest_schema(node: dict, hint: ContentModel | None) -> Any:
    """The schema for names neither declared nor matching a pattern: true, false or a schema;
    None when only the contract's hint says "partially open" (which names, is unknown)."""
    extra = _catch_all(node)
    if extra is not None:
        return extra
    if hint is ContentModel.CLOSED:
        return False
    return None if hint is ContentModel.PARTIALLY_OPEN else True


def governing(node: dict, name: str, hint: ContentModel | None) -> tuple[Any, str]:
    """(schema, what it is) that `node` applies to an undeclared property `name`: the matching
    patternProperties, else the rest schema. What: "open", "closed", "unknown" or a keyword."""
    patterns = node.get("patternProperties")
    matching = [
        (p, s)
        for p, s in (patterns.items() if isinstance(patterns, dict) else [])
        if _match(p, name)
    ]
    if matching:
        schemas = [s for _, s in matching]
        return (
            schemas[0] if len(schemas) == 1 else {"allOf": schemas},
            f"patternProperties {matching[0][0]!r}",
        )
    rest = rest_schema(node, hint)
    if rest is None:
        return None, "unknown"
    if rest is True or rest == {}:
        return True, "open"
    if rest is False:
        return False, "closed"
    return rest, next((k for k in _CATCH_ALLS if k in node), "additionalProperties")


def compare_object(cmp: Comparer, old: dict, new: dict, pointer: str) -> None:
    _compare_catch_alls(cmp, old, new, pointer)
    old_props, new_props = _properties(old, cmp.hint), _properties(new, cmp.hint)
    old_req, new_req = _required(old), _required(new)
    removed = [n for n in old_props if n not in new_props]
    added = [n for n in new_props if n not in old_props]
    for old_name, new_name in _renames(cmp, old_props, new_props, removed, added):
        removed.remove(old_name)
        added.remove(new_name)
        old_ptr, new_ptr = _child(pointer, old_name), _child(pointer, new_name)
        verdict = modes.combined(
            _removed(cmp, old, new, old_name, old_props[old_name], old_name in old_req, old_ptr),
            _added(cmp, old, new, new_name, new_props[new_name], new_name in new_req, new_ptr),
        )
        cmp.add(
            ChangeKind.FIELD_RENAMED,
            old_ptr,
            f"renaming field {old_ptr} to {new_ptr}",
            verdict,
            old_ptr,
            new_ptr,
            note="rename candidate: a removed and an added field of the same shape",
        )
    for name in removed:
        child, required = _child(pointer, name), name in old_req
        deprecated, since = deprecation_of(_resolved(old_props[name], cmp.old))
        cmp.add(
            ChangeKind.FIELD_REMOVED,
            child,
            f"removing {'required' if required else 'optional'} field {child}",
            _removed(cmp, old, new, name, old_props[name], required, child),
            old_props[name],
            None,
            deprecated=deprecated,
            deprecated_since=since,
        )
    for name in added:
        child, required = _child(pointer, name), name in new_req
        cmp.add(
            ChangeKind.FIELD_ADDED,
            child,
            f"adding {'required' if required else 'optional'} field {child}",
            _added(cmp, old, new, name, new_props[name], required, child),
            None,
            new_props[name],
        )
    for name in old_props:
        if name not in new_props:
            continue
        child = _child(pointer, name)
        if name in old_req and name not in new_req:
            cmp.add(
                ChangeKind.REQUIRED_TO_OPTIONAL,
                child,
                f"making {child} optional",
                modes.required_to_optional(),
                True,
                False,
            )
        elif name in new_req and name not in old_req:
            cmp.add(
                ChangeKind.OPTIONAL_TO_REQUIRED,
                child,
                f"making {child} required",
                modes.optional_to_required(),
                False,
                True,
            )
        old_schema, old_patterned = _effective(old, name, old_props[name])
        new_schema, new_patterned = _effective(new, name, new_props[name])
        if old_patterned or new_patterned:  # a pattern applies to the name: the conjunctions
            cmp.compare(old_schema, new_schema, child)
        else:
            cmp.compare(old_props[name], new_props[name], child)


def _added(
    cmp: Comparer, old: dict, new: dict, name: str, schema: Any, required: bool, child: str
) -> modes.Verdict:
    """The new declaration against what the old schema applied to that name."""
    before, governed = governing(old, name, cmp.hint)
    backward: list[str] = []
    forward: list[str] = []
    if before is not None:
        backward, forward = modes.reasons(
            cmp.sub_changes(before, _effective(new, name, schema)[0], child)
        )
    return modes.property_added(
        name, required=required, governed=governed, backward=backward, forward=forward
    )


def _removed(
    cmp: Comparer, old: dict, new: dict, name: str, schema: Any, required: bool, child: str
) -> modes.Verdict:
    """The old declaration against what the new schema applies to that name."""
    after, governed = governing(new, name, cmp.hint)
    backward: list[str] = []
    forward: list[str] = []
    if after is not None:
        backward, forward = modes.reasons(
            cmp.sub_changes(_effective(old, name, schema)[0], after, child)
        )
    return modes.property_removed(
        name, required=required, governed=governed, backward=backward, forward=forward
    )


def _effective(node: dict, name: str, declared: Any) -> tuple[Any, bool]:
    """A declared property's schema together with the patternProperties that match its name."""
    patterns = node.get("patternProperties")
    if not isinstance(patterns, dict):
        return declared, False
    matching = [s for p, s in patterns.items() if _match(p, name)]
    if not matching:
        return declared, False
    return {"allOf": [declared, *matching]}, True


def _compare_catch_alls(cmp: Comparer, old: dict, new: dict, pointer: str) -> None:
    """Compare the schemas that govern undeclared property names."""
    old_model, new_model = content_model(old, cmp.hint), content_model(new, cmp.hint)
    old_rest, new_rest = rest_schema(old, cmp.hint), rest_schema(new, cmp.hint)
    keyword = next((k for k in _CATCH_ALLS if k in new or k in old), "additionalProperties")
    where = f"{pointer}/{{{keyword}}}"
    if old_model is not new_model:
        closing = _OPENNESS[new_model] < _OPENNESS[old_model]
        if old_rest is None or new_rest is None:  # the hint alone: the RULES.md table
            verdict = modes.content_model_closed() if closing else modes.content_model_opened()
        else:
            backward, forward = modes.reasons(cmp.sub_changes(old_rest, new_rest, where))
            verdict = modes.names_changed("undeclared properties", backward, forward)
        if verdict.backward or verdict.forward:
            cmp.add(
                ChangeKind.CONTENT_MODEL_CLOSED if closing else ChangeKind.CONTENT_MODEL_OPENED,
                pointer,
                f"changing the content model at {pointer or 'the root'} from {old_model.value} "
                f"to {new_model.value}",
                verdict,
                old_model.value,
                new_model.value,
            )
    elif old_rest is not None and new_rest is not None:
        cmp.compare(old_rest, new_rest, where)
    old_patterns = old.get("patternProperties") or {}
    new_patterns = new.get("patternProperties") or {}
    for pattern in {**old_patterns, **new_patterns}:
        child = f"{pointer}/{{patternProperties:{escape(pattern)}}}"
        if pattern in old_patterns and pattern in new_patterns:
            cmp.compare(old_patterns[pattern], new_patterns[pattern], child)
            continue
        # names matching the pattern fell to the rest schema on the side that lacks it
        before = old_patterns.get(pattern, old_rest)
        after = new_patterns.get(pattern, new_rest)
        if before is None or after is None:
            opening = (pattern in new_patterns) == (new_rest is False)
            verdict = modes.content_model_opened() if opening else modes.content_model_closed()
        else:
            backward, forward = modes.reasons(cmp.sub_changes(before, after, child))
            verdict = modes.names_changed(f"properties named like {pattern!r}", backward, forward)
            opening = not verdict.backward
        if not (verdict.backward or verdict.forward):
            continue
        verb = "adding" if pattern in new_patterns else "removing"
        cmp.add(
            ChangeKind.CONTENT_MODEL_OPENED if opening else ChangeKind.CONTENT_MODEL_CLOSED,
            child,
            f"{verb} the property pattern {pattern!r} at {pointer or 'the root'}",
            verdict,
            old_patterns.get(pattern),
            new_patterns.get(pattern),
        )


def _renames(
    cmp: Comparer, old_props: dict, new_props: dict, removed: list[str], added: list[str]
) -> list[tuple[str, str]]:
    """A removed and an added field of the same shape, each the other's only match."""
    candidates = [n for n in removed if not deprecation_of(_resolved(old_props[n], cmp.old))[0]]
    old_shapes = {n: _shape(old_props[n]) for n in candidates}
    new_shapes = {n: _shape(new_props[n]) for n in added}
    pairs = []
    for name, shape in old_shapes.items():
        matches = [a for a, s in new_shapes.items() if s == shape]
        if len(matches) == 1 and list(old_shapes.values()).count(shape) == 1:
            pairs.append((name, matches[0]))
    return pairs


def _properties(node: dict, hint: ContentModel | None) -> dict[str, Any]:
    """Declared properties, plus required names without a declaration (governed by the
    patterns or the rest schema)."""
    declared = node.get("properties")
    properties = dict(declared) if isinstance(declared, dict) else {}
    for name in _required(node):
        if name not in properties:
            schema, _ = governing(node, name, hint)
            properties[name] = {} if schema is None or schema is True else schema
    return properties


def _required(node: dict) -> set[str]:
    required = node.get("required")
    return {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()


def _catch_all(node: dict) -> Any:
    return node.get("additionalProperties", node.get("unevaluatedProperties"))


def _match(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:  # an ECMA-262 construct Python lacks: assume it matches (conservative)
        return True


def _shape(node: Any) -> str:
    """What a field looks like regardless of its name and documentation."""
    if isinstance(node, dict):
        node = {k: v for k, v in node.items() if k not in ANNOTATIONS and not k.startswith("x-")}
    return canonical(node)


def _resolved(node: Any, resolver: RefResolver) -> dict:
    target, _ = resolver.resolve(node)
    return target if isinstance(target, dict) else {}


def _child(pointer: str, name: str) -> str:
    return f"{pointer}/{escape(name)}"
