"""``up``: the main job on an open context: load a blueprint folder (the seed), then lint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from integraph.context import AppContext
from integraph.knowledge.load import LoadReport, load_blueprint
from integraph.lint.findings import LintReport
from integraph.lint.service import choose_rules, lint


@dataclass(frozen=True)
class UpReport:
    """What ``up`` did: the blueprint folder, its load (None when it held no files), the lint."""

    blueprint_dir: Path
    load: LoadReport | None
    lint: LintReport | None


async def up(context: AppContext, blueprint_dir: Path) -> UpReport:
    """Load ``blueprint_dir`` (pruning what it no longer holds) and lint the graph."""
    if not any(blueprint_dir.rglob("*.yaml")):
        return UpReport(blueprint_dir, None, None)
    loaded = await load_blueprint(context.store, [blueprint_dir], prune=True)
    rules = choose_rules(config=context.lint_config)
    findings = await lint(context.store, rules, config=context.lint_config, fail_on=None)
    return UpReport(blueprint_dir, loaded, findings)
