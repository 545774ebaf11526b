"""``up``: the main job on an open context: load a blueprint folder (the seed), then lint,
keeping the lint as an audit run (so `integraph audit list` and the API's audits start with
one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from integraph.audits.runs import AuditRun, record_audit
from integraph.context import AppContext
from integraph.knowledge.load import LoadReport, load_knowledge
from integraph.lint.findings import LintReport
from integraph.lint.service import choose_rules, lint
from integraph.store.audit import AuditContext


@dataclass(frozen=True)
class UpReport:
    """What ``up`` did: the blueprint folder, the load of each of its blueprints (empty when
    it held no files), the lint."""

    blueprint_dir: Path
    loads: list[LoadReport]
    lint: LintReport | None
    audit: AuditRun | None = None


async def up(context: AppContext, blueprint_dir: Path) -> UpReport:
    """Load the blueprints of ``blueprint_dir`` (pruning what they no longer hold) and lint
    the graph."""
    if not any(blueprint_dir.rglob("*.yaml")):
        return UpReport(blueprint_dir, [], None)
    loaded = await load_knowledge(
        context.store, [blueprint_dir], prune=True, audit=AuditContext.local("up")
    )
    rules = choose_rules(config=context.lint_config)
    findings = await lint(context.store, rules, config=context.lint_config, fail_on=None)
    audit = await record_audit(context.store, findings, rules)
    return UpReport(blueprint_dir, loaded, findings, audit)
