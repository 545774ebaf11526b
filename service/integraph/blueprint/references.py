"""Checks across elements and files: duplicate ids, dangling references, cycles, consistency."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel

from integraph.blueprint.errors import BlueprintIssue, IssueKind
from integraph.blueprint.source import Located, RawElement
from integraph.blueprint.validate import ValidModels, issue
from integraph.model import (
    NOUNS,
    Blueprint,
    Component,
    Consistency,
    Contract,
    Decision,
    Flow,
    Waiver,
    field_id,
    operation_id,
    review_id,
    split_reference,
    version_id,
)
from integraph.model.contracts import ContractVersion, Field, FieldPart, type_resolver

ANY = ("*",)
"""Any id: elements, contract versions, fields, reviews."""
BLUEPRINTS = ("blueprint",)
"""A blueprint's own id (the entries of `uses:`)."""
VERSIONS = ("versions",)
OPERATIONS = ("operations",)
FIELDS = ("fields",)
"""Contract versions, operations and fields, derived ids of a contract in a used blueprint."""

REFERENCES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "blueprint": (("owner", ("teams",)), ("scope", ANY)),
    "systems": (("owner", ("teams",)),),
    "components": (
        ("owner", ("teams",)),
        ("part_of", ("components",)),
        ("instance_of", ("components",)),
        ("environments", ("environments",)),
    ),
    "contracts": (("owner", ("teams",)),),
    "flows": (
        ("source", ("systems",)),
        ("target", ("systems",)),
        ("via", ("components",)),
        ("contract", ("contracts",)),
        ("credential", ("credentials",)),
        ("receiver_credential", ("credentials",)),
        ("compensated_by", ("flows",)),
    ),
    "policies": (("applies_to", ("flows", "components")), ("dlq", ("components",))),
    "credentials": (
        ("held_by", ("systems",)),
        ("towards", ("components",)),
        ("environments", ("environments",)),
    ),
    "decisions": (("supersedes", ("decisions",)), ("governs", ANY)),
    "waivers": (("element", ANY), ("decision", ("decisions",))),
}
"""Per section: the fields holding ids, and the sections those ids may belong to."""

ITEM_REFERENCES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "systems": (("endpoints", "environment", ("environments",)),),
    "credentials": (("permissions", "channel", ("components",)),),
}
"""Per section: list fields whose items hold an id under a key (a permission's channel may
instead be a pattern ending in `*`), and the sections those ids may belong to."""


@dataclass(frozen=True)
class ExternalReference:
    """A reference into a blueprint this one uses: checked against the graph (or the other
    blueprints of the same load) when loading, since the files alone cannot tell."""

    raw: RawElement
    at: Located
    field: str
    """The field it is written in (`source`, `versions[0].request[2].classification`)."""
    target: str
    """As written: `crm` (a short id none of this blueprint's elements has) or `landscape:crm`."""
    sections: tuple[str, ...]
    """The sections the target may belong to (`ANY` for any id)."""


@dataclass
class Registry:
    """Every id defined in the files: element ids by section, and all derived ids."""

    blueprint: str | None = None
    """The id of the blueprint the files describe, when they name one."""
    uses: frozenset[str] = frozenset()
    """The blueprints it builds on: references into them are external."""
    external: list[ExternalReference] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, RawElement] = field(default_factory=dict)
    derived: set[str] = field(default_factory=set)
    invalid: set[str] = field(default_factory=set)
    """Ids written as numbers, dates, ...: reported once where they are defined, and
    references to them (as text) are not reported again as dangling."""
    operations: dict[str, frozenset[str] | None] = field(default_factory=dict)
    """Operation names of each contract version by its id (None: could not be read)."""

    def knows(self, element_id: str) -> bool:
        return element_id in self.sections or element_id in self.derived


ContractShape = dict[str, frozenset[str] | None]
"""A contract's versions in order, each with its field keys (`request/card/pan`); None when
the fields could not be read (then no field is reported missing)."""


def check_references(
    elements: list[RawElement],
    valid: ValidModels,
    complete: bool = True,
    external: list[ExternalReference] | None = None,
) -> list[BlueprintIssue]:
    """Issues found across elements; dangling references only when every file was read.

    Elements that failed validation are checked too, on the values they hold that are
    well-formed (an id written as text, a list of them), so that every problem shows at once.
    References into the blueprints named in `uses:` cannot be checked here: they are
    appended to `external`, for the loader to check against the graph.
    """
    registry = Registry()
    issues = list(_duplicate_ids(elements, registry))
    issues.extend(_namespace(elements, registry))
    validated = {id(raw) for raw, _ in valid}
    invalid = [r for r in elements if id(r) not in validated and isinstance(r.node, dict)]
    shapes: dict[str, ContractShape] = {}
    for raw, model in valid:
        issues.extend(_derived_ids(raw, model, registry))
    contracts = {m.id: m for _, m in valid if isinstance(m, Contract)}
    for raw, model in valid:
        if isinstance(model, Contract):
            shape, found = _contract_shape(raw, model, contracts, registry)
            shapes[model.id] = shape
            issues.extend(found)
    for raw in invalid:
        shape = _raw_derived_ids(raw, registry)
        if shape is not None and raw.raw_id is not None:
            shapes.setdefault(raw.raw_id, shape)
    for raw, model in valid:
        if complete:
            issues.extend(_dangling(raw, model, registry))
        issues.extend(_consistency(raw, model, shapes, registry))
    for raw in invalid:
        if complete:
            issues.extend(_raw_dangling(raw, registry))
        if raw.section == "flows":
            issues.extend(_flow_versions(raw, shapes, registry))
    issues.extend(_cycles(valid))
    if external is not None:
        external.extend(registry.external)
    return issues


def _duplicate_ids(elements: list[RawElement], registry: Registry) -> Iterator[BlueprintIssue]:
    first_blueprint: RawElement | None = None
    for raw in elements:
        if raw.section == "blueprint":
            if first_blueprint is not None:
                first_at = f"{first_blueprint.at.file}:{first_blueprint.at.line}"
                message = f"a second blueprint section; the first is at {first_at}"
                yield issue(raw, raw.at, IssueKind.DUPLICATE_ID, message)
                continue
            first_blueprint = raw
        element_id = raw.raw_id
        if element_id is None:
            written = raw.node.get("id") if isinstance(raw.node, dict) else None
            if written is not None and not isinstance(written, dict | list):
                registry.invalid.add(str(written).lower() if written is True else str(written))
            continue
        if element_id in registry.sections:
            first = registry.definitions[element_id]
            message = (
                f"id '{element_id}' is already used by the {NOUNS[first.section]} defined at "
                f"{first.at.file}:{first.at.line}"
            )
            yield issue(raw, raw.locate(("id",)), IssueKind.DUPLICATE_ID, message, "id")
            continue
        registry.sections[element_id] = raw.section
        registry.definitions[element_id] = raw


def _derived_ids(raw: RawElement, model: BaseModel, registry: Registry) -> Iterator[BlueprintIssue]:
    if isinstance(model, Blueprint):
        registry.derived.update(review_id(model.id, i) for i in range(len(model.reviews)))
    if not isinstance(model, Contract):
        return
    seen_versions: set[str] = set()
    for i, version in enumerate(model.versions):
        loc = ("versions", i)
        if version.version in seen_versions:
            message = f"version '{version.version}' is listed twice"
            at = raw.locate((*loc, "version"))
            yield issue(raw, at, IssueKind.DUPLICATE_ID, message, f"versions[{i}].version")
            continue
        seen_versions.add(version.version)
        vid = version_id(model.id, version.version)
        registry.derived.add(vid)
        registry.operations[vid] = frozenset(o.name for o in version.operations)
        yield from _unique_names(raw, loc, "operations", [o.name for o in version.operations])
        yield from _unique_names(raw, loc, "types", [t.name for t in version.types])
        registry.derived.update(operation_id(vid, o.name) for o in version.operations)
        seen_keys: set[str] = set()
        for declared in version.declared_fields():
            if declared.key in seen_keys:
                message = f"field '{declared.key}' is listed twice in {vid}"
                at = raw.locate((*loc, *declared.loc, "path"))
                yield issue(raw, at, IssueKind.DUPLICATE_ID, message, _dotted(i, declared.loc))
            seen_keys.add(declared.key)
            registry.derived.add(f"{vid}#{declared.key}")


def _locate_in_list(raw: RawElement, loc: tuple[str | int, ...], value: object) -> Located:
    """Position of `value` in the list at `loc` (reference lists are re-sorted after parsing)."""
    node: object = raw.node
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
        elif isinstance(step, str) and isinstance(node, dict):
            node = node.get(step)
        else:
            return raw.locate(loc)
    if isinstance(node, list) and value in node:
        return raw.locate((*loc, node.index(value)))
    return raw.locate(loc)


def _dotted(version: int, loc: tuple[str | int, ...], leaf: str = "path") -> str:
    """`versions[0].operations[1].request[2].path` from a declared field's place."""
    text = f"versions[{version}]"
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return f"{text}.{leaf}"


def _unique_names(
    raw: RawElement, loc: tuple[str | int, ...], key: str, names: list[str]
) -> Iterator[BlueprintIssue]:
    seen: set[str] = set()
    noun = "operation" if key == "operations" else "type"
    for j, name in enumerate(names):
        if name in seen:
            at = raw.locate((*loc, key, j, "name"))
            message = f"{noun} '{name}' is defined twice in this version"
            yield issue(
                raw, at, IssueKind.DUPLICATE_ID, message, f"versions[{loc[1]}].{key}[{j}].name"
            )
        seen.add(name)


def _contract_shape(
    raw: RawElement, contract: Contract, contracts: dict[str, Contract], registry: Registry
) -> tuple[ContractShape, list[BlueprintIssue]]:
    """The field keys of each version (named types expanded), with the problems of its named
    type references: unknown types, and fields a type brings in that the version declares
    already."""
    shape: ContractShape = {}
    issues: list[BlueprintIssue] = []
    for i, version in enumerate(contract.versions):
        vid = version_id(contract.id, version.version)
        resolve = type_resolver(contracts, contract.id, version)
        declared = {d.key: d for d in version.declared_fields()}
        for d in declared.values():
            ref = d.field.ref
            if ref is not None and resolve(ref) is None:
                at = raw.locate(("versions", i, *d.loc, "ref"))
                issues.append(
                    issue(
                        raw,
                        at,
                        IssueKind.DANGLING_REFERENCE,
                        _unknown_type(ref, version, contracts),
                        _dotted(i, d.loc, "ref"),
                    )
                )
        for k, named in enumerate(version.types):
            for j, item in enumerate(named.fields):
                if item.ref is not None and resolve(item.ref) is None:
                    loc = ("versions", i, "types", k, "fields", j, "ref")
                    message = _unknown_type(item.ref, version, contracts)
                    issues.append(
                        issue(
                            raw,
                            raw.locate(loc),
                            IssueKind.DANGLING_REFERENCE,
                            message,
                            f"versions[{i}].types[{k}].fields[{j}].ref",
                        )
                    )
        keys: set[str] = set(declared)
        holder = None
        for item in version.expanded_fields(resolve):
            if item.expanded_from is None:
                holder = declared.get(item.key)
                continue
            if item.key in declared and holder is not None:
                at = raw.locate(("versions", i, *holder.loc, "ref"))
                message = (
                    f"type '{item.expanded_from}' brings in field '{item.key}', which {vid} "
                    "declares already: remove one of them"
                )
                issues.append(
                    issue(raw, at, IssueKind.DUPLICATE_ID, message, _dotted(i, holder.loc, "ref"))
                )
                continue
            keys.add(item.key)
            registry.derived.add(f"{vid}#{item.key}")
        shape[version.version] = frozenset(keys)
    return shape, issues


def _unknown_type(ref: str, version: ContractVersion, contracts: dict[str, Contract]) -> str:
    target, _, name = ref.rpartition("#")
    if not target:
        have = ", ".join(dict.fromkeys(t.name for t in version.types)) or "none"
        return (
            f"no type '{name}' in this version (its types: {have}); to use a type of another "
            "contract write <contract>@<version>#<type>"
        )
    other_id, _, other_version = target.partition("@")
    other = contracts.get(other_id)
    if other is None:
        return (
            f"no contract '{other_id}' in this blueprint (named types are shared within a "
            "blueprint)"
        )
    found = other.version(other_version)
    if found is None:
        have = ", ".join(v.version for v in other.versions) or "none"
        return f"contract '{other_id}' has no version '{other_version}' (versions: {have})"
    have = ", ".join(t.name for t in found.types) or "none"
    return f"{target} has no type '{name}' (its types: {have})"


def _texts(value: object) -> list[str]:
    """The well-formed ids in a raw value: the text, or the texts of a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _raw_versions(raw: RawElement) -> Iterator[tuple[int, str, dict[str, object]]]:
    """(index, version, mapping) of the raw versions of a contract that name a version."""
    versions = raw.node.get("versions")
    for i, version in enumerate(versions if isinstance(versions, list) else []):
        if isinstance(version, dict) and isinstance(version.get("version"), str):
            yield i, version["version"], version


def _raw_fields(version: dict[str, object]) -> Iterator[tuple[str, int, dict[str, object]]]:
    for part in FieldPart:
        items = version.get(part.value)
        for j, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield part.value, j, item


def _raw_derived_ids(raw: RawElement, registry: Registry) -> ContractShape | None:
    """Ids an element that failed validation still defines (versions, fields, reviews)."""
    element_id = raw.raw_id
    if element_id is None:
        return None
    if raw.section == "blueprint":
        reviews = raw.node.get("reviews")
        count = len(reviews) if isinstance(reviews, list) else 0
        registry.derived.update(review_id(element_id, i) for i in range(count))
    if raw.section != "contracts":
        return None
    shape: ContractShape = {}
    for _, version, mapping in _raw_versions(raw):
        vid = version_id(element_id, version)
        registry.derived.add(vid)
        keys: set[str] | None = set()
        operations = mapping.get("operations")
        names = (
            [o.get("name") for o in operations if isinstance(o, dict)]
            if isinstance(operations, list)
            else []
        )
        registry.derived.update(operation_id(vid, n) for n in names if isinstance(n, str))
        registry.operations.setdefault(vid, None)
        if operations or mapping.get("types"):
            keys = None  # operations' fields and named types: not read from a broken contract
        for part, _, item in _raw_fields(mapping):
            path = item.get("path")
            if isinstance(path, str):
                registry.derived.add(field_id(vid, part, path))
                if keys is not None:
                    keys.add(f"{part}{path}")
            else:
                keys = None
        shape.setdefault(version, None if keys is None else frozenset(keys))
    return shape


def _namespace(elements: list[RawElement], registry: Registry) -> Iterator[BlueprintIssue]:
    """Take the blueprint's id and `uses:` from its section (well-formed values only)."""
    raw = next((r for r in elements if r.section == "blueprint"), None)
    if raw is None or not isinstance(raw.node, dict):
        return
    registry.blueprint = raw.raw_id
    uses = _texts(raw.node.get("uses"))
    if registry.blueprint in uses:
        message = "a blueprint cannot use itself"
        yield issue(
            raw,
            raw.locate_item("uses", registry.blueprint),
            IssueKind.INVALID_VALUE,
            message,
            "uses",
        )
    registry.uses = frozenset(u for u in uses if u != registry.blueprint)
    for used in sorted(registry.uses):
        at = raw.locate_item("uses", used)
        registry.external.append(ExternalReference(raw, at, "uses", used, BLUEPRINTS))


def _is_external(target: str, registry: Registry) -> bool:
    """Whether a well-formed reference points into a blueprint this one uses."""
    namespace, _ = split_reference(target)
    if namespace is not None:
        return namespace != registry.blueprint and namespace in registry.uses
    return bool(registry.uses) and not registry.knows(target)


def _check(
    raw: RawElement,
    at: Located,
    name: str,
    target: str,
    sections: tuple[str, ...],
    registry: Registry,
) -> Iterator[BlueprintIssue]:
    """The issue of one reference, if any; references into used blueprints are put aside."""
    namespace, local = split_reference(target)
    if namespace is not None and namespace == registry.blueprint:
        target, namespace = local, None  # its own full identifier: a local reference
    if raw.section == "waivers" and name == "element" and _is_external(target, registry):
        message = (
            f"'{target}' is not an element of this blueprint: a waiver accepts findings of its "
            "own blueprint's elements; waive it in the blueprint that owns the element"
        )
        yield issue(raw, at, IssueKind.INVALID_VALUE, message, name)
        return
    if namespace is not None:
        if namespace in registry.uses:
            registry.external.append(ExternalReference(raw, at, name, target, sections))
            return
        uses = ", ".join(sorted(registry.uses)) or "none"
        message = (
            f"'{target}' is in blueprint '{namespace}', which this blueprint does not use "
            f"(add it to 'uses' in the blueprint section; uses: {uses})"
        )
        yield issue(raw, at, IssueKind.DANGLING_REFERENCE, message, name)
        return
    if registry.uses and not registry.knows(target) and target not in registry.invalid:
        registry.external.append(ExternalReference(raw, at, name, target, sections))
        return
    problem = _reference_problem(target, sections, registry)
    if problem is not None:
        yield issue(raw, at, IssueKind.DANGLING_REFERENCE, problem, name)


def _raw_dangling(raw: RawElement, registry: Registry) -> Iterator[BlueprintIssue]:
    """Dangling references of an element that failed validation, on its well-formed values."""
    for name, sections in REFERENCES.get(raw.section, ()):
        for target in _texts(raw.node.get(name)):
            yield from _check(raw, raw.locate_item(name, target), name, target, sections, registry)
    if raw.section != "contracts":
        return
    for i, _, mapping in _raw_versions(raw):
        for part, j, item in _raw_fields(mapping):
            target = item.get("classification")
            if not isinstance(target, str):
                continue
            at = raw.locate(("versions", i, part, j, "classification"))
            path = f"versions[{i}].{part}[{j}].classification"
            yield from _check(raw, at, path, target, ("classifications",), registry)


def _ids_of(model: BaseModel, name: str) -> list[str]:
    value = getattr(model, name, None)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _dangling(raw: RawElement, model: BaseModel, registry: Registry) -> Iterator[BlueprintIssue]:
    for name, sections in REFERENCES.get(raw.section, ()):
        for target in _ids_of(model, name):
            yield from _check(raw, raw.locate_item(name, target), name, target, sections, registry)
    if isinstance(model, Contract):
        for i, version in enumerate(model.versions):
            yield from _version_references(raw, i, version, registry)
    if isinstance(model, Flow) and model.reply is not None:
        for component in model.reply.via:
            at = _locate_in_list(raw, ("reply", "via"), component)
            yield from _check(raw, at, "reply.via", component, ("components",), registry)
    yield from _item_references(raw, registry)


def _item_references(raw: RawElement, registry: Registry) -> Iterator[BlueprintIssue]:
    """The references inside the items of a list field (`endpoints[k].environment`), read
    where they are written: those lists are re-sorted after parsing."""
    for name, key, sections in ITEM_REFERENCES.get(raw.section, ()):
        items = raw.node.get(name)
        for k, item in enumerate(items if isinstance(items, list) else []):
            target = item.get(key) if isinstance(item, dict) else None
            if isinstance(target, str) and not target.endswith("*"):  # `*`: a pattern
                at = raw.locate((name, k, key))
                yield from _check(raw, at, f"{name}[{k}].{key}", target, sections, registry)


def _version_references(
    raw: RawElement, i: int, version: ContractVersion, registry: Registry
) -> Iterator[BlueprintIssue]:
    """The classifications and entitled systems its fields name, the flows its operations
    call, and the idempotency key fields its operations give."""
    places: list[tuple[tuple[str | int, ...], Field]] = [
        (d.loc, d.field) for d in version.declared_fields()
    ]
    for k, named in enumerate(version.types):
        places += [(("types", k, "fields", j), item) for j, item in enumerate(named.fields)]
    for loc, item in places:
        if item.classification is not None:
            at = raw.locate(("versions", i, *loc, "classification"))
            path = _dotted(i, loc, "classification")
            yield from _check(raw, at, path, item.classification, ("classifications",), registry)
        for system in item.clear_for:
            at = _locate_in_list(raw, ("versions", i, *loc, "clear_for"), system)
            path = _dotted(i, loc, "clear_for")
            yield from _check(raw, at, path, system, ("systems",), registry)
    keys = {d.key for d in version.declared_fields()}
    for k, operation in enumerate(version.operations):
        loc = ("versions", i, "operations", k)
        for flow in operation.calls:
            at = _locate_in_list(raw, (*loc, "calls"), flow)
            path = f"versions[{i}].operations[{k}].calls"
            yield from _check(raw, at, path, flow, ("flows",), registry)
        key = operation.idempotency_key
        if key is not None and f"{operation.name}/{key}" not in keys and key not in keys:
            at = raw.locate((*loc, "idempotency_key"))
            message = (
                f"operation '{operation.name}' has no field '{key}' (give the key field "
                "relative to the operation, e.g. headers/Idempotency-Key, and declare it)"
            )
            path = f"versions[{i}].operations[{k}].idempotency_key"
            yield issue(raw, at, IssueKind.DANGLING_REFERENCE, message, path)


def _reference_problem(target: str, sections: tuple[str, ...], registry: Registry) -> str | None:
    if target in registry.invalid and target not in registry.sections:
        return None  # the element's id is reported where it is defined
    if sections == ANY:
        return None if registry.knows(target) else f"no element has id '{target}'"
    expected = " or ".join(NOUNS[s] for s in sections)
    found = registry.sections.get(target)
    if found in sections:
        return None
    if found is not None:
        return f"'{target}' is a {NOUNS[found]}, not a {expected}"
    return f"no {expected} has id '{target}'"


def _consistency(
    raw: RawElement, model: BaseModel, shapes: dict[str, ContractShape], registry: Registry
) -> Iterator[BlueprintIssue]:
    if isinstance(model, Flow):
        yield from _flow_consistency(raw, model, shapes, registry)
    if isinstance(model, Waiver) and model.element is None and model.fingerprint is None:
        message = "a waiver needs 'element' (an id) or 'fingerprint' (a finding fingerprint)"
        yield issue(raw, raw.at, IssueKind.MISSING_FIELD, message, "element")


def _flow_consistency(
    raw: RawElement, flow: Flow, shapes: dict[str, ContractShape], registry: Registry
) -> Iterator[BlueprintIssue]:
    if flow.max_staleness_seconds is not None and flow.consistency is not Consistency.EVENTUAL:
        message = "only allowed when consistency is eventual"
        at = raw.locate(("max_staleness_seconds",))
        yield issue(raw, at, IssueKind.INVALID_VALUE, message, "max_staleness_seconds")
    if flow.compensated_by is not None and flow.compensated_by == flow.id:
        message = "a flow cannot compensate itself: name the flow that undoes its effect"
        at = raw.locate(("compensated_by",))
        yield issue(raw, at, IssueKind.INVALID_VALUE, message, "compensated_by")
    yield from _flow_versions(raw, shapes, registry)


def _flow_versions(
    raw: RawElement, shapes: dict[str, ContractShape], registry: Registry
) -> Iterator[BlueprintIssue]:
    """The contract versions a flow names exist, and so do the fields it masks.

    Read from the flow's raw values, so a flow that failed validation is checked too. Those
    of a contract in a used blueprint are put aside for the loader.
    """
    node = raw.node
    contract_id = node.get("contract")
    contract_id = contract_id if isinstance(contract_id, str) else None
    if contract_id is not None and _is_external(contract_id, registry):
        _external_versions(raw, contract_id, registry)
        return
    if contract_id is not None and split_reference(contract_id)[0] == registry.blueprint:
        contract_id = split_reference(contract_id)[1]
    shape = shapes.get(contract_id) if contract_id is not None else None
    versions: dict[str, str] = {}
    for name in ("producer_version", "consumer_version"):
        version = node.get(name)
        if not isinstance(version, str):
            continue
        versions[name] = version
        at = raw.locate((name,))
        if node.get("contract") is None:
            message = "a contract version is given but the flow names no contract"
            yield issue(raw, at, IssueKind.INVALID_VALUE, message, name)
        elif shape is not None and version not in shape:
            known = ", ".join(shape) or "none"
            message = f"contract '{contract_id}' has no version '{version}' (versions: {known})"
            yield issue(raw, at, IssueKind.DANGLING_REFERENCE, message, name)
    yield from _flow_operations(raw, contract_id, versions, registry)
    masking = node.get("masking")
    if not masking or not isinstance(masking, list):
        return
    chosen = versions.get("producer_version") or versions.get("consumer_version")
    given = [node.get(n) for n in ("producer_version", "consumer_version")]
    if node.get("contract") is None or given == [None, None]:
        message = "masking names contract fields, so the flow needs a contract and a version"
        yield issue(raw, raw.locate(("masking",)), IssueKind.INVALID_VALUE, message, "masking")
        return
    if contract_id is None or chosen is None:
        return  # a contract or a version of the wrong type, reported by validation
    keys = shape.get(chosen) if shape is not None else None
    if keys is None:
        return
    vid = version_id(contract_id, chosen)
    seen: set[object] = set()
    for j, entry in enumerate(masking):
        key = entry.get("field") if isinstance(entry, dict) else None
        if not isinstance(key, str):
            continue
        at = raw.locate(("masking", j, "field"))
        if key in seen:
            message = f"field '{key}' is masked twice"
            yield issue(raw, at, IssueKind.DUPLICATE_ID, message, f"masking[{j}].field")
        elif key not in keys:
            message = f"contract version '{vid}' has no field '{key}'"
            yield issue(raw, at, IssueKind.DANGLING_REFERENCE, message, f"masking[{j}].field")
        seen.add(key)


def _flow_operations(
    raw: RawElement, contract_id: str | None, versions: dict[str, str], registry: Registry
) -> Iterator[BlueprintIssue]:
    """The operations a flow names exist in every contract version it names."""
    names = raw.node.get("operations")
    if not isinstance(names, list) or not names:
        return
    if contract_id is None or not versions:
        message = (
            "operations are those of a contract version: the flow needs a contract and a version"
        )
        yield issue(
            raw, raw.locate(("operations",)), IssueKind.INVALID_VALUE, message, "operations"
        )
        return
    for name in names:
        if not isinstance(name, str):
            continue
        for version in versions.values():
            vid = version_id(contract_id, version)
            known = registry.operations.get(vid)
            if known is None or name in known:
                continue
            have = ", ".join(sorted(known)) or "none"
            message = f"contract version '{vid}' has no operation '{name}' (operations: {have})"
            at = _locate_in_list(raw, ("operations",), name)
            yield issue(raw, at, IssueKind.DANGLING_REFERENCE, message, "operations")


def _external_versions(raw: RawElement, contract_id: str, registry: Registry) -> None:
    """The versions and masked fields a flow names of a contract in a used blueprint."""
    node = raw.node
    for name in ("producer_version", "consumer_version"):
        version = node.get(name)
        if isinstance(version, str):
            target = version_id(contract_id, version)
            registry.external.append(
                ExternalReference(raw, raw.locate((name,)), name, target, VERSIONS)
            )
    chosen = node.get("producer_version") or node.get("consumer_version")
    names = node.get("operations")
    if isinstance(chosen, str) and isinstance(names, list):
        for name in names:
            if isinstance(name, str):
                target = operation_id(version_id(contract_id, chosen), name)
                at = _locate_in_list(raw, ("operations",), name)
                registry.external.append(
                    ExternalReference(raw, at, "operations", target, OPERATIONS)
                )
    masking = node.get("masking")
    if not isinstance(chosen, str) or not isinstance(masking, list):
        return
    for j, entry in enumerate(masking):
        key = entry.get("field") if isinstance(entry, dict) else None
        if isinstance(key, str) and "/" in key:
            target = f"{version_id(contract_id, chosen)}#{key}"
            at = raw.locate(("masking", j, "field"))
            registry.external.append(
                ExternalReference(raw, at, f"masking[{j}].field", target, FIELDS)
            )


def _cycles(valid: ValidModels) -> Iterator[BlueprintIssue]:
    for kind, name in ((Decision, "supersedes"), (Component, "part_of")):
        owners = {m.id: raw for raw, m in valid if isinstance(m, kind)}
        edges = {
            m.id: [t for t in _ids_of(m, name) if t in owners]
            for raw, m in valid
            if isinstance(m, kind)
        }
        for loop in find_cycles(edges):
            start, successor = loop[0], loop[1] if len(loop) > 1 else loop[0]
            raw = owners[start]
            if len(loop) == 1:
                message = f"{NOUNS[raw.section]} '{start}' lists itself in '{name}'"
            else:
                message = f"'{name}' forms a loop: {' -> '.join([*loop, start])}"
            at = raw.locate_item(name, successor)
            yield issue(raw, at, IssueKind.REFERENCE_CYCLE, message, name)


def find_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of a directed graph once, as a path starting at its smallest id."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        # Tarjan's strongly connected components; chains here are short.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    loops = []
    for component in components:
        start = min(component)
        if len(component) == 1 and start not in edges.get(start, []):
            continue
        loop = [start]
        while True:
            following = sorted(n for n in edges[loop[-1]] if n in component)
            nxt = next((n for n in following if n not in loop), None)
            if nxt is None:
                break
            loop.append(nxt)
        loops.append(loop)
    return sorted(loops)
