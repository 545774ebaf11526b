"""The ``integraph`` entry point: assembles the command groups and turns errors into one line."""

from __future__ import annotations

import sys

import typer

from integraph import __version__
from integraph.cli import db
from integraph.cli.output import err_console
from integraph.cli.up import up
from integraph.errors import IntegraphError

app = typer.Typer(
    name="integraph",
    help="Integraph: design and check integration architecture blueprints in a graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.command("up")(up)


@app.command()
def version() -> None:
    """Print Integraph's version."""
    print(f"integraph {__version__}")


def run() -> None:
    """Console-script entry point: the one place where errors become messages and exit codes."""
    try:
        app(prog_name="integraph")
    except IntegraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", markup=True, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
