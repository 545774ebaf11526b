"""``integraph validate | load | export | schema``: blueprint files in and out of the graph."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from integraph.blueprint.parse import load_blueprint_files
from integraph.blueprint.schema import blueprint_json_schema
from integraph.cli.output import console, is_terminal
from integraph.config import load_settings
from integraph.knowledge.load import export_blueprint, load_blueprint
from integraph.store.connect import open_store

PATHS = typer.Argument(..., help="Blueprint files or folders (read recursively).", exists=True)


def validate(paths: list[Path] = PATHS) -> None:
    """Check blueprint files without a database: every problem with file, line and field."""
    landscape = load_blueprint_files(paths)
    count = sum(1 for _ in landscape.elements())
    name = landscape.blueprint.id if landscape.blueprint else "(no blueprint section)"
    console.print(f"{name}: {count} elements, no problems")


def load(
    paths: list[Path] = PATHS,
    prune: bool = typer.Option(
        False, "--prune", help="Delete elements of this blueprint that are no longer in the files."
    ),
) -> None:
    """Validate, then load blueprint files into the graph in one transaction (idempotent)."""

    async def run() -> None:
        store = await open_store(load_settings())
        try:
            if is_terminal():
                with Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                ) as bar:
                    task = bar.add_task("loading", total=None)

                    def progress(step: str, done: int, total: int) -> None:
                        bar.update(task, description=f"loading {step}", completed=done, total=total)

                    report = await load_blueprint(store, paths, prune=prune, progress=progress)
            else:
                report = await load_blueprint(store, paths, prune=prune)
        finally:
            await store.close()
        console.print(
            f"loaded blueprint '{report.blueprint}': {report.elements} elements, "
            f"{report.relationships} relationships in {report.seconds:.1f} s\n"
            f"  created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, deleted {report.deleted}"
        )

    asyncio.run(run())


def export(
    out_dir: Path = typer.Argument(..., help="Folder to write the blueprint files into."),
    blueprint: str | None = typer.Option(
        None, "--blueprint", "-b", help="Export only this blueprint (default: all)."
    ),
) -> None:
    """Write blueprints from the graph back as files that load to the same graph."""

    async def run() -> None:
        store = await open_store(load_settings())
        try:
            reports = await export_blueprint(store, out_dir, blueprint=blueprint)
        finally:
            await store.close()
        for report in reports:
            console.print(
                f"exported blueprint '{report.blueprint}': {report.elements} elements "
                f"into {len(report.files)} files under {report.files[0].parent}"
            )

    asyncio.run(run())


def schema() -> None:
    """Print the JSON Schema of a blueprint file, for editors to validate and complete."""
    print(json.dumps(blueprint_json_schema(), indent=2, sort_keys=False))
