"""What-if: preview a change set without changing anything.

A change set is a YAML file in the blueprint vocabulary::

    changeset:
      blueprint: retail-bank        # optional when only one blueprint is loaded
      description: Move card events to the new broker
    add:                            # whole elements, by section
      components: [{id: pulsar, kind: broker}]
    modify:                         # by section: id plus the fields that change (null removes)
      flows: [{id: card-authorised, via: [pulsar]}]
    remove: [old-broker]            # ids

The edits are applied in memory to the stored blueprint's content, validated with the same
checks as blueprint files, written over the stored blueprint in a scratch transaction that is
always rolled back, and linted there. The report says which findings would
appear and disappear, and the blast radius of every element the change set modifies or removes
(computed on the graph as it is) or adds (computed inside the scratch transaction).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from integraph.blueprint.content import landscape_content, validate_content
from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.references import ExternalReference
from integraph.bounded_yaml import read_located
from integraph.errors import IntegraphError
from integraph.graph import from_graph, to_graph
from integraph.impact.blast import BlastRadius, Direction, blast_radius_in
from integraph.knowledge.load import stored_blueprints
from integraph.knowledge.resolve import Pending, resolve_references
from integraph.limits import DEFAULT_LIMITS, BlueprintLimits
from integraph.lint.compare import compare_findings
from integraph.lint.config import LintConfig, load_lint_config
from integraph.lint.findings import Finding
from integraph.lint.rules import Rule
from integraph.lint.service import lint, lint_scratch, scratch_graph
from integraph.model import LIST_SECTIONS, NAMESPACE_SEPARATOR, Landscape, localize, qualify
from integraph.store.driver import Store, Tx
from integraph.store.writer import read_rows


class ChangeSetInvalid(IntegraphError):
    exit_code = 2


@dataclass
class ChangeSet:
    blueprint: str | None
    description: str | None
    add: dict[str, list[dict[str, Any]]]
    modify: dict[str, list[dict[str, Any]]]
    remove: list[str]

    @property
    def touched(self) -> list[str]:
        ids = [e["id"] for items in self.modify.values() for e in items] + self.remove
        return sorted(set(ids))

    @property
    def added(self) -> list[str]:
        return sorted({e["id"] for items in self.add.values() for e in items})


@dataclass
class WhatIfReport:
    blueprint: str
    changeset: ChangeSet
    appeared: list[Finding] = field(default_factory=list)
    disappeared: list[Finding] = field(default_factory=list)
    blast: list[BlastRadius] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)


def read_changeset(path: Path, *, limits: BlueprintLimits = DEFAULT_LIMITS) -> ChangeSet:
    """Parse a change set file, bounded like blueprint files (size, nesting, aliases, values);
    every problem is one line naming the file."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ChangeSetInvalid(
                f"{path}: the change set is {size:,} bytes; at most "
                f"{limits.max_file_bytes:,} are read (INTEGRAPH_BLUEPRINT_MAX_FILE_BYTES)"
            )
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ChangeSetInvalid(f"{path}: cannot read the change set: {exc}") from None
    try:
        data = read_located(text, limits)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ChangeSetInvalid(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except YAMLError as exc:
        raise ChangeSetInvalid(f"{path}: not valid YAML: {exc}") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ChangeSetInvalid(
            f"{path}: a change set is a mapping with the keys changeset, add, modify, remove"
        )
    unknown = sorted(str(k) for k in set(data) - {"changeset", "add", "modify", "remove"})
    if unknown:
        raise ChangeSetInvalid(f"{path}: unknown top-level key(s): {', '.join(unknown)}")
    head = data.get("changeset") or {}
    if not isinstance(head, dict):
        raise ChangeSetInvalid(
            f"{path}: 'changeset' is a mapping (blueprint, description), not a {_kind(head)}"
        )
    sections: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key in ("add", "modify"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise ChangeSetInvalid(f"{path}: '{key}' maps sections to lists of elements")
        for section, items in value.items():
            if section not in LIST_SECTIONS:
                raise ChangeSetInvalid(f"{path}: '{key}.{section}' is not a section")
            if not isinstance(items, list) or not all(
                isinstance(i, dict) and isinstance(i.get("id"), str) for i in items
            ):
                raise ChangeSetInvalid(f"{path}: '{key}.{section}' must list elements with ids")
        sections[key] = value
    remove = data.get("remove") or []
    if not isinstance(remove, list) or not all(isinstance(i, str) for i in remove):
        raise ChangeSetInvalid(f"{path}: 'remove' must be a list of element ids")
    blueprint, description = head.get("blueprint"), head.get("description")
    if blueprint is not None and not isinstance(blueprint, str):
        raise ChangeSetInvalid(f"{path}: 'changeset.blueprint' must be a blueprint id")
    return ChangeSet(
        blueprint=blueprint,
        description=None if description is None else str(description),
        add=sections["add"],
        modify=sections["modify"],
        remove=remove,
    )


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def apply_changeset(
    landscape: Landscape,
    changes: ChangeSet,
    *,
    origin: str,
    external: list[ExternalReference] | None = None,
) -> Landscape:
    """The landscape after the edits, validated with the same checks as blueprint files
    (its references into used blueprints appended to ``external``)."""
    content = copy.deepcopy(landscape_content(landscape))
    existing = {
        e["id"]: (section, e) for section in LIST_SECTIONS for e in content.get(section, [])
    }
    missing = [i for i in changes.touched if i not in existing]
    if missing:
        raise ChangeSetInvalid(f"the change set names unknown element(s): {', '.join(missing)}")
    for section, items in changes.modify.items():
        for edit in items:
            have_section, element = existing[edit["id"]]
            if have_section != section:
                raise ChangeSetInvalid(f"'{edit['id']}' is in {have_section}, not {section}")
            for key, value in edit.items():
                if value is None:
                    element.pop(key, None)
                else:
                    element[key] = value
    gone = set(changes.remove)
    for section in LIST_SECTIONS:
        kept = [e for e in content.get(section, []) if e["id"] not in gone]
        content[section] = kept + copy.deepcopy(list(changes.add.get(section, [])))
    try:
        return validate_content(
            content, origin=origin, sources=landscape.sources, external=external
        )
    except BlueprintInvalid as exc:
        problems = "; ".join(
            f"{i.element_kind or 'element'} '{i.element_id}' field '{i.field}': {i.message}"
            for i in exc.issues
        )
        raise ChangeSetInvalid(
            f"the blueprint after the change set is invalid: {problems}"
        ) from None


async def what_if(
    store: Store,
    changes: ChangeSet,
    rules: list[Rule],
    *,
    config: LintConfig | None = None,
    depth: int = 3,
    origin: str = "change set",
) -> WhatIfReport:
    """Findings that would appear or disappear, and the blast radius of the changed elements."""
    config = config or load_lint_config()
    blueprint = changes.blueprint or await _only_blueprint(store)
    rows = await store.read_transaction(lambda tx: read_rows(tx, blueprint))
    if not rows.nodes:
        raise ChangeSetInvalid(f"no blueprint '{blueprint}' in the graph")
    changes = _own_ids(changes, blueprint)
    external: list[ExternalReference] = []
    changed = apply_changeset(from_graph(rows), changes, origin=origin, external=external)
    resolved = await _resolve(store, blueprint, changed, external)
    report = WhatIfReport(blueprint=blueprint, changeset=changes)

    before = await lint(store, rules, config=config, fail_on=None)
    for element in changes.touched:
        full = qualify(blueprint, element)
        report.blast.append(
            await store.read_transaction(
                lambda tx, e=full: blast_radius_in(tx, e, Direction.DOWNSTREAM, depth)
            )
        )
    changed_rows = to_graph(changed, blueprint, resolved)
    async with scratch_graph(store, changed_rows, blueprint, rules, config, alone=False) as scratch:
        after = await lint_scratch(scratch, rules, config=config)
        for element in changes.added:
            tx = await scratch.transaction()
            full = qualify(blueprint, element)
            report.blast.append(await blast_radius_in(tx, full, Direction.DOWNSTREAM, depth))

    difference = compare_findings(before.findings, after.findings)
    report.appeared = difference.appeared
    report.disappeared = difference.disappeared
    report.rule_errors = sorted(
        {f"{e.rule_id}: {e.message}" for e in before.rule_errors + after.rule_errors}
    )
    return report


def _own_ids(changes: ChangeSet, blueprint: str) -> ChangeSet:
    """The change set with its blueprint's own full identifiers written short (as in its
    files); an element of another blueprint cannot be changed here."""

    def own(element_id: str) -> str:
        local = localize(blueprint, element_id)
        if NAMESPACE_SEPARATOR in local:
            raise ChangeSetInvalid(
                f"'{element_id}' is not an element of blueprint '{blueprint}': a change set "
                "changes one blueprint (changeset.blueprint)"
            )
        return local

    def edits(sections: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {
            section: [{**item, "id": own(item["id"])} for item in items]
            for section, items in sections.items()
        }

    return dataclasses.replace(
        changes,
        add=edits(changes.add),
        modify=edits(changes.modify),
        remove=[own(i) for i in changes.remove],
    )


async def _resolve(
    store: Store, blueprint: str, changed: Landscape, external: list[ExternalReference]
) -> dict[str, str]:
    """Full identifiers of the changed blueprint's references into the blueprints it uses."""
    if not external:
        return {}

    async def work(tx: Tx) -> dict[str, dict[str, str]]:
        rows = await tx.run("queries/knowledge/blueprint_uses")
        loaded = {row["id"]: row["uses"] for row in rows if row["id"] != blueprint}
        return await resolve_references(tx, [Pending(blueprint, changed, external)], loaded)

    try:
        resolved = await store.read_transaction(work)
    except BlueprintInvalid as exc:
        problems = "; ".join(f"field '{i.field}': {i.message}" for i in exc.issues)
        raise ChangeSetInvalid(
            f"the blueprint after the change set is invalid: {problems}"
        ) from None
    return resolved[blueprint]


async def _only_blueprint(store: Store) -> str:
    available = await stored_blueprints(store)
    if len(available) != 1:
        raise ChangeSetInvalid(
            "name the blueprint in the change set (changeset.blueprint); the graph holds "
            + (", ".join(available) if available else "none")
        )
    return available[0]
