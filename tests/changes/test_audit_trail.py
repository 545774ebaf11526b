"""The audit trail: written with every change in its transaction, bounded, read back by
element, blueprint, actor and time, invisible to everything that reads blueprints."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from integraph.changes import apply as apply_module
from integraph.changes.audit_trail import AuditChange, audit_trail
from integraph.changes.elements import delete_element, upsert_element
from integraph.changes.errors import NotFound
from integraph.errors import IntegraphError
from integraph.knowledge import load as load_module
from integraph.knowledge.load import export_blueprint, load_knowledge, load_landscape
from integraph.lint.service import choose_rules, lint
from integraph.model import Blueprint, Landscape, System
from integraph.store import audit as audit_store
from integraph.store.audit import MAX_DETAILED, AuditContext
from integraph.store.driver import Store
from tests.changes.conftest import (
    APPROVER,
    EDITOR,
    KNOWLEDGE,
    audit_nodes,
    prop,
    whole_graph,
)
from tests.conftest import run_cli

API_LOAD = AuditContext(actor="ci-bot", via="token", operation="load")
LEDGER = {"id": "ledger", "name": "Ledger", "trust_zone": "internal"}


async def test_a_load_writes_one_entry_per_blueprint_it_changes(graph: Store) -> None:
    reports = await load_knowledge(graph, [KNOWLEDGE], audit=API_LOAD)
    entries = await audit_trail(graph)
    assert sorted(e.blueprint for e in entries) == ["card-payments", "crm-sync", "landscape"]
    counts = {e.blueprint: (e.created, e.updated, e.deleted, e.truncated) for e in entries}
    assert counts == {r.blueprint: (r.created, 0, 0, False) for r in reports}
    landscape = next(e for e in entries if e.blueprint == "landscape")
    assert (landscape.actor, landscape.via, landscape.operation) == ("ci-bot", "token", "load")
    assert landscape.summary == "loaded from files: 29 created, 0 updated, 0 deleted"
    crm = next(c for c in landscape.changes if c.element == "landscape:payments")
    assert (crm.kind, crm.change, crm.before) == ("System", "created", None)
    assert crm.after is not None and crm.after["properties"]["trust_zone"] == "regulated"

    # the same files again: nothing to write, no entry
    await load_knowledge(graph, [KNOWLEDGE], audit=API_LOAD)
    assert len(await audit_trail(graph)) == 3


async def test_a_load_audits_what_it_updates_and_prunes(graph: Store, tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, copy)
    await load_knowledge(graph, [copy])  # not audited
    flows = copy / "card-payments" / "flows.yaml"
    text = flows.read_text().replace("latency_p99_ms: 800", "latency_p99_ms: 900")
    flows.write_text(text[: text.index("  - id: alert-payment-dlq")])  # the last policy, and
    decisions = copy / "card-payments" / "decisions.yaml"
    decisions.write_text(decisions.read_text().split("waivers:")[0])  # the waiver, are gone

    await load_knowledge(graph, [copy], prune=True, audit=API_LOAD, only=["card-payments"])
    (entry,) = await audit_trail(graph)
    assert (entry.created, entry.updated, entry.deleted) == (0, 1, 2)
    by_element = {c.element: c for c in entry.changes}
    updated = by_element["card-payments:checkout-to-payments"]
    assert updated.differences() == {"latency_p99_ms": (800, 900)}
    gone = by_element["card-payments:alert-payment-dlq"]
    assert (gone.change, gone.after) == ("deleted", None)
    assert gone.before is not None and gone.before["properties"]["metric"] == "dlq_depth"
    assert by_element["card-payments:waiver-settlement-dlq"].change == "deleted"


async def test_a_big_change_keeps_states_for_the_first_changes_only(graph: Store) -> None:
    systems = [
        System(id=f"s{i:04d}", name=f"System {i}", trust_zone="internal")
        for i in range(MAX_DETAILED + 50)
    ]
    landscape = Landscape(blueprint=Blueprint(id="big", name="Big", version="1"), systems=systems)
    await load_landscape(graph, landscape, audit=API_LOAD)

    (entry,) = await audit_trail(graph)
    assert (entry.created, entry.truncated) == (MAX_DETAILED + 51, True)  # and the blueprint
    assert len(entry.changes) == MAX_DETAILED
    assert all(c.after is not None for c in entry.changes)
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (e:AuditEntry) RETURN size(e.more_created) AS listed, "
            "COUNT { (e)-[:CHANGED]->() } AS detailed"
        )
    )
    assert rows == [{"listed": 51, "detailed": MAX_DETAILED}]
    # an element beyond the detailed ones is still found, by id
    (found,) = await audit_trail(graph, element="big:s0249")
    assert found.id == entry.id
    assert found.changes == (AuditChange(element="big:s0249", kind=None, change="created"),)
    assert await audit_trail(graph, element="big:s9999") == []


async def test_filters_and_paging(knowledge: Store) -> None:
    first = await upsert_element(knowledge, EDITOR, "card-payments", "systems", LEDGER)
    second = await upsert_element(knowledge, APPROVER, "landscape", "systems", LEDGER)
    third = await delete_element(knowledge, EDITOR, "card-payments:ledger")
    ids = [e.id for e in await audit_trail(knowledge)]
    assert ids == [third.audit_entry, second.audit_entry, first.audit_entry]

    by_element = await audit_trail(knowledge, element="card-payments:ledger")
    assert [e.id for e in by_element] == [third.audit_entry, first.audit_entry]
    assert [e.id for e in await audit_trail(knowledge, blueprint="landscape")] == [
        second.audit_entry
    ]
    assert [e.id for e in await audit_trail(knowledge, actor="eve")] == [
        third.audit_entry,
        first.audit_entry,
    ]
    tomorrow = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
    assert await audit_trail(knowledge, since=tomorrow) == []
    assert len(await audit_trail(knowledge, since=datetime.date(2020, 1, 1))) == 3
    page = await audit_trail(knowledge, limit=2)
    rest = await audit_trail(knowledge, limit=2, before_cursor=page[-1].id)
    assert [e.id for e in page + rest] == ids
    with pytest.raises(NotFound):
        await audit_trail(knowledge, before_cursor="no-such-entry")
    with pytest.raises(IntegraphError, match="limit"):
        await audit_trail(knowledge, limit=0)


async def test_audit_nodes_are_invisible_to_lint_export_and_loads(
    knowledge: Store, tmp_path: Path
) -> None:
    rules = choose_rules(ids=["CON-01", "SEC-07", "GOV-03"])
    quiet = await lint(knowledge, rules, fail_on=None)
    await export_blueprint(knowledge, tmp_path / "before")
    await upsert_element(knowledge, EDITOR, "card-payments", "systems", LEDGER)
    await delete_element(knowledge, EDITOR, "card-payments:ledger")
    assert await audit_nodes(knowledge) == 4  # two entries, a change each

    loud = await lint(knowledge, rules, fail_on=None)
    assert [f.fingerprint for f in loud.findings] == [f.fingerprint for f in quiet.findings]
    await export_blueprint(knowledge, tmp_path / "after")
    for path in sorted((tmp_path / "before").rglob("*.yaml")):
        after = tmp_path / "after" / path.relative_to(tmp_path / "before")
        assert after.read_text() == path.read_text()
    rows = await knowledge.read("queries/lint/graph_pass")
    elements = await knowledge.read_transaction(
        lambda tx: tx.run_text("MATCH (n) WHERE n:Element RETURN count(n) AS n")
    )
    assert rows[0]["elements"] == elements[0]["n"]

    await knowledge.write("queries/db/clear")
    assert await audit_nodes(knowledge) == 0


async def test_a_mutation_that_fails_halfway_leaves_no_trace(
    knowledge: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await whole_graph(knowledge)

    async def write_then_fail(*args: Any, **kwargs: Any) -> str:
        await audit_store.write_entry(*args, **kwargs)  # the entry is written...
        raise IntegraphError("the server went away")  # ...and the transaction fails

    monkeypatch.setattr(apply_module, "write_entry", write_then_fail)
    with pytest.raises(IntegraphError, match="went away"):
        await upsert_element(knowledge, EDITOR, "card-payments", "systems", LEDGER)
    assert await prop(knowledge, "card-payments:ledger", "id") is None
    assert await whole_graph(knowledge) == before
    assert await audit_nodes(knowledge) == 0


async def test_a_load_that_fails_halfway_leaves_no_trace(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def write_then_fail(*args: Any, **kwargs: Any) -> str:
        await audit_store.write_entry(*args, **kwargs)
        raise IntegraphError("the server went away")

    monkeypatch.setattr(load_module, "write_entry", write_then_fail)
    with pytest.raises(IntegraphError, match="went away"):
        await load_knowledge(graph, [KNOWLEDGE], audit=API_LOAD)
    assert await whole_graph(graph) == {"nodes": [], "rels": []}


async def test_the_audit_trail_command(
    graph: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    loaded = run_cli("load", str(KNOWLEDGE), env=cli_env)
    assert loaded.returncode == 0, loaded.stderr
    await upsert_element(
        graph,
        EDITOR,
        "card-payments",
        "policies",
        {
            "id": "timeout-checkout",
            "kind": "timeout",
            "applies_to": ["checkout-to-payments"],
            "connect_timeout_ms": 500,
            "request_timeout_ms": 1500,
            "total_budget_ms": 6000,
        },
    )

    shown = run_cli("audit-trail", "--element", "timeout-checkout", env=cli_env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 5, shown.stdout  # the mutation, then the load that created it
    assert "eve (token)  upsert_element  card-payments  upserted policy" in lines[0]
    assert lines[1].split() == ["updated", "Policy", "card-payments:timeout-checkout"]
    assert lines[2].strip() == "request_timeout_ms: 2000 -> 1500"
    assert "local (local)  load  card-payments  loaded from files: 16 created" in lines[3]
    assert lines[4].split() == ["created", "Policy", "card-payments:timeout-checkout"]

    listed = run_cli("audit-trail", "--format", "json", env=cli_env)
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [(e["actor"], e["via"], e["operation"], e["blueprint"]) for e in entries] == [
        ("eve", "token", "upsert_element", "card-payments"),
        *[("local", "local", "load", b) for b in ("crm-sync", "card-payments", "landscape")],
    ]
    assert entries[0]["changes"][0]["before"]["properties"]["request_timeout_ms"] == 2000

    narrowed = run_cli(
        "audit-trail", "-b", "landscape", "--actor", "local", "--since", "2020-01-01",
        "--limit", "1", "-f", "json", env=cli_env,
    )  # fmt: skip
    assert [e["blueprint"] for e in json.loads(narrowed.stdout)] == ["landscape"]
    page = run_cli("audit-trail", "--limit", "1", env=cli_env)
    assert f"--before {entries[0]['id']}" in page.stdout
    older = run_cli("audit-trail", "--before", entries[0]["id"], "-f", "json", env=cli_env)
    assert [e["id"] for e in json.loads(older.stdout)] == [e["id"] for e in entries[1:]]
    none = run_cli("audit-trail", "--actor", "nobody", env=cli_env)
    assert none.stdout.strip() == "no audit entries match"
    bad = run_cli("audit-trail", "--since", "yesterday", env=cli_env)
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
