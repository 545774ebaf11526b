"""``integraph audit-trail``: who changed what, when and how, newest first."""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

import typer

from integraph.changes.audit_trail import AuditChange, AuditEntry, audit_trail
from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.knowledge.lookup import resolve_id

SHOWN_VALUE = 60
"""Characters of a changed value the text format shows."""


def audit_trail_command(
    element: str | None = typer.Option(
        None, "--element", "-e", help="Only changes of this element (full or unambiguous id)."
    ),
    blueprint: str | None = typer.Option(None, "--blueprint", "-b", help="Only this blueprint."),
    actor: str | None = typer.Option(None, "--actor", "-a", help="Only changes by this actor."),
    since: str | None = typer.Option(
        None, "--since", help="Only changes from this date or time on (ISO 8601; UTC if no zone)."
    ),
    limit: int = typer.Option(100, "--limit", "-n", help="At most this many entries."),
    before: str | None = typer.Option(
        None, "--before", help="Only entries older than this entry id (the next page)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """The audit trail: loads, element mutations, decisions, waivers and review steps."""
    if fmt not in ("text", "json"):
        raise ConfigurationError("--format must be text or json")
    moment = _since(since)

    async def work(context: AppContext) -> list[AuditEntry]:
        full = await resolve_id(context.store, element) if element else None
        return await audit_trail(
            context.store,
            element=full,
            blueprint=blueprint,
            actor=actor,
            since=moment,
            limit=limit,
            before_cursor=before,
        )

    entries = run_in_context(work)
    if fmt == "json":
        sys.stdout.write(json.dumps([_entry_json(e) for e in entries], indent=2) + "\n")
        return
    if not entries:
        print("no audit entries match")
        return
    for entry in entries:
        print(_entry_text(entry))
    if len(entries) == limit:
        print(f"(more may be older: --before {entries[-1].id})")


def _since(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"--since {text!r} is not an ISO 8601 date or time (2026-12-01, 2026-12-01T09:30)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _entry_text(entry: AuditEntry) -> str:
    at = entry.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    lines = [
        f"{at}  {entry.actor} ({entry.via})  {entry.operation}  {entry.blueprint}  "
        f"{entry.summary}  [{entry.id}]"
    ]
    if entry.comment:
        lines.append(f"    comment: {entry.comment}")
    for change in entry.changes:
        lines.append(f"    {change.change:8} {change.kind or '-':16} {change.element}")
        lines.extend(f"        {line}" for line in _difference_lines(change))
    if entry.truncated:
        shown = len(entry.changes)
        total = entry.created + entry.updated + entry.deleted
        lines.append(
            f"    ... {total - shown} more: {entry.created} created, {entry.updated} updated, "
            f"{entry.deleted} deleted in all (ids only beyond the first {shown})"
        )
    return "\n".join(lines)


def _difference_lines(change: AuditChange) -> list[str]:
    if change.change != "updated":
        return []
    lines = []
    for name, (old, new) in change.differences().items():
        if name == "relationships":
            lines.append("relationships changed")
        else:
            lines.append(f"{name}: {_short(old)} -> {_short(new)}")
    return lines


def _short(value: Any) -> str:
    text = "-" if value is None else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 3] + "..."


def _entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "via": entry.via,
        "operation": entry.operation,
        "blueprint": entry.blueprint,
        "summary": entry.summary,
        "comment": entry.comment,
        "created": entry.created,
        "updated": entry.updated,
        "deleted": entry.deleted,
        "truncated": entry.truncated,
        "changes": [
            {
                "element": c.element,
                "kind": c.kind,
                "change": c.change,
                "before": c.before,
                "after": c.after,
            }
            for c in entry.changes
        ],
    }
