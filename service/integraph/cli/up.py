"""``integraph up``: the main job, step by step, with what each step did."""

from __future__ import annotations

import time
from pathlib import Path

import typer

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
) -> None:
    """Start Neo4j (embedded unless NEO4J_URI is set), migrate, load the blueprints, lint."""
    began = time.monotonic()
    folder = blueprint or seed_dir()

    async def work(context: AppContext) -> UpReport:
        if context.migrations is not None:
            console.print(
                f"schema: {len(context.migrations.applied)} migrations applied, "
                f"{len(context.migrations.already_applied)} already there"
            )
        return await up(context, folder)

    report = run_in_context(work, schema="migrate")
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
    console.print(
        f"up in {time.monotonic() - began:.1f} s. Neo4j keeps running: explore with "
        "`integraph impact ID`, `integraph lineage pci`; stop it with `integraph db stop`"
    )
