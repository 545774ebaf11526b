"""``integraph contract check`` and ``integraph whatif``: previews of a change, nothing saved."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from integraph.cli.impact import render_blast_text
from integraph.cli.session import run_in_context
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.impact.contract_check import ContractCheck, check_contract
from integraph.impact.whatif import WhatIfReport, read_changeset, what_if
from integraph.knowledge.lookup import resolve_id
from integraph.limits import BlueprintLimits
from integraph.lint.service import choose_rules


def _format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise ConfigurationError("--format must be text or json")


def contract_check(
    contract_id: str = typer.Argument(..., help="Id of a loaded contract."),
    proposal: Path = typer.Argument(
        ..., exists=True, help="The proposed version: a field list (blueprint format) or a schema."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Check a proposed version against the stored contract; list the consumers it breaks."""
    _format(fmt)

    async def work(context: AppContext) -> ContractCheck:
        target = await resolve_id(context.store, contract_id)
        return await check_contract(context.store, target, proposal)

    check: ContractCheck = run_in_context(work)
    if fmt == "json":
        data = {
            "contract": check.contract,
            "mode": check.mode,
            "proposed": check.proposed,
            **check.report.to_dict(),
            "broken_consumers": [c.__dict__ for c in check.consumers],
        }
        print(json.dumps(data, indent=2, default=str))
    else:
        lines = [f"contract '{check.contract}' ({check.mode}), proposed {check.proposed}:"]
        for d in check.report.differences:
            verdict = "BREAKING" if d.breaking else "ok"
            earlier = (
                f" (conflicts with {d.conflicts_with_version})" if d.conflicts_with_version else ""
            )
            lines.append(f"  {verdict:8} {d.kind} {d.pointer}{earlier}\n           {d.reason}")
        if check.consumers:
            lines.append("consumers that would break:")
            for c in check.consumers:
                lines.append(
                    f"  {c.system} (team {c.team or '-'}) reads the {c.reads} of flow {c.flow}"
                    f", on version {c.uses_version or '?'}"
                )
        lines.append(f"compatible: {str(check.compatible).lower()}")
        print("\n".join(lines))
    if not check.compatible:
        raise typer.Exit(code=1)


def whatif(
    changeset: Path = typer.Argument(..., exists=True, help="A change set file (YAML)."),
    depth: int = typer.Option(3, "--depth", min=1, max=20, help="Blast radius depth."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Preview a change set: findings that appear and disappear, and its blast radius."""
    _format(fmt)
    changes = read_changeset(changeset, limits=BlueprintLimits.from_settings(load_settings()))

    async def work(context: AppContext) -> WhatIfReport:
        config = context.lint_config
        rules = choose_rules(config=config)
        return await what_if(
            context.store, changes, rules, config=config, depth=depth, origin=str(changeset)
        )

    report = run_in_context(work)

    def finding(f):  # type: ignore[no-untyped-def]
        return {
            "rule": f.rule.id,
            "severity": str(f.severity),
            "element": f.element,
            "message": f.message,
            "fingerprint": f.fingerprint,
        }

    if fmt == "json":
        from dataclasses import asdict

        print(
            json.dumps(
                {
                    "blueprint": report.blueprint,
                    "appeared": [finding(f) for f in report.appeared],
                    "disappeared": [finding(f) for f in report.disappeared],
                    "blast": [asdict(b) for b in report.blast],
                    "rule_errors": report.rule_errors,
                },
                indent=2,
                default=str,
            )
        )
        return
    lines = [f"what if, on blueprint '{report.blueprint}' (nothing is saved):"]
    lines.append(f"findings that would appear ({len(report.appeared)}):")
    lines += [f"  + {f.rule.id} {f.severity} {f.element}: {f.message}" for f in report.appeared]
    lines.append(f"findings that would disappear ({len(report.disappeared)}):")
    lines += [f"  - {f.rule.id} {f.severity} {f.element}: {f.message}" for f in report.disappeared]
    for blast in report.blast:
        lines.append(render_blast_text(blast))
    if report.rule_errors:
        lines.append("rule errors: " + "; ".join(report.rule_errors))
    print("\n".join(lines))
