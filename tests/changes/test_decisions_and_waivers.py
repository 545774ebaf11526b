"""Decisions (and what superseding does) and waivers (added, refused, revoked with a reason)."""

from __future__ import annotations

import datetime

import pytest

from integraph.auth.principal import Forbidden
from integraph.changes.audit_trail import audit_trail
from integraph.changes.decisions import record_decision
from integraph.changes.errors import MutationRefused
from integraph.changes.waivers import add_waiver, revoke_waiver
from integraph.store.driver import Store
from tests.changes.conftest import CRM_EDITOR, EDITOR, READER, prop, whole_graph

TODAY = datetime.date(2026, 12, 1)

NEW_DECISION = {
    "id": "adr-0003",
    "title": "Sender-constrained tokens everywhere, DPoP where mTLS is impossible",
    "status": "accepted",
    "date": "2026-11-30",
    "decision": "We will use DPoP-bound tokens where clients cannot hold certificates.",
    "supersedes": ["adr-0002"],
}

WAIVER = {
    "id": "waiver-settlement-contract",
    "rule": "CON-01",
    "element": "settlement-feed",
    "justification": "The processor's file format is documented in the partner contract.",
    "expires": "2027-06-30",
    "approved_by": "ada@example.com",
}


async def test_an_accepted_decision_supersedes_those_it_replaces(knowledge: Store) -> None:
    change = await record_decision(knowledge, EDITOR, "card-payments", NEW_DECISION)

    assert (change.element, change.change) == ("card-payments:adr-0003", "created")
    assert change.also_changed == ("card-payments:adr-0002",)
    assert await prop(knowledge, "card-payments:adr-0002", "status") == "superseded"
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (:Decision {id: 'card-payments:adr-0003'})-[:SUPERSEDES]->(d) RETURN d.id AS d"
        )
    )
    assert rows == [{"d": "card-payments:adr-0002"}]
    (entry,) = await audit_trail(knowledge)
    assert entry.operation == "record_decision"
    by_element = {c.element: c for c in entry.changes}
    assert by_element["card-payments:adr-0003"].change == "created"
    assert by_element["card-payments:adr-0002"].change == "updated"
    assert by_element["card-payments:adr-0002"].differences() == {
        "status": ("accepted", "superseded")
    }


async def test_a_proposed_decision_supersedes_nothing_yet(knowledge: Store) -> None:
    change = await record_decision(
        knowledge, EDITOR, "card-payments", {**NEW_DECISION, "status": "proposed"}
    )
    assert change.also_changed == ()
    assert await prop(knowledge, "card-payments:adr-0002", "status") == "accepted"
    accepted = await record_decision(knowledge, EDITOR, "card-payments", NEW_DECISION)
    assert (accepted.change, accepted.also_changed) == ("updated", ("card-payments:adr-0002",))


async def test_a_decision_of_another_blueprint_keeps_its_status(knowledge: Store) -> None:
    data = {**NEW_DECISION, "supersedes": ["landscape:adr-0001"]}
    change = await record_decision(knowledge, EDITOR, "card-payments", data)
    assert change.also_changed == ()
    assert change.notices == (
        "'landscape:adr-0001' belongs to blueprint 'landscape': its status is left as it is "
        "(change it there)",
    )
    assert await prop(knowledge, "landscape:adr-0001", "status") == "accepted"


async def test_an_invalid_decision_is_refused(knowledge: Store) -> None:
    before = await whole_graph(knowledge)
    with pytest.raises(MutationRefused) as refused:
        await record_decision(
            knowledge, EDITOR, "card-payments", {**NEW_DECISION, "supersedes": ["adr-0099"]}
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("supersedes", "dangling_reference")
    ]
    with pytest.raises(MutationRefused, match="forms a loop"):  # adr-0002 supersedes 0001
        await record_decision(
            knowledge,
            EDITOR,
            "card-payments",
            {
                "id": "adr-0001",
                "title": "Back to API keys",
                "status": "proposed",
                "supersedes": ["adr-0002"],
            },
        )
    with pytest.raises(Forbidden):
        await record_decision(knowledge, READER, "card-payments", NEW_DECISION)
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == []


async def test_add_and_revoke_a_waiver(knowledge: Store) -> None:
    added = await add_waiver(knowledge, CRM_EDITOR, "crm-sync", WAIVER, today=TODAY)
    assert (added.element, added.kind, added.change) == (
        "crm-sync:waiver-settlement-contract",
        "Waiver",
        "created",
    )
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (:Waiver {id: 'crm-sync:waiver-settlement-contract'})-[:WAIVES]->(e) "
            "RETURN e.id AS e"
        )
    )
    assert rows == [{"e": "crm-sync:settlement-feed"}]

    revoked = await revoke_waiver(
        knowledge, CRM_EDITOR, "crm-sync:waiver-settlement-contract", "  The contract exists now. "
    )
    assert (revoked.change, revoked.after) == ("deleted", None)
    assert await prop(knowledge, "crm-sync:waiver-settlement-contract", "id") is None
    revocation, addition = await audit_trail(knowledge, element=added.element)
    assert (revocation.operation, revocation.comment) == (
        "revoke_waiver",
        "The contract exists now.",
    )
    (gone,) = revocation.changes
    assert gone.change == "deleted"
    assert gone.before is not None and gone.before["properties"]["rule"] == "CON-01"
    assert (addition.operation, addition.comment) == ("add_waiver", None)


async def test_waivers_that_cannot_be_added_or_revoked(knowledge: Store) -> None:
    await add_waiver(knowledge, CRM_EDITOR, "crm-sync", WAIVER, today=TODAY)
    before = await whole_graph(knowledge)
    with pytest.raises(MutationRefused, match="exists already"):
        await add_waiver(knowledge, CRM_EDITOR, "crm-sync", WAIVER, today=TODAY)
    with pytest.raises(MutationRefused, match="expired on 2026-06-30"):
        await add_waiver(
            knowledge,
            CRM_EDITOR,
            "crm-sync",
            {**WAIVER, "id": "late", "expires": "2026-06-30"},
            today=TODAY,
        )
    with pytest.raises(MutationRefused) as refused:
        await add_waiver(
            knowledge, CRM_EDITOR, "crm-sync", {**WAIVER, "id": "w2", "rule": None}, today=TODAY
        )
    assert [p.field for p in refused.value.problems] == ["rule"]
    with pytest.raises(MutationRefused, match="say why"):
        await revoke_waiver(knowledge, CRM_EDITOR, "crm-sync:waiver-settlement-contract", " ")
    with pytest.raises(MutationRefused, match="is a flow, not a waiver"):
        await revoke_waiver(knowledge, CRM_EDITOR, "crm-sync:settlement-feed", "not a waiver")
    with pytest.raises(Forbidden):  # an editor of card-payments only
        await revoke_waiver(knowledge, EDITOR, "crm-sync:waiver-settlement-contract", "mine")
    with pytest.raises(Forbidden):
        await add_waiver(knowledge, READER, "crm-sync", {**WAIVER, "id": "w3"}, today=TODAY)
    assert await whole_graph(knowledge) == before
    assert len(await audit_trail(knowledge)) == 1
