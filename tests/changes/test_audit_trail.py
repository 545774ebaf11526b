"""The audit trail: written with every change in its transaction, bounded, read back by
element, blueprint, actor and time, invisible to everything that reads blueprints."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from integraph.changes.audit_trail import AuditChange, audit_trail
from integraph.errors import IntegraphError
from integraph.knowledge import load as load_module
from integraph.knowledge.load import load_knowledge, load_landscape
from integraph.model import Blueprint, Landscape, System
from integraph.store import audit as audit_store
from integraph.store.audit import MAX_DETAILED, AuditContext
from integraph.store.driver import Store
from tests.changes.conftest import (
    KNOWLEDGE,
    whole_graph,
)

API_LOAD = AuditContext(actor="ci-bot", via="token", operation="load")


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
