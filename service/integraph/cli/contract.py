"""`integraph contract ...`: contract compatibility from the command line.

`diff` compares two schema files with no graph: exit 0 compatible, 1 incompatible, 2 bad input.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from integraph.compat import (
    CompatError,
    CompatibilityMode,
    CompatibilityReport,
    Difference,
    diff_schema_files,
)

app = typer.Typer(
    help="Check contract versions for compatibility.", no_args_is_help=True, add_completion=False
)

EXIT_COMPATIBLE, EXIT_INCOMPATIBLE, EXIT_BAD_INPUT = 0, 1, 2


@app.callback()
def contract() -> None:
    """Check contract versions for compatibility."""
    # A callback keeps `diff` a named subcommand even while it is the only one.


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("diff")
def diff(
    old: Annotated[Path, typer.Argument(help="The current schema file (JSON, YAML or .avsc).")],
    new: Annotated[Path, typer.Argument(help="The proposed schema file.")],
    mode: Annotated[
        CompatibilityMode,
        typer.Option("--mode", case_sensitive=False, help="Compatibility mode to check."),
    ] = CompatibilityMode.BACKWARD,
    output: Annotated[
        OutputFormat, typer.Option("--format", case_sensitive=False, help="text or json.")
    ] = OutputFormat.TEXT,
    deprecation_window: Annotated[
        int | None,
        typer.Option(
            "--deprecation-window",
            min=0,
            metavar="DAYS",
            help="Removing something deprecated at least this many days ago is not breaking.",
        ),
    ] = None,
) -> None:
    """Compare two schemas (JSON Schema, Avro, OpenAPI, AsyncAPI); exit 1 if incompatible."""
    try:
        report = diff_schema_files(old, new, mode=mode, deprecation_window_days=deprecation_window)
    except CompatError as exc:
        _fail(str(exc))
    except Exception as exc:  # a CI step needs one line and exit 2, never a traceback
        _fail(f"cannot compare {old} with {new}: {exc.__class__.__name__}: {exc}")
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(report))
    raise typer.Exit(EXIT_COMPATIBLE if report.compatible else EXIT_INCOMPATIBLE)


def render_text(report: CompatibilityReport) -> str:
    """The report as lines a producer can read in a CI log."""
    breaking = len(report.breaking)
    lines = [
        f"mode: {report.mode.value} ({report.family.value}); "
        f"{len(report.differences)} difference(s), {breaking} breaking"
    ]
    lines.extend(_render_difference(d) for d in report.differences)
    lines.append(f"compatible: {'true' if report.compatible else 'false'}")
    return "\n".join(lines)


def _render_difference(difference: Difference) -> str:
    head = f"- {difference.kind.value} {difference.pointer or '(root)'}"
    head += f" | breaking: {'yes' if difference.breaking else 'no'}"
    if difference.conflicts_with_version:
        head += f" | conflicts with version {difference.conflicts_with_version}"
    return f"{head}\n    {difference.reason}"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)
