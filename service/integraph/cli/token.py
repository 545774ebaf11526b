"""``integraph token``: create, list and revoke the API tokens the server accepts.

The CLI acts as the local administrator (it holds the database credentials anyway); what it
creates or revokes is recorded as done by ``local:<OS user name>``.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

import typer
from rich.table import Table

from integraph.auth.principal import LOCAL_ADMIN, Role
from integraph.auth.tokens import (
    CreatedToken,
    TokenError,
    TokenInfo,
    create_token,
    list_tokens,
    revoke_token,
)
from integraph.cli.output import console, err_console
from integraph.cli.session import run_in_context
from integraph.context import AppContext
from integraph.errors import ConfigurationError

app = typer.Typer(help="Create, list and revoke API tokens (igt_...) for the API server.")

FORMAT = typer.Option("text", "--format", "-f", help="text or json.")


def local_actor() -> str:
    """Who is acting from this machine, for the record: ``local:<user>`` (``local`` alone when
    the OS cannot say)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        return LOCAL_ADMIN.name
    return f"{LOCAL_ADMIN.name}:{user}" if user else LOCAL_ADMIN.name


@app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="A name for the token, unique among live ones."),
    role: Role = typer.Option(
        ..., "--role", case_sensitive=False, help="reader, editor, approver or admin."
    ),
    blueprint: list[str] = typer.Option(
        [],
        "--blueprint",
        "-b",
        help="A blueprint an editor or approver token may change (repeatable; default: all).",
    ),
    expires: str | None = typer.Option(
        None, "--expires", help="The last day (UTC) it is valid, YYYY-MM-DD (default: never)."
    ),
    fmt: str = FORMAT,
) -> None:
    """Create a token and print it once: only a salted hash of it is stored.

    Only the token goes to stdout (TOKEN=$(integraph token create ...)); the rest to stderr."""
    _check_format(fmt)
    last_day = _date(expires) if expires is not None else None

    async def work(context: AppContext) -> CreatedToken:
        return await create_token(
            context.store,
            name=name,
            role=role,
            blueprints=blueprint or None,
            expires=last_day,
            created_by=local_actor(),
        )

    created = run_in_context(work)
    info = created.info
    if fmt == "json":
        print(json.dumps({"token": created.token, **token_json(info)}, indent=2))
    else:
        err_console.print(
            f"created API token '{info.name}' (id {info.id}): {info.role}, "
            f"blueprints {_scope(info)}, expires {_expiry(info)}",
            markup=False,
        )
        print(created.token)
    err_console.print(
        "This token is not shown again: keep it now (Integraph stores only a salted hash).",
        markup=False,
    )


@app.command("list")
def list_command(fmt: str = FORMAT) -> None:
    """Every API token, revoked and expired ones included; never a secret."""
    _check_format(fmt)

    async def work(context: AppContext) -> list[TokenInfo]:
        return await list_tokens(context.store)

    tokens = run_in_context(work)
    if fmt == "json":
        print(json.dumps([token_json(t) for t in tokens], indent=2))
        return
    if not tokens:
        console.print("no API tokens (create one with `integraph token create`)", markup=False)
        return
    table = Table("name", "id", "role", "blueprints", "created", "expires", "status", "last used")
    for token in tokens:
        table.add_row(
            token.name,
            token.id,
            token.role.value,
            _scope(token),
            _moment(token.created),
            _expiry(token),
            token.status(),
            _moment(token.last_used) if token.last_used else "-",
        )
    console.print(table)


@app.command("revoke")
def revoke(
    name_or_id: str = typer.Argument(..., help="The token's id, or the name of a live token."),
) -> None:
    """Revoke a token: the server refuses it from its next request on."""

    async def work(context: AppContext) -> TokenInfo:
        return await revoke_token(context.store, name_or_id, by=local_actor())

    info = run_in_context(work)
    console.print(f"revoked API token '{info.name}' (id {info.id})", markup=False)


def token_json(info: TokenInfo) -> dict[str, Any]:
    """A token's description as JSON values, with its status."""
    data = asdict(info)
    data["role"] = info.role.value
    data["blueprints"] = list(info.blueprints) if info.blueprints is not None else None
    for key, value in data.items():
        if isinstance(value, date | datetime):
            data[key] = value.isoformat()
    data["status"] = info.status()
    return data


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise ConfigurationError("--format must be text or json")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TokenError(f"--expires {text}: expected a date as YYYY-MM-DD") from None


def _scope(info: TokenInfo) -> str:
    return ", ".join(info.blueprints) if info.blueprints is not None else "all"


def _expiry(info: TokenInfo) -> str:
    return info.expires.isoformat() if info.expires is not None else "never"


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
