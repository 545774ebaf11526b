"""`integraph token` end to end: the real CLI in a subprocess against the session's Neo4j."""

from __future__ import annotations

import getpass
import json
import re

from integraph.auth.principal import Role
from integraph.auth.tokens import verify_token
from integraph.store.driver import Store
from tests.conftest import run_cli


def table_rows(text: str) -> list[list[str]]:
    """The cells of each row of a rich table (box drawing dropped)."""
    rows = []
    for line in text.splitlines():
        if "│" in line or "┃" in line:
            rows.append([cell.strip() for cell in re.split("[│┃]", line)[1:-1]])
    return rows


def ok(*args: str, env: dict[str, str]) -> tuple[str, str]:
    proc = run_cli("token", *args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout, proc.stderr


async def test_create_list_revoke_in_json(cli_env: dict[str, str], graph: Store) -> None:
    out, err = ok(
        "create", "--name", "ci", "--role", "editor", "-b", "shop", "-b", "crm",
        "--expires", "2999-12-31", "--format", "json", env=cli_env,
    )  # fmt: skip
    created = json.loads(out)
    assert "This token is not shown again" in err
    token = created.pop("token")
    assert re.fullmatch(rf"igt_{created['id']}_[A-Za-z0-9_-]{{43}}", token)
    assert created["name"] == "ci" and created["role"] == "editor"
    assert created["blueprints"] == ["crm", "shop"]
    assert created["expires"] == "2999-12-31" and created["status"] == "active"
    assert created["created_by"] == f"local:{getpass.getuser()}"
    principal = await verify_token(graph, token)
    assert principal.role is Role.EDITOR and principal.blueprints == {"shop", "crm"}

    out, _ = ok("list", "--format", "json", env=cli_env)
    (listed,) = json.loads(out)
    assert listed == {**created, "last_used": listed["last_used"]}
    assert listed["last_used"] is not None  # the verification above
    assert token not in out and token.split("_", 2)[2] not in out

    out, _ = ok("revoke", "ci", env=cli_env)
    assert out.strip() == f"revoked API token 'ci' (id {created['id']})"
    out, _ = ok("list", "--format", "json", env=cli_env)
    (listed,) = json.loads(out)
    assert listed["status"] == "revoked" and listed["revoked_by"] == created["created_by"]


def test_create_and_list_in_text(cli_env: dict[str, str], graph: Store) -> None:
    out, _ = ok("list", env=cli_env)
    assert out.strip() == "no API tokens (create one with `integraph token create`)"
    out, err = ok("create", "--name", "reporting", "--role", "reader", env=cli_env)
    token = out.strip()
    assert re.fullmatch(r"igt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", token)  # alone on stdout
    token_id = token.split("_")[1]
    assert f"created API token 'reporting' (id {token_id}): reader, blueprints all" in err
    assert "expires never" in err and "This token is not shown again" in err
    ok("create", "--name", "old", "--role", "admin", "--expires", "2999-01-01", env=cli_env)
    ok("revoke", "old", env=cli_env)

    out, _ = ok("list", env=cli_env)
    header, *rows = table_rows(out)
    assert header == [
        "name", "id", "role", "blueprints", "created", "expires", "status", "last used"
    ]  # fmt: skip
    assert len(rows) == 2
    assert rows[0][:4] == ["reporting", token_id, "reader", "all"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0][4])
    assert rows[0][5:] == ["never", "active", "-"]
    assert rows[1][0] == "old" and rows[1][2] == "admin"
    assert rows[1][5:7] == ["2999-01-01", "revoked"]
    assert token not in out


def test_errors_are_one_line_with_exit_code_2(cli_env: dict[str, str], graph: Store) -> None:
    cases = [
        (("revoke", "nope"), "error: no API token has the id or name 'nope'"),
        (("create", "--name", "x", "--role", "owner"), "Invalid value for '--role'"),
        (("create", "--name", "x", "--role", "reader", "--expires", "soon"), "expected a date"),
        (("create", "--name", "x", "--role", "reader", "-b", "shop"), "cannot be scoped"),
        (("list", "--format", "yaml"), "--format must be text or json"),
    ]
    for args, message in cases:
        proc = run_cli("token", *args, env=cli_env)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    ok("create", "--name", "ci", "--role", "reader", env=cli_env)
    proc = run_cli("token", "create", "--name", "ci", "--role", "reader", env=cli_env)
    assert proc.returncode == 2 and "an API token named 'ci' exists" in proc.stderr
    assert proc.stdout == ""
