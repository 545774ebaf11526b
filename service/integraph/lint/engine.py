"""The lint engine: runs rule queries read-only, one at a time, and builds the report.

Against the loaded graph each rule runs in its own read transaction with the rule timeout (the
server refuses writes there). For ``integraph lint PATH`` everything stored is
first hidden (deleted inside a scratch transaction that is always rolled back), the files are
written into it and the rules run there, so the files are judged alone; what-if writes its
edited blueprint over the stored one instead. A rule that fails in a scratch transaction
spoils it, so a fresh one is opened and the files written again before the next
rule. Either way a failing rule becomes a rule error and the others still run.

Rules whose check judges the other rules' findings (``checks.AFTER_FINDINGS``, e.g. GOV-01)
run last: the findings so far are placed (file, line, owning blueprint) and waivers applied
to them, and their check gets the findings themselves.
"""

from __future__ import annotations

import asyncio
import datetime
import time
from collections.abc import Awaitable, Callable, Collection
from contextlib import AsyncExitStack, suppress
from typing import Any

from integraph.errors import CypherError, DatabaseUnavailable, IntegraphError, QueryFailed
from integraph.lint.checks import AFTER_FINDINGS, CHECKS
from integraph.lint.config import LintConfig
from integraph.lint.findings import (
    BASELINED,
    OPEN,
    Finding,
    LintReport,
    Location,
    RuleError,
    RuleRun,
    fingerprint,
)
from integraph.lint.rules import Rule, Severity
from integraph.lint.waivers import apply_waivers
from integraph.store.driver import Row, Store, Tx


class RuleFailed(Exception):
    """A rule could not run; the message is reported as a rule error."""


class GraphExecutor:
    """Runs rules against what is loaded, each in its own read transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def run_rule(self, rule: Rule, params: dict[str, Any], timeout_s: float) -> list[Row]:
        async def work(tx: Tx) -> tuple[list[Row], bool]:
            return await tx.run_guarded(rule.query, params)

        try:
            rows, wrote = await asyncio.wait_for(
                self.store.read_transaction(work, timeout_s=timeout_s), timeout_s + 5
            )
        except CypherError as exc:
            raise RuleFailed(_cypher_message(exc)) from None
        except (TimeoutError, QueryFailed):
            raise RuleFailed(f"timed out after {timeout_s:.0f} s") from None
        if wrote:  # only reachable on servers that do not enforce read access mode
            raise RuleFailed("the rule changed the graph; rules must be read-only")
        return rows

    async def query(self, name: str, **params: Any) -> list[Row]:
        return await self.store.read(name, **params)

    async def close(self) -> None:
        return None


Prepare = Callable[[Tx], Awaitable[None]]
"""Fills a fresh scratch transaction with what to lint (hide, then write rows)."""


class ScratchExecutor:
    """Runs rules inside a rolled-back transaction that `prepare` filled (blueprint rows)."""

    def __init__(self, store: Store, prepare: Prepare, timeout_s: float) -> None:
        self.store = store
        self.prepare = prepare
        self.timeout_s = timeout_s
        self._stack: AsyncExitStack | None = None
        self._tx: Tx | None = None

    async def _ready(self) -> Tx:
        if self._tx is None:
            self._stack = AsyncExitStack()
            self._tx = await self._stack.enter_async_context(
                self.store.scratch_transaction(timeout_s=self.timeout_s)
            )
            await self.prepare(self._tx)
        return self._tx

    async def transaction(self) -> Tx:
        """The scratch transaction holding the rows (for other read-only questions)."""
        return await self._ready()

    async def close(self) -> None:
        stack, self._stack, self._tx = self._stack, None, None
        if stack is not None:
            # A spoilt transaction is gone either way; nothing was committed.
            with suppress(IntegraphError):
                await stack.aclose()

    async def run_rule(self, rule: Rule, params: dict[str, Any], timeout_s: float) -> list[Row]:
        tx = await self._ready()
        try:
            rows, wrote = await asyncio.wait_for(tx.run_guarded(rule.query, params), timeout_s)
        except CypherError as exc:
            await self.close()
            raise RuleFailed(_cypher_message(exc)) from None
        except (TimeoutError, QueryFailed):
            await self.close()
            raise RuleFailed(f"timed out after {timeout_s:.0f} s") from None
        if wrote:
            await self.close()  # throw the write away with its transaction
            raise RuleFailed("the rule changed the graph; rules must be read-only")
        return rows

    async def query(self, name: str, **params: Any) -> list[Row]:
        tx = await self._ready()
        return await tx.run(name, **params)


Executor = GraphExecutor | ScratchExecutor


async def run_rules(
    executor: Executor,
    rules: list[Rule],
    config: LintConfig,
    *,
    baseline: set[str] | None = None,
    today: datetime.date | None = None,
    fail_on: Severity | None = Severity.ERROR,
    blueprints: Collection[str] | None = None,
) -> LintReport:
    """Run ``rules`` and return the report: findings placed, waived, baselined, judged.

    ``blueprints``: report only the findings (and waiver problems) of those blueprints'
    elements; the rules still see the whole graph."""
    began = time.monotonic()
    day = today or datetime.date.today()
    findings: list[Finding] = []
    errors: list[RuleError] = []
    runs: list[RuleRun] = []
    waivers: list[Row] | None = None
    # sorted() is stable: rules keep their order, those judging findings move to the end
    for rule in sorted(rules, key=lambda r: r.check in AFTER_FINDINGS):
        severity = config.severity_of(rule)
        started = time.monotonic()
        try:
            params = config.parameters_of(rule)
            judges_findings = rule.check in AFTER_FINDINGS
            if judges_findings:
                if waivers is None:
                    waivers = await executor.query("queries/lint/waivers")
                await _place(executor, findings)  # waivers match by owning blueprint
                apply_waivers(findings, waivers, set(), day)  # statuses only: problems below
            rows = await executor.run_rule(rule, params, config.rule_timeout_s)
            if rule.check is not None:
                check_params = {**params, "findings": list(findings)} if judges_findings else params
                rows = CHECKS[rule.check](rows, check_params)
            found = [_finding(rule, severity, row) for row in rows]
        except RuleFailed as exc:
            errors.append(RuleError(rule.id, str(rule.path), str(exc)))
            runs.append(RuleRun(rule, severity, time.monotonic() - started, 0, str(exc)))
            continue
        except DatabaseUnavailable:
            raise
        except (QueryFailed, ValueError, TypeError, KeyError) as exc:
            errors.append(RuleError(rule.id, str(rule.path), str(exc)))
            runs.append(RuleRun(rule, severity, time.monotonic() - started, 0, str(exc)))
            continue
        findings.extend(found)
        runs.append(RuleRun(rule, severity, time.monotonic() - started, len(found)))

    await _place(executor, findings)
    if waivers is None:
        waivers = await executor.query("queries/lint/waivers")
    ran = {run.rule.id for run in runs if run.error is None}
    waiver_problems = apply_waivers(findings, waivers, ran, day)
    if blueprints is not None:
        chosen = set(blueprints)
        findings = [f for f in findings if f.blueprint in chosen]
        owners = {w["id"]: w.get("blueprint") for w in waivers}
        waiver_problems = [p for p in waiver_problems if owners.get(p.waiver) in chosen]
    for finding in findings:
        if finding.status == OPEN and baseline and finding.fingerprint in baseline:
            finding.status = BASELINED
    findings.sort(key=lambda f: (-f.severity, f.rule.area, f.rule.id, f.element, f.fingerprint))
    report = LintReport(findings, errors, waiver_problems, runs, time.monotonic() - began)
    _judge(report, config, fail_on)
    return report


def _finding(rule: Rule, severity: Severity, row: Row) -> Finding:
    element, message = row.get("element"), row.get("message")
    if not isinstance(element, str) or not isinstance(message, str):
        raise ValueError(
            f"rule {rule.id} must return an `element` id and a `message` per row, got {sorted(row)}"
        )
    related = tuple(str(r) for r in (row.get("related") or []) if r is not None)
    details = row.get("details") or {}
    if not isinstance(details, dict):
        details = {"value": details}
    return Finding(
        rule=rule,
        severity=severity,
        element=element,
        related=related,
        message=message,
        details=details,
        fingerprint=fingerprint(rule.id, element, related),
    )


async def _place(executor: Executor, findings: list[Finding]) -> None:
    """Give each finding not placed yet (no blueprint) its element's file, line, kind and
    blueprint."""
    findings = [f for f in findings if f.blueprint is None]
    ids = sorted({f.element for f in findings})
    if not ids:
        return
    where = {row["id"]: row for row in await executor.query("queries/lint/locations", ids=ids)}
    for finding in findings:
        row = where.get(finding.element)
        if row:
            finding.location = Location(row["file"], row["line"], row["kind"])
            finding.blueprint = row["blueprint"]


def _judge(report: LintReport, config: LintConfig, fail_on: Severity | None) -> None:
    counted: dict[str, int] = {}
    limits: dict[str, int] = {}
    for finding in report.open_findings:
        key = finding.rule.id if finding.rule.id in config.thresholds else finding.rule.area
        limit = config.threshold_of(finding.rule)
        if limit is not None:
            counted[key] = counted.get(key, 0) + 1
            limits[key] = limit
        elif fail_on is not None and finding.severity >= fail_on:
            counted["__severity__"] = counted.get("__severity__", 0) + 1
    reasons = []
    if counted.get("__severity__"):
        reasons.append(f"{counted['__severity__']} open finding(s) at or above {fail_on}")
    for key, count in sorted(counted.items()):
        if key != "__severity__" and count > limits[key]:
            reasons.append(f"{key}: {count} open finding(s), threshold {limits[key]}")
    if report.rule_errors and fail_on is not None:
        reasons.append(f"{len(report.rule_errors)} rule(s) could not run")
    report.failure_reasons = reasons
    report.failed = bool(reasons)


def _cypher_message(exc: CypherError) -> str:
    message = exc.message.splitlines()[0] if exc.message else str(exc)
    if "AccessMode" in exc.code:
        return f"the rule tried to write; rules must be read-only ({message})"
    return f"{exc.code}: {message}" if exc.code else message
