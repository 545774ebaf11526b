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

The edits are applied to the stored blueprint, validated like files, written into a scratch
transaction that is always rolled back, and linted there. The report says which findings would
appear and disappear, and the blast radius of every element the change set modifies or removes
(computed on the graph as it is) or adds (computed inside the scratch transaction).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.errors import IntegraphError
from integraph.graph import from_graph, to_graph
from integraph.impact.blast import BlastRadius, Direction, _blast
from integraph.knowledge.load import stored_blueprints
from integraph.lint.config import LintConfig, load_lint_config
from integraph.lint.engine import GraphExecutor, ScratchExecutor, run_rules
from integraph.lint.findings import OPEN, Finding
from integraph.lint.rules import Rule
from integraph.model import LIST_SECTIONS, Landscape
from integraph.store.driver import Store
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


def read_changeset(path: Path) -> ChangeSet:
    """Parse a change set file; every structural problem names the file."""
    try:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise ChangeSetInvalid(f"{path}: cannot read the change set: {exc}") from None
    unknown = sorted(set(data) - {"changeset", "add", "modify", "remove"})
    if unknown:
        raise ChangeSetInvalid(f"{path}: unknown top-level key(s): {', '.join(unknown)}")
    head = data.get("changeset") or {}
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
    return ChangeSet(
        blueprint=head.get("blueprint"),
        description=head.get("description"),
        add=sections["add"],
        modify=sections["modify"],
        remove=remove,
    )


def apply_changeset(landscape: Landscape, changes: ChangeSet) -> Landscape:
    """The landscape after the edits, validated exactly like blueprint files."""
    yaml = YAML(typ="safe", pure=True)
    with tempfile.TemporaryDirectory(prefix="integraph-whatif-") as scratch:
        folder = Path(scratch)
        write_blueprint_files(landscape, folder)
        content: dict[str, Any] = {}
        for path in sorted(folder.glob("*.yaml")):
            content.update(yaml.load(path.read_text(encoding="utf-8")))
            path.unlink()
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
            content[section] = kept + list(changes.add.get(section, []))
        yaml_out = YAML()
        for key, value in content.items():
            if value:
                with (folder / f"{key}.yaml").open("w", encoding="utf-8") as handle:
                    yaml_out.dump({key: value}, handle)
        try:
            return load_blueprint_files([folder])
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
) -> WhatIfReport:
    """Findings that would appear or disappear, and the blast radius of the changed elements."""
    config = config or load_lint_config()
    blueprint = changes.blueprint or await _only_blueprint(store)
    rows = await store.read_transaction(lambda tx: read_rows(tx, blueprint))
    if not rows.nodes:
        raise ChangeSetInvalid(f"no blueprint '{blueprint}' in the graph")
    changed = apply_changeset(from_graph(rows), changes)
    report = WhatIfReport(blueprint=blueprint, changeset=changes)

    before = await run_rules(GraphExecutor(store), rules, config, fail_on=None)
    for element in changes.touched:
        report.blast.append(
            await store.read_transaction(
                lambda tx, e=element: _blast(tx, e, Direction.DOWNSTREAM, depth)
            )
        )
    budget = store.query_timeout_s + config.rule_timeout_s * max(1, len(rules))
    scratch = ScratchExecutor(store, to_graph(changed, blueprint), blueprint, budget, prune=True)
    try:
        after = await run_rules(scratch, rules, config, fail_on=None)
        for element in changes.added:
            tx = await scratch.transaction()
            report.blast.append(await _blast(tx, element, Direction.DOWNSTREAM, depth))
    finally:
        await scratch.close()

    def open_by_fingerprint(findings: list[Finding]) -> dict[str, Finding]:
        return {f.fingerprint: f for f in findings if f.status == OPEN}

    old, new = open_by_fingerprint(before.findings), open_by_fingerprint(after.findings)
    report.appeared = [
        new[k] for k in sorted(new.keys() - old.keys(), key=lambda k: new[k].rule.id)
    ]
    report.disappeared = [
        old[k] for k in sorted(old.keys() - new.keys(), key=lambda k: old[k].rule.id)
    ]
    report.rule_errors = sorted(
        {f"{e.rule_id}: {e.message}" for e in before.rule_errors + after.rule_errors}
    )
    return report


async def _only_blueprint(store: Store) -> str:
    available = await stored_blueprints(store)
    if len(available) != 1:
        raise ChangeSetInvalid(
            "name the blueprint in the change set (changeset.blueprint); the graph holds "
            + (", ".join(available) if available else "none")
        )
    return available[0]
