"""References across blueprints: what each one names in the blueprints it uses, checked
against the graph and against the other blueprints of the same load.

Inside its own files a blueprint names its elements by short id; an element of a blueprint
it uses (`uses: [landscape]`) by full identifier (`landscape:crm`) or by short id when exactly
one of the blueprints it uses has an element of the expected kind with that id. Resolving
turns every such reference into a full identifier, or reports it at its file and line: a
blueprint that is neither loaded nor in the same load, an element that does not exist or is
of another kind, a short id that two used blueprints both have, blueprints that use each
other in a loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue, IssueKind
from integraph.blueprint.references import (
    ANY,
    BLUEPRINTS,
    FIELDS,
    OPERATIONS,
    VERSIONS,
    ExternalReference,
    find_cycles,
)
from integraph.blueprint.validate import issue
from integraph.graph import SECTION_LABELS, NodeLabel
from integraph.model import (
    NAMESPACE_SEPARATOR,
    NOUNS,
    Landscape,
    operation_id,
    qualify,
    split_reference,
    version_id,
)
from integraph.store.driver import Tx

KIND_OF_LABEL: dict[str, str] = {label.value: section for section, label in SECTION_LABELS.items()}
KIND_OF_LABEL |= {
    NodeLabel.CONTRACT_VERSION.value: VERSIONS[0],
    NodeLabel.FIELD.value: FIELDS[0],
    NodeLabel.OPERATION.value: OPERATIONS[0],
    NodeLabel.BLUEPRINT.value: BLUEPRINTS[0],
    NodeLabel.REVIEW.value: "reviews",
}
"""The section (or derived kind) of each node label, as ExternalReference.sections names them."""
_NOUNS = NOUNS | {
    "versions": "contract version",
    "operations": "operation",
    "fields": "field",
    "reviews": "review",
}


@dataclass(frozen=True)
class Pending:
    """One blueprint of a load, read and validated, with its references into others."""

    blueprint: str
    landscape: Landscape
    external: list[ExternalReference]


def own_ids(landscape: Landscape) -> dict[str, str]:
    """Full identifier -> kind of everything a landscape defines (elements, versions, fields)."""
    assert landscape.blueprint is not None
    blueprint = landscape.blueprint.id
    ids: dict[str, str] = {blueprint: BLUEPRINTS[0]}
    for section, element in landscape.elements():
        ids[qualify(blueprint, element.id)] = section
        for version in getattr(element, "versions", []) if section == "contracts" else []:
            vid = version_id(element.id, version.version)
            ids[qualify(blueprint, vid)] = VERSIONS[0]
            for operation in version.operations:
                ids[qualify(blueprint, operation_id(vid, operation.name))] = OPERATIONS[0]
            for item in landscape.version_fields(element, version):  # type: ignore[arg-type]
                ids[qualify(blueprint, f"{vid}#{item.key}")] = FIELDS[0]
    return ids


async def resolve_references(
    tx: Tx, pending: list[Pending], loaded_uses: dict[str, list[str]]
) -> dict[str, dict[str, str]]:
    """Per blueprint of the load: each reference into another blueprint -> full identifier.

    `loaded_uses` is what the graph holds: blueprint id -> the blueprints it uses. Raises
    BlueprintInvalid with every problem, each at its file and line.
    """
    in_load = {p.blueprint: own_ids(p.landscape) for p in pending}
    problems: list[BlueprintIssue] = []
    # Which blueprints exist: those of the load, then those in the graph.
    known = set(in_load) | set(loaded_uses)
    for item in pending:
        for ref in item.external:
            if ref.sections == BLUEPRINTS and ref.target not in known:
                have = ", ".join(sorted(known - {item.blueprint})) or "none"
                message = (
                    f"uses blueprint '{ref.target}', which is neither loaded nor in this load "
                    f"(loaded or loading: {have}); load it first, or together"
                )
                problems.append(
                    issue(ref.raw, ref.at, IssueKind.DANGLING_REFERENCE, message, "uses")
                )
    problems.extend(_loops(pending, loaded_uses))
    if problems:
        raise BlueprintInvalid(problems)

    # The candidates of every reference, looked up in the load or (in one query) the graph.
    refs = list(_element_refs(pending))
    outside = {c for _, _, found in refs for c in found if _namespace(c) not in in_load}
    kinds = await _graph_kinds(tx, outside)
    for ids in in_load.values():
        kinds |= ids
    resolved: dict[str, dict[str, str]] = {p.blueprint: {} for p in pending}
    for item, ref, found in refs:
        full, problem = _choose(ref, found, kinds)
        if problem is not None:
            problems.append(
                issue(ref.raw, ref.at, IssueKind.DANGLING_REFERENCE, problem, ref.field)
            )
        elif full is not None:
            resolved[item.blueprint][ref.target] = full
    if problems:
        raise BlueprintInvalid(problems)
    return resolved


def _element_refs(pending: list[Pending]) -> Iterator[tuple[Pending, ExternalReference, list[str]]]:
    """Each reference to an element of another blueprint, with the full identifiers it may
    stand for (the `uses` entries themselves are checked apart)."""
    for item in pending:
        uses = item.landscape.blueprint.uses if item.landscape.blueprint else []
        for ref in item.external:
            if ref.sections != BLUEPRINTS:
                yield item, ref, _candidates(ref.target, uses)


def load_order(pending: list[Pending]) -> list[Pending]:
    """The blueprints of a load, each after those it uses (then by id)."""
    by_id = {p.blueprint: p for p in pending}
    order: list[Pending] = []
    placed: set[str] = set()

    def place(blueprint: str) -> None:
        if blueprint in placed or blueprint not in by_id:
            return
        placed.add(blueprint)  # loops were refused before
        item = by_id[blueprint]
        for used in item.landscape.blueprint.uses if item.landscape.blueprint else []:
            place(used)
        order.append(item)

    for blueprint in sorted(by_id):
        place(blueprint)
    return order


def _namespace(full_id: str) -> str:
    return split_reference(full_id)[0] or full_id


def _candidates(target: str, uses: Iterable[str]) -> list[str]:
    """The full identifiers a reference may stand for, in the order of `uses`."""
    namespace, local = split_reference(target)
    if namespace is not None:
        return [target]
    return [f"{used}{NAMESPACE_SEPARATOR}{local}" for used in uses]


def _choose(
    ref: ExternalReference, found: list[str], kinds: dict[str, str]
) -> tuple[str | None, str | None]:
    """(full identifier, None) for the one match of the right kind, or (None, problem)."""
    existing = [c for c in found if c in kinds]
    right = [c for c in existing if ref.sections == ANY or kinds[c] in ref.sections]
    if len(right) == 1:
        return right[0], None
    expected = "element" if ref.sections == ANY else " or ".join(_NOUNS[s] for s in ref.sections)
    if len(right) > 1:
        written = " or ".join(f"'{c}'" for c in right)
        return None, f"'{ref.target}' is in several blueprints it uses: write {written}"
    if existing:
        other = existing[0]
        return None, f"'{other}' is a {_NOUNS[kinds[other]]}, not a {expected}"
    places = ", ".join(sorted({_namespace(c) for c in found})) or "none"
    _, local = split_reference(ref.target)
    return None, f"no {expected} has id '{local}' in blueprint(s) {places}"


async def _graph_kinds(tx: Tx, ids: set[str]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5_000):
        rows = await tx.run("queries/knowledge/element_kinds", ids=ordered[start : start + 5_000])
        for row in rows:
            kinds[row["id"]] = KIND_OF_LABEL.get(row["label"], row["label"])
    return kinds


def _loops(pending: list[Pending], loaded_uses: dict[str, list[str]]) -> list[BlueprintIssue]:
    """Blueprints that use each other, in a loop: one issue per loop, at a `uses` entry."""
    edges = {name: list(uses) for name, uses in loaded_uses.items()}
    refs: dict[tuple[str, str], ExternalReference] = {}
    for item in pending:
        edges[item.blueprint] = []
        for ref in item.external:
            if ref.sections == BLUEPRINTS:
                edges[item.blueprint].append(ref.target)
                refs[(item.blueprint, ref.target)] = ref
    problems = []
    for loop in find_cycles(edges):
        for start, following in zip(loop, [*loop[1:], loop[0]], strict=True):
            ref = refs.get((start, following))
            if ref is not None:
                message = f"blueprints use each other in a loop: {' -> '.join([*loop, loop[0]])}"
                problems.append(issue(ref.raw, ref.at, IssueKind.REFERENCE_CYCLE, message, "uses"))
                break
    return problems


def check_offline(pending: list[Pending]) -> int:
    """Check, without a database, the references between the blueprints of `pending`; raise
    BlueprintInvalid for problems. Returns how many references point into blueprints outside
    them (checked when loading)."""
    in_load = {p.blueprint: own_ids(p.landscape) for p in pending}
    kinds: dict[str, str] = {}
    for ids in in_load.values():
        kinds |= ids
    problems = list(_loops(pending, {}))
    unchecked = 0
    for _, ref, found in _element_refs(pending):
        if any(_namespace(c) not in in_load for c in found):
            unchecked += 1
            continue
        _, problem = _choose(ref, found, kinds)
        if problem is not None:
            problems.append(
                issue(ref.raw, ref.at, IssueKind.DANGLING_REFERENCE, problem, ref.field)
            )
    if problems:
        raise BlueprintInvalid(problems)
    return unchecked
