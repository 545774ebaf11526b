"""``integraph audit``: lint runs stored with history (run, list, show, diff, history, prune)."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from integraph.audits import service
from integraph.audits.runs import RESOLVED, AuditFinding, AuditRun
from integraph.cli.lint import severity_option
from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.lint.config import load_lint_config
from integraph.lint.rules import Severity
from integraph.lint.service import choose_rules

app = typer.Typer(
    help="Scheduled audits: lint runs stored with new, persisting and resolved findings.",
    no_args_is_help=True,
)

FORMATS = ("text", "json", "markdown")


def _format(fmt: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if fmt not in allowed:
        raise ConfigurationError(f"--format must be one of {', '.join(allowed)}")
    return fmt


@app.command("run")
def run_command(
    blueprint: list[str] = typer.Option(
        [], "--blueprint", "-b", help="Audit only these blueprints (repeat); default: all."
    ),
    fail_on: str = typer.Option(
        "never",
        "--fail-on",
        help="Exit 1 on NEW open findings at or above: error|warning|info|never.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Run the rules once, store the run with its marks, alert, prune: for cron and CI."""
    _format(fmt)
    threshold = None if fail_on == "never" else severity_option(fail_on)
    config = load_lint_config()
    rules = choose_rules(config=config)

    async def work(context: AppContext) -> service.AuditOutcome:
        return await service.audit(
            context.store, context.settings, rules, blueprints=blueprint or None, config=config
        )

    outcome = run_in_context(work)
    found = outcome.run
    if fmt == "json":
        body = {
            **run_json(found),
            "deliveries": [
                {"webhook": d.webhook, "delivered": d.delivered, "attempts": len(d.attempts)}
                for d in outcome.deliveries
            ],
            "pruned": outcome.pruned,
        }
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
    else:
        print(run_line(found))
        for finding in found.marked("new", "reopened"):
            if finding.status == "open":
                print("  " + finding_line(finding))
        for delivery in outcome.deliveries:
            state = "delivered" if delivery.delivered else "NOT delivered"
            print(
                f"  alert to {delivery.webhook}: {state} after {len(delivery.attempts)} attempt(s)"
            )
        if outcome.pruned:
            print(f"  pruned {outcome.pruned} old run(s)")
    if found.status == "failed":
        raise typer.Exit(code=2)
    if threshold is not None and any(
        f.status == "open"
        and f.mark in ("new", "reopened")
        and Severity.parse(f.severity) >= threshold
        for f in found.findings
    ):
        raise typer.Exit(code=1)


@app.command("list")
def list_command(
    blueprint: list[str] = typer.Option([], "--blueprint", "-b", help="Runs of this scope."),
    every: bool = typer.Option(False, "--all", help="Runs of every scope."),
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many, newest first."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Stored runs, newest first."""
    _format(fmt)

    async def work(context: AppContext) -> list[AuditRun]:
        return await service.runs(
            context.store, blueprints=blueprint or None, limit=limit, every=every
        )

    found = run_in_context(work)
    if fmt == "json":
        sys.stdout.write(json.dumps([run_json(r) for r in found], indent=2) + "\n")
        return
    if not found:
        print("no audit runs yet (integraph audit run)")
    for item in found:
        print(run_line(item))


@app.command("show")
def show_command(
    run_id: str = typer.Argument(..., help="The run's id (integraph audit list)."),
    mark: list[str] = typer.Option(
        [], "--mark", "-m", help="Only findings so marked: new, persisting, reopened, resolved."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or markdown."),
) -> None:
    """One run: its status, counts, the rules that did not run, its findings."""
    _format(fmt, FORMATS)

    async def work(context: AppContext) -> tuple[AuditRun, list[dict[str, Any]]]:
        found = await service.run(context.store, run_id)
        return found, await service.deliveries(context.store, run_id)

    found, attempts = run_in_context(work)
    findings = [f for f in found.findings if not mark or f.mark in mark]
    if fmt == "json":
        body = {**run_json(found), "findings": [finding_json(f) for f in findings]}
        body["deliveries"] = attempts
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return
    if fmt == "markdown":
        sys.stdout.write(run_markdown(found, findings))
        return
    print(run_line(found))
    for problem in (*found.errors, *found.waiver_problems):
        print(f"  ! {problem}")
    for finding in findings:
        print("  " + finding_line(finding))
    for attempt in attempts:
        print(
            f"  alert {attempt['webhook']} attempt {attempt['attempt']}: {attempt['outcome']}"
            + (f" (HTTP {attempt['status']})" if attempt.get("status") else "")
        )


@app.command("diff")
def diff_command(
    before: str = typer.Argument(..., help="The earlier run."),
    after: str = typer.Argument(..., help="The later run."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or markdown."),
) -> None:
    """What changed between two runs: findings that appeared, disappeared or changed status."""
    _format(fmt, FORMATS)

    async def work(context: AppContext) -> service.RunDiff:
        return await service.diff(context.store, before, after)

    found = run_in_context(work)
    if fmt == "json":
        body = {
            "before": found.before.id,
            "after": found.after.id,
            "appeared": [finding_json(f) for f in found.appeared],
            "disappeared": [finding_json(f) for f in found.disappeared],
            "changed": [
                {**finding_json(c.after), "status_before": c.before.status} for c in found.changed
            ],
            "unchanged": found.unchanged,
        }
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return
    if fmt == "markdown":
        lines = [f"# Audit {found.before.id} → {found.after.id}", ""]
        for title, items in (("Appeared", found.appeared), ("Disappeared", found.disappeared)):
            lines += [f"## {title} ({len(items)})", ""]
            lines += [f"- {_md_finding(f)}" for f in items] or ["None."]
            lines.append("")
        lines += [f"## Changed status ({len(found.changed)})", ""]
        lines += [
            f"- {_md_finding(c.after)}: {c.before.status} → {c.after.status}" for c in found.changed
        ] or ["None."]
        lines += ["", f"{found.unchanged} finding(s) unchanged.", ""]
        sys.stdout.write("\n".join(lines))
        return
    print(
        f"{found.before.id} -> {found.after.id}: {len(found.appeared)} appeared, "
        f"{len(found.disappeared)} disappeared, {len(found.changed)} changed status, "
        f"{found.unchanged} unchanged"
    )
    for finding in found.appeared:
        print("  + " + finding_line(finding))
    for finding in found.disappeared:
        print("  - " + finding_line(finding))
    for change in found.changed:
        print(f"  ~ {finding_line(change.after)} (was {change.before.status})")


@app.command("history")
def history_command(
    fingerprint: str = typer.Argument(..., help="A finding's fingerprint."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """A finding across runs: when it appeared, was waived, reopened, resolved."""
    _format(fmt)

    async def work(context: AppContext) -> list[service.HistoryEntry]:
        return await service.history(context.store, fingerprint)

    entries = run_in_context(work)
    if fmt == "json":
        body = [{"run": run_json(e.run), "finding": finding_json(e.finding)} for e in entries]
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return
    if not entries:
        print(f"no run recorded finding {fingerprint}")
    for entry in entries:
        at = entry.run.started.strftime("%Y-%m-%d %H:%M:%SZ")
        print(f"{at}  {entry.run.id}  {entry.finding.mark:<10} {entry.finding.status}")


@app.command("prune")
def prune_command(
    keep: int | None = typer.Option(None, "--keep", help="Keep the newest N runs per scope."),
    days: int | None = typer.Option(None, "--days", help="Keep runs younger than D days."),
) -> None:
    """Delete old runs (in batches); without options, the settings' retention applies."""

    async def work(context: AppContext) -> int:
        settings = context.settings
        if keep is None and days is None:
            return await service.prune(
                context.store, keep=settings.audit_keep_runs, days=settings.audit_keep_days
            )
        return await service.prune(context.store, keep=keep, days=days)

    print(f"pruned {run_in_context(work)} run(s)")


def run_line(run: AuditRun) -> str:
    at = run.started.strftime("%Y-%m-%d %H:%M:%SZ")
    scope = ",".join(run.scope) or "all blueprints"
    counts = run.counts
    line = (
        f"{run.id}  {at}  {run.status:<8} {scope}: {counts.get('error', 0)} errors, "
        f"{counts.get('warning', 0)} warnings, {counts.get('info', 0)} info open; "
        f"{counts.get('new', 0)} new, {counts.get('reopened', 0)} reopened, "
        f"{counts.get('resolved', 0)} resolved"
    )
    if run.rules_not_run:
        line += f"; rules not run: {', '.join(run.rules_not_run)}"
    return line


def finding_line(f: AuditFinding) -> str:
    where = f" [{f.team}]" if f.team else ""
    return f"{f.mark:<10} {f.severity:<7} {f.rule} {f.element}{where}: {f.message} ({f.status})"


def _md_finding(f: AuditFinding) -> str:
    return f"**{f.rule}** `{f.element}` ({f.severity}, {f.team or 'no team'}): {f.message}"


def run_json(run: AuditRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "scope": list(run.scope),
        "started": run.started.isoformat(),
        "finished": run.finished.isoformat() if run.finished else None,
        "status": run.status,
        "catalogue": run.catalogue,
        "rules_not_run": list(run.rules_not_run),
        "errors": list(run.errors),
        "waiver_problems": list(run.waiver_problems),
        "previous": run.previous,
        "counts": run.counts,
    }


def finding_json(f: AuditFinding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "area": f.area,
        "severity": f.severity,
        "fingerprint": f.fingerprint,
        "element": f.element,
        "blueprint": f.blueprint,
        "team": f.team,
        "message": f.message,
        "status": f.status,
        "mark": f.mark,
    }


def run_markdown(run: AuditRun, findings: list[AuditFinding]) -> str:
    lines = [f"# Audit {run.id}", "", run_line(run), ""]
    for mark in ("new", "reopened", "persisting", RESOLVED):
        items = [f for f in findings if f.mark == mark]
        if items:
            lines += [f"## {mark.capitalize()} ({len(items)})", ""]
            lines += [f"- {_md_finding(f)}" for f in items]
            lines.append("")
    return "\n".join(lines)
