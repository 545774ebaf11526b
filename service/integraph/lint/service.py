"""``lint``: the one entry point every interface (CLI, API, scheduled audits) calls."""

from __future__ import annotations

import datetime
from pathlib import Path

from integraph.blueprint.parse import load_blueprint_files
from integraph.graph import to_graph
from integraph.knowledge.load import blueprint_id_of
from integraph.lint.config import LintConfig, load_lint_config
from integraph.lint.engine import Executor, GraphExecutor, ScratchExecutor, run_rules
from integraph.lint.findings import LintReport
from integraph.lint.loading import Rule, Severity, load_rules, select_rules
from integraph.store.driver import Store


def choose_rules(
    *,
    rule_dirs: list[Path] | None = None,
    ids: list[str] | None = None,
    areas: list[str] | None = None,
    tags: list[str] | None = None,
    min_severity: Severity = Severity.INFO,
    config: LintConfig | None = None,
) -> list[Rule]:
    """The catalogue (plus custom rule folders) narrowed by the given filters."""
    config = config or load_lint_config()
    return select_rules(
        load_rules(rule_dirs),
        ids=ids,
        areas=areas,
        tags=tags,
        min_severity=min_severity,
        severities=config.severity,
    )


async def lint(
    store: Store,
    rules: list[Rule],
    *,
    paths: list[Path] | None = None,
    config: LintConfig | None = None,
    baseline: set[str] | None = None,
    fail_on: Severity | None = Severity.ERROR,
    today: datetime.date | None = None,
) -> LintReport:
    """Lint what is loaded, or, with ``paths``, those files without changing the graph."""
    config = config or load_lint_config()
    executor: Executor
    if paths:
        landscape = load_blueprint_files(paths)
        blueprint = blueprint_id_of(landscape)
        budget = store.query_timeout_s + config.rule_timeout_s * max(1, len(rules))
        executor = ScratchExecutor(store, to_graph(landscape, blueprint), blueprint, budget)
    else:
        executor = GraphExecutor(store)
    try:
        return await run_rules(
            executor, rules, config, baseline=baseline, today=today, fail_on=fail_on
        )
    finally:
        await executor.close()
