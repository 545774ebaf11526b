"""``lint``: the one entry point every interface (CLI, API, scheduled audits) calls."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path

from integraph.graph import GraphRows, to_graph
from integraph.knowledge.load import blueprint_id_of, read_knowledge, write_pending
from integraph.knowledge.resolve import Pending
from integraph.lint.config import LintConfig, load_lint_config
from integraph.lint.engine import GraphExecutor, ScratchExecutor, run_rules
from integraph.lint.findings import LintReport
from integraph.lint.loading import Rule, Severity, load_rules, select_rules
from integraph.model import Landscape
from integraph.store.driver import Store, Tx
from integraph.store.writer import write_rows


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
    landscape: Landscape | None = None,
    config: LintConfig | None = None,
    baseline: set[str] | None = None,
    fail_on: Severity | None = Severity.ERROR,
    today: datetime.date | None = None,
    blueprints: Collection[str] | None = None,
    knowledge: list[Pending] | None = None,
) -> LintReport:
    """Lint what is loaded, or exactly the files at ``paths`` (or blueprints already read
    from files, ``knowledge``, or one landscape): then only the blueprints they use are seen
    besides them, and the graph is untouched. ``blueprints`` narrows the report to those
    blueprints' findings (for files: which of their blueprints to lint)."""
    config = config or load_lint_config()
    if paths and knowledge is None and landscape is None:
        knowledge = read_knowledge(paths, only=blueprints)
    if landscape is not None:
        blueprint = blueprint_id_of(landscape)
        return await lint_rows(
            store,
            to_graph(landscape, blueprint),
            blueprint,
            rules,
            config=config,
            baseline=baseline,
            fail_on=fail_on,
            today=today,
        )
    if knowledge is not None:
        pending = knowledge
        async with scratch_knowledge(store, pending, rules, config) as scratch:
            return await run_rules(
                scratch,
                rules,
                config,
                baseline=baseline,
                today=today,
                fail_on=fail_on,
                blueprints=[p.blueprint for p in pending],
            )
    return await run_rules(
        GraphExecutor(store),
        rules,
        config,
        baseline=baseline,
        today=today,
        fail_on=fail_on,
        blueprints=blueprints,
    )


async def lint_rows(
    store: Store,
    rows: GraphRows,
    blueprint: str,
    rules: list[Rule],
    *,
    config: LintConfig | None = None,
    baseline: set[str] | None = None,
    fail_on: Severity | None = Severity.ERROR,
    today: datetime.date | None = None,
) -> LintReport:
    """Lint blueprint rows alone: nothing else that is loaded is seen, nothing is written.

    The rows are written into a transaction that first hides the rest of the graph and is
    always rolled back, so the result depends only on the rows, never on the database's state.
    """
    config = config or load_lint_config()
    async with scratch_graph(store, rows, blueprint, rules, config, alone=True) as scratch:
        return await run_rules(
            scratch, rules, config, baseline=baseline, today=today, fail_on=fail_on
        )


def _budget(store: Store, rules: list[Rule], config: LintConfig) -> float:
    return store.query_timeout_s + config.rule_timeout_s * max(1, len(rules))


@asynccontextmanager
async def scratch_graph(
    store: Store,
    rows: GraphRows,
    blueprint: str,
    rules: list[Rule],
    config: LintConfig,
    *,
    alone: bool,
) -> AsyncIterator[ScratchExecutor]:
    """A rolled-back transaction holding ``rows`` to lint (and query) in.

    ``alone``: the rows are the whole graph (lint of files). Otherwise they replace what is
    stored of their blueprint and the rest of the graph stays visible (what-if).
    """

    async def prepare(tx: Tx) -> None:
        if alone:
            await tx.run("queries/lint/hide_graph", keep=[])
        await write_rows(tx, rows, blueprint, prune=not alone)

    scratch = ScratchExecutor(store, prepare, _budget(store, rules, config))
    try:
        yield scratch
    finally:
        await scratch.close()


@asynccontextmanager
async def scratch_knowledge(
    store: Store, pending: list[Pending], rules: list[Rule], config: LintConfig
) -> AsyncIterator[ScratchExecutor]:
    """A rolled-back transaction holding blueprints read from files, over the stored
    blueprints they use (directly or not) and nothing else."""
    names = {p.blueprint for p in pending}

    async def prepare(tx: Tx) -> None:
        stored = {r["id"]: r["uses"] for r in await tx.run("queries/knowledge/blueprint_uses")}
        keep: set[str] = set()
        todo = [u for p in pending if p.landscape.blueprint for u in p.landscape.blueprint.uses]
        while todo:
            used = todo.pop()
            if used in keep or used in names:
                continue
            keep.add(used)
            todo.extend(stored.get(used, []))
        await tx.run("queries/lint/hide_graph", keep=sorted(keep))
        await write_pending(tx, pending)

    scratch = ScratchExecutor(store, prepare, _budget(store, rules, config))
    try:
        yield scratch
    finally:
        await scratch.close()


async def lint_scratch(
    scratch: ScratchExecutor,
    rules: list[Rule],
    *,
    config: LintConfig,
    fail_on: Severity | None = None,
) -> LintReport:
    """Lint inside a scratch graph opened with ``scratch_graph``."""
    return await run_rules(scratch, rules, config, fail_on=fail_on)
