"""Warm-up of the rule catalogue: Neo4j plans and runs every rule once, before a lint does.

A freshly started Neo4j has no query plans, and its planner and runtime run on a cold JVM:
that is most of the first lint after a start (on the seed, 48 s of a 48 s first lint; 1 s
warm). ``warm_up`` does it ahead, in two passes over the catalogue:

1. plan each rule (``EXPLAIN`` of the rule's own text with the parameters the lint will
   pass, so the plan the server caches is the one the lint looks up), in the reverse of the
   lint's order, so a lint started at once and the warm-up meet in the middle instead of
   planning the same rules twice;
2. then run each rule (read-only, the rows thrown away), which builds the executable plans,
   warms the runtime's compiled code and the page cache: a lint after that runs warm.

``start_warm_up`` runs it in the background of the application context that started the
embedded Neo4j: a command that does not lint is not delayed (the warm-up is cancelled when
its context closes), and one that lints finds the plans ready or being made. It never fails
a command: a rule that cannot be planned or run is reported by the lint itself.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress

from integraph.errors import IntegraphError
from integraph.lint.config import LintConfig
from integraph.lint.loading import Rule, load_rules
from integraph.store.driver import Store, Tx

PLAN_ONLY = "EXPLAIN "
"""Cypher's own prefix for planning a statement without running it."""

WARM_UP_TIMEOUT_S = 600.0
"""Per rule: planning on a cold JVM can take far longer than a lint's rule timeout, and the
warm-up runs in the background."""


async def warm_up(store: Store, rules: list[Rule], config: LintConfig, *, run: bool = True) -> int:
    """Have the server plan every rule (last first), then run them unless ``run`` is false;
    return how many rules were planned."""
    planned = 0
    for prefix in (PLAN_ONLY, "") if run else (PLAN_ONLY,):
        done = 0
        for rule in reversed(rules):
            # The lint's own parameters: the server caches a plan per statement and types.
            params: dict[str, object] = dict(config.parameters_of(rule))
            text = prefix + rule.query

            async def work(tx: Tx, text: str = text, params: dict[str, object] = params) -> None:
                await tx.run_text(text, params)

            try:
                await store.read_transaction(work, timeout_s=WARM_UP_TIMEOUT_S)
            except (IntegraphError, ValueError, TypeError):
                continue  # the lint reports a rule that cannot run
            done += 1
        planned = planned or done
    return planned


def start_warm_up(store: Store, config: LintConfig) -> asyncio.Task[int] | None:
    """Warm the catalogue up in the background; None when the catalogue cannot be read (the
    lint reports why)."""
    try:
        rules = load_rules()
    except IntegraphError:
        return None
    return asyncio.create_task(warm_up(store, rules, config), name="integraph-lint-warm-up")


async def stop_warm_up(task: asyncio.Task[int] | None) -> None:
    """Cancel a warm-up still running and wait until it has let go of its connection."""
    if task is None:
        return
    task.cancel()
    with suppress(asyncio.CancelledError, Exception):  # a warm-up never fails a command
        await task
