"""``integraph up``: the main job, step by step, with what each step did."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from integraph.api.serve import serve
from integraph.auth.principal import Role
from integraph.auth.tokens import create_token
from integraph.cli.output import console
from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.lint.reports import render
from integraph.resources import seed_dir
from integraph.up import UpReport, up


def up_command(
    blueprint: Path | None = typer.Option(
        None, "--blueprint", help="Blueprint folder to load (default: the example in seed/)."
    ),
    serve_api: bool = typer.Option(
        True, "--serve/--no-serve", help="End by serving the GraphQL API until Ctrl-C."
    ),
) -> None:
    """Start Neo4j (embedded unless NEO4J_URI is set), migrate, load the blueprints, lint,
    then serve the GraphQL API with a fresh admin token for the demo."""
    began = time.monotonic()
    folder = blueprint or seed_dir()

    async def work(context: AppContext) -> UpReport:
        if context.migrations is not None:
            console.print(
                f"schema: {len(context.migrations.applied)} migrations applied, "
                f"{len(context.migrations.already_applied)} already there"
            )
        report = await up(context, folder)
        _print(report, folder, began, serving=serve_api)
        if serve_api:
            created = await create_token(
                context.store,
                name=f"demo-admin-{datetime.now(UTC):%Y%m%d-%H%M%S}",
                role=Role.ADMIN,
                created_by="local:up",
            )
            await serve(context, on_ready=lambda url: _serving(url, created.token))
        return report

    run_in_context(work, schema="migrate")


def _serving(url: str, token: str) -> None:
    console.print(f"GraphQL API at {url}", markup=False, highlight=False)
    console.print(f"admin token for this demo (shown once): {token}", markup=False, highlight=False)
    console.print(
        f"try: curl -s {url} -H 'Authorization: Bearer {token}' -H 'Content-Type: "
        """application/json' -d '{"query":"{ systems(first: 5) { nodes { id name } } }"}'""",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print("serving until Ctrl-C", markup=False, highlight=False)


def _print(report: UpReport, folder: Path, began: float, *, serving: bool) -> None:
    if not report.loads:
        console.print(f"no blueprint files in {folder}: nothing to load")
    for loaded in report.loads:
        console.print(
            f"loaded blueprint '{loaded.blueprint}' from {folder}: {loaded.elements} "
            f"elements, {loaded.relationships} relationships (created {loaded.created}, "
            f"updated {loaded.updated}, deleted {loaded.deleted}) in {loaded.seconds:.1f} s"
        )
    if report.lint is not None:
        console.print(render(report.lint, "text"), markup=False, highlight=False, end="")
    if report.audit is not None:
        counts = report.audit.counts
        console.print(
            f"kept as audit run {report.audit.id} ({counts.get('new', 0)} new, "
            f"{counts.get('resolved', 0)} resolved since the last): `integraph audit show "
            f"{report.audit.id}`"
        )
    then = "serving the API next" if serving else "Neo4j keeps running"
    console.print(
        f"up in {time.monotonic() - began:.1f} s; {then}: explore with "
        "`integraph impact ID`, `integraph lineage pci`; stop Neo4j with `integraph db stop`"
    )
