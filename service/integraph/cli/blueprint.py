"""``integraph validate | load | export | schema``: blueprint files in and out of the graph."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from integraph.blueprint.schema import blueprint_json_schema
from integraph.cli.output import console, err_console, is_terminal
from integraph.cli.session import run_in_context
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.knowledge.load import (
    LoadReport,
    export_blueprint,
    load_knowledge,
    validate_knowledge,
)
from integraph.limits import BlueprintLimits
from integraph.store.audit import AuditContext

PATHS = typer.Argument(..., help="Blueprint files or folders (read recursively).", exists=True)


def validate(paths: list[Path] = PATHS) -> None:
    """Check blueprint files without a database: every problem with file, line and field.

    References between blueprints in the paths are checked too; those into blueprints that
    are not (only in the graph) are checked when loading."""
    limits = BlueprintLimits.from_settings(load_settings())
    results = validate_knowledge(paths, limits=limits)
    for result in results.blueprints:
        for notice in result.notices:
            err_console.print(str(notice), markup=False, highlight=False, soft_wrap=True)
    for result in results.blueprints:
        landscape = result.landscape
        name = landscape.blueprint.id if landscape.blueprint else "(no blueprint section)"
        console.print(
            f"{name}: {landscape.count().total} elements in {result.files} files, no problems"
        )
    if results.unchecked:
        console.print(
            f"{results.unchecked} reference(s) into blueprints outside these paths: "
            "checked against the graph when loading"
        )


def load(
    paths: list[Path] = PATHS,
    prune: bool = typer.Option(
        False,
        "--prune",
        help="Delete elements of the loaded blueprints that are no longer in their files.",
    ),
    blueprint: list[str] = typer.Option(
        [],
        "--blueprint",
        "-b",
        help="Load only this blueprint of a knowledge-base folder (repeatable).",
    ),
) -> None:
    """Validate, then load blueprint files into the graph in one transaction (idempotent).

    The paths hold one blueprint, or several (a folder with a sub-folder per blueprint, as
    `integraph export` writes): all of them load in one transaction, each after those it uses.
    """
    only = blueprint or None
    audit = AuditContext.local("load")

    async def work(context: AppContext) -> list[LoadReport]:
        limits = BlueprintLimits.from_settings(context.settings)
        if not is_terminal():
            return await load_knowledge(
                context.store, paths, prune=prune, limits=limits, only=only, audit=audit
            )
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

            return await load_knowledge(
                context.store,
                paths,
                prune=prune,
                progress=progress,
                limits=limits,
                only=only,
                audit=audit,
            )

    for report in run_in_context(work):
        print_load_report(report)


def print_load_report(report: LoadReport) -> None:
    for notice in report.notices:
        err_console.print(str(notice), markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"loaded blueprint '{report.blueprint}': {report.elements} elements, "
        f"{report.relationships} relationships in {report.seconds:.1f} s\n"
        f"  created {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged}, deleted {report.deleted}"
        + (
            "\n  the files are those of the last load: nothing parsed or written"
            if report.files_unchanged
            else ""
        )
    )


def export(
    out_dir: Path = typer.Argument(..., help="Folder to write the blueprint files into."),
    blueprint: str | None = typer.Option(
        None, "--blueprint", "-b", help="Export only this blueprint (default: all)."
    ),
) -> None:
    """Write blueprints from the graph back as files that load to the same graph."""

    reports = run_in_context(
        lambda context: export_blueprint(context.store, out_dir, blueprint=blueprint)
    )
    for report in reports:
        console.print(
            f"exported blueprint '{report.blueprint}': {report.elements} elements "
            f"into {len(report.files)} files under {report.files[0].parent}"
        )


def schema() -> None:
    """Print the JSON Schema of a blueprint file, for editors to validate and complete."""
    print(json.dumps(blueprint_json_schema(), indent=2, sort_keys=False))
