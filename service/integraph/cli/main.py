"""The ``integraph`` entry point: assembles the command groups and turns errors into one line."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

from integraph import __version__
from integraph.blueprint.errors import BlueprintInvalid
from integraph.cli import audit, blueprint, contract, db, lint, token
from integraph.cli.audit_trail import audit_trail_command
from integraph.cli.changes import contract_check, whatif
from integraph.cli.generate import generate
from integraph.cli.impact import impact
from integraph.cli.lineage import lineage_command
from integraph.cli.output import err_console
from integraph.cli.serve import serve_command
from integraph.cli.up import up_command
from integraph.errors import IntegraphError

app = typer.Typer(
    name="integraph",
    help="Integraph: design and check integration architecture blueprints in a graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.command("up")(up_command)
app.command("serve")(serve_command)
app.command("lint")(lint.lint_command)
app.add_typer(lint.rules_app, name="rules")
app.add_typer(contract.app, name="contract")
app.command("impact")(impact)
app.command("whatif")(whatif)
app.command("generate")(generate)
contract.app.command("check")(contract_check)
app.command("lineage")(lineage_command)
app.add_typer(token.app, name="token")
app.command("audit-trail")(audit_trail_command)
app.add_typer(audit.app, name="audit")
for command in (blueprint.validate, blueprint.load, blueprint.export, blueprint.schema):
    app.command()(command)


@app.command()
def version() -> None:
    """Print Integraph's version."""
    print(f"integraph {__version__}")


def run() -> None:
    """Console-script entry point: the one place where errors become messages and exit codes."""
    try:
        code = app(prog_name="integraph", standalone_mode=False)
    except TyperException as exc:  # a usage error: unknown option, missing argument...
        context = getattr(exc, "ctx", None)
        command = context.command_path if context is not None else "integraph"
        err_console.print(
            f"[bold red]error:[/] {exc.format_message()} (see `{command} --help`)",
            markup=True,
            soft_wrap=True,
            highlight=False,
        )
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(130)
    except IntegraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", markup=True, soft_wrap=True)
        sys.exit(exc.exit_code)
    except BlueprintInvalid as exc:
        err_console.print(str(exc), markup=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
