"""``integraph impact``: what a change to an element affects, and how."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.impact.blast import DEFAULT_LIMIT, BlastRadius, Direction, blast_radius
from integraph.knowledge.lookup import resolve_id


def impact(
    element_id: str = typer.Argument(
        ...,
        help="Id of the system, component, flow, contract, field, credential or policy that "
        "changes: its full identifier (landscape:crm), or its short id if one blueprint has it.",
    ),
    direction: Direction = typer.Option(
        Direction.DOWNSTREAM, "--direction", help="downstream (consumers), upstream, or both."
    ),
    depth: int = typer.Option(6, "--depth", min=1, max=20, help="Maximum number of flow hops."),
    limit: int = typer.Option(
        DEFAULT_LIMIT,
        "--limit",
        min=0,
        help="List at most this many affected elements (0: all); the counts cover all.",
    ),
    offset: int = typer.Option(
        0, "--offset", min=0, help="Skip this many affected elements first (the next page)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Blast radius of a change: every affected element with its effect and the path why."""
    if fmt not in ("text", "json"):
        raise ConfigurationError("--format must be text or json")

    async def work(context: AppContext) -> BlastRadius:
        target = await resolve_id(context.store, element_id)
        return await blast_radius(
            context.store,
            target,
            direction=direction,
            depth=depth,
            limit=limit or None,
            offset=offset,
        )

    result = run_in_context(work)
    if fmt == "json":
        data = asdict(result)
        del data["counts"]  # the same as the summary
        data["summary"] = result.summary()
        print(json.dumps(data, indent=2, default=str))
        return
    print(render_blast_text(result, paging_hint=True))


def render_blast_text(result: BlastRadius, *, paging_hint: bool = False) -> str:
    lines = [
        f"impact of a change to {result.kind} '{result.element}' "
        f"({result.direction}, depth {result.depth}): {result.total} affected"
    ]
    if result.environments:
        # Bound to environments (an instance of a broker per environment, a credential of
        # one): the change reaches those only. Unbound: every environment, production too.
        reach = "production included" if result.production else "no production"
        lines.append(f"in environments {', '.join(result.environments)} ({reach})")
    for item in result.affected:
        owner = f", team {item.team}" if item.team else ""
        tier = f", tier {item.tier}" if item.tier is not None else ""
        lines.append(
            f"  {item.effect:15} {item.kind:7} {item.id}  (depth {item.depth}, "
            f"{item.direction}{owner}{tier})"
        )
        for step in item.path:
            lines.append(
                f"      {step.source} -> {step.target} via {step.flow} "
                f"({step.pattern}: {step.effect})"
            )
    listed = len(result.affected)
    if listed == 0 and result.offset >= result.total > 0:
        lines.append(f"listed none of {result.total}: the offset {result.offset} is past the end")
    elif listed < result.total:
        line = f"listed {result.offset + 1}-{result.offset + listed} of {result.total}"
        if paging_hint and result.offset + listed < result.total:
            line += f"; the next ones: --offset {result.offset + listed}"
        lines.append(line)
    summary = result.summary()
    for key in ("effect", "team", "tier"):
        if summary[key]:
            counts = ", ".join(f"{k}: {v}" for k, v in summary[key].items())
            lines.append(f"by {key}: {counts}")
    return "\n".join(lines)
