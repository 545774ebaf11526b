"""`integraph impact --limit/--offset`: one page of the affected elements, counts over all."""

from __future__ import annotations

import json

import pytest

from integraph.store.driver import Store
from tests.conftest import ROOT, run_cli

SHOP = ROOT / "tests" / "fixtures" / "blueprints" / "impact"


@pytest.fixture
async def payments(cli_env: dict[str, str], graph: Store) -> str:
    """The stored id of the payments system, with the impact fixture loaded by the CLI."""
    proc = run_cli("load", str(SHOP), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    rows = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (s:System {name: 'Payments'}) RETURN s.id AS id")
    )
    return str(rows[0]["id"])


def ok(*args: str, env: dict[str, str]) -> str:
    proc = run_cli(*args, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def listed(text: str) -> list[str]:
    """The affected elements a text answer lists (their id column)."""
    return [
        line.split()[2] for line in text.splitlines() if line.startswith("  ") and "(depth" in line
    ]


async def test_pages_of_the_text_answer(cli_env: dict[str, str], payments: str) -> None:
    whole = ok("impact", payments, env=cli_env)
    assert "listed" not in whole  # 4 affected: one page of the default 100
    everything = listed(whole)
    assert len(everything) == 4

    first = ok("impact", payments, "--limit", "2", env=cli_env)
    lines = first.splitlines()
    assert lines[0].endswith("): 4 affected")
    assert listed(first) == everything[:2]
    assert "listed 1-2 of 4; the next ones: --offset 2" in lines
    # The counts cover all four, not the page.
    assert "by effect: data_loss_risk: 1, deferred: 1, delayed: 1, outage: 1" in lines

    second = ok("impact", payments, "--limit", "2", "--offset", "2", env=cli_env)
    assert listed(second) == everything[2:]
    assert "listed 3-4 of 4" in second.splitlines()
    past = ok("impact", payments, "--offset", "9", env=cli_env)
    assert listed(past) == []
    assert "listed none of 4: the offset 9 is past the end" in past.splitlines()
    assert listed(ok("impact", payments, "--limit", "0", env=cli_env)) == everything


async def test_pages_of_the_json_answer(cli_env: dict[str, str], payments: str) -> None:
    data = json.loads(
        ok("impact", payments, "-f", "json", "--limit", "1", "--offset", "1", env=cli_env)
    )
    assert (data["total"], data["offset"], data["limit"], len(data["affected"])) == (4, 1, 1, 1)
    assert sum(data["summary"]["effect"].values()) == 4
    assert "counts" not in data  # the summary, once
    whole = json.loads(ok("impact", payments, "-f", "json", env=cli_env))
    assert data["affected"] == whole["affected"][1:2]


async def test_a_bad_page_is_refused(cli_env: dict[str, str], payments: str) -> None:
    proc = run_cli("impact", payments, "--offset", "-1", env=cli_env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
