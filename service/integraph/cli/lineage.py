"""``integraph lineage``: where classified data goes and what protects it on each hop."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.impact.lineage import Lineage, classified_data_reaching, lineage
from integraph.knowledge.lookup import resolve_id


def lineage_command(
    subject: str = typer.Argument(
        ..., help="A field id (contract@version#part/path) or a classification id or category."
    ),
    into: bool = typer.Option(
        False, "--into", help="SUBJECT is a system: which classified data reaches it."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Data lineage: every system classified data reaches, and the missing duties per hop."""
    if fmt not in ("text", "json"):
        raise ConfigurationError("--format must be text or json")

    async def work(context: AppContext) -> Lineage:
        target = await resolve_id(context.store, subject)  # a category stays as it is
        if into:
            return await classified_data_reaching(context.store, target)
        return await lineage(context.store, target)

    result = run_in_context(work)
    if fmt == "json":
        data = asdict(result)
        data["gaps"] = len(result.gaps)
        print(json.dumps(data, indent=2, default=str))
        return
    print(render_lineage_text(result))


def render_lineage_text(result: Lineage) -> str:
    lines = [
        f"lineage of {result.kind} '{result.subject}': {len(result.hops)} hops, "
        f"{len(result.systems)} systems, {len(result.gaps)} hops with missing duties",
        f"  origins: {', '.join(result.origins) or '-'}",
    ]
    for hop in result.hops:
        mark = "MISSING " + ", ".join(hop.missing) if hop.missing else "ok"
        boundary = " crosses trust boundary;" if hop.crosses_boundary else ""
        lines.append(
            f"  [{hop.depth}] {hop.sender} -> {hop.receiver} via {hop.flow} "
            f"({', '.join(hop.contract_versions)};{boundary} "
            f"encryption {hop.encryption or 'none'}; "
            f"audit {'on' if hop.audit_logging else 'off'}): {mark}"
        )
        for item in hop.fields:
            lines.append(
                f"        {item.part}{item.path} [{item.classification or '-'}] "
                f"masking {item.masking or 'none'}"
                + (
                    " (the receiver is entitled to the clear value)"
                    if item.clear_for_receiver
                    else ""
                )
            )
    return "\n".join(lines)
