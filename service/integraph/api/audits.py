"""Scheduled audits inside `integraph serve`: the scheduler as a background task of the app.

With `INTEGRAPH_AUDIT_EVERY` set, the app's lifespan starts a `Scheduler` over the scope of
`INTEGRAPH_AUDIT_BLUEPRINTS` (every replica does; the lease in Neo4j gives each period to one
of them) and keeps `/metrics` showing the scope's latest runs: read at start, after each run
this process makes, and at each tick (so a replica that did not run shows what another did).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from integraph.api.metrics import ApiMetrics
from integraph.audits import service
from integraph.audits.runs import COMPLETE, AuditRun, scope_key
from integraph.audits.schedule import Schedule, Scheduler
from integraph.context import AppContext
from integraph.lint.config import load_lint_config
from integraph.lint.service import choose_rules

log = logging.getLogger("integraph.audits")


async def refresh(context: AppContext, metrics: ApiMetrics) -> None:
    """Show the scope's latest run and latest complete run on /metrics."""
    blueprints = context.settings.audit_blueprints or None
    recent = await service.runs(context.store, blueprints=blueprints, limit=20)
    latest = recent[0] if recent else None
    complete = next((r for r in recent if r.status == COMPLETE), None)
    metrics.show_audits(latest, complete)


@asynccontextmanager
async def scheduled_audits(context: AppContext, metrics: ApiMetrics) -> AsyncIterator[None]:
    """Run the audit schedule (if one is set) while the app serves."""
    settings = context.settings
    if not settings.audit_every:
        yield
        return
    schedule = Schedule.parse(settings.audit_every)
    blueprints = settings.audit_blueprints or None
    config = load_lint_config()
    rules = choose_rules(config=config)

    async def audit() -> AuditRun:
        outcome = await service.audit(
            context.store, settings, rules, blueprints=blueprints, config=config
        )
        metrics.audit_runs.labels(outcome.run.status).inc()
        for delivery in outcome.deliveries:
            outcome_label = "delivered" if delivery.delivered else "failed"
            metrics.alert_deliveries.labels(delivery.webhook, outcome_label).inc()
        return outcome.run

    scheduler = Scheduler(
        context.store,
        schedule,
        audit,
        scope_key=scope_key(blueprints),
        lease_s=settings.audit_lease_s,
    )

    async def loop() -> None:
        with suppress(Exception):
            await refresh(context, metrics)
        await scheduler.run_forever(
            on_tick=lambda: refresh(context, metrics),
        )

    task = asyncio.get_running_loop().create_task(loop())
    log.info("scheduled audits: %s (%s)", schedule.text, scope_key(blueprints))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
