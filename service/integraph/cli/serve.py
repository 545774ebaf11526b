"""``integraph serve``: the GraphQL API over HTTP (see README, "The GraphQL API")."""

from __future__ import annotations

import asyncio

import typer

from integraph.api.serve import graphql_url, serve, serve_workers
from integraph.audits.schedule import Schedule
from integraph.cli.output import err_console
from integraph.config import Settings, load_settings
from integraph.context import open_context


def serve_command(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (API_HOST)."),
    port: int | None = typer.Option(None, "--port", help="Port (API_PORT; 0: any free one)."),
    workers: int | None = typer.Option(None, "--workers", help="Processes (API_WORKERS)."),
    root_path: str | None = typer.Option(
        None, "--root-path", help="Path prefix behind a reverse proxy (API_ROOT_PATH)."
    ),
    audit_every: str | None = typer.Option(
        None,
        "--audit-every",
        help="Run scheduled audits: an interval (1h) or a cron expression (AUDIT_EVERY).",
    ),
) -> None:
    """Serve the GraphQL API (/graphql), health (/healthz, /readyz) and metrics (/metrics)."""
    overrides = {
        name: value
        for name, value in (
            ("api_host", host),
            ("api_port", port),
            ("api_workers", workers),
            ("api_root_path", root_path),
            ("audit_every", audit_every),
        )
        if value is not None
    }
    settings = load_settings(**overrides)
    if settings.audit_every:
        Schedule.parse(settings.audit_every)  # a bad schedule stops here, before serving
    if settings.api_workers > 1:
        serve_workers(settings)
        return
    asyncio.run(_serve_one(settings))


async def _serve_one(settings: Settings) -> None:
    async with open_context(settings, schema="migrate", notify=_note) as context:
        await serve(context, on_ready=lambda url: _note(f"GraphQL API at {url}"))


def _note(message: str) -> None:
    err_console.print(message, markup=False, highlight=False)


__all__ = ["graphql_url", "serve_command"]
