"""Element mutations: upsert and delete, checked as files are, written and audited at once."""

from __future__ import annotations

import asyncio

import pytest

from integraph.auth.principal import Forbidden, Principal
from integraph.changes.audit_trail import audit_trail
from integraph.changes.elements import delete_element, upsert_element
from integraph.changes.errors import MutationRefused, NotFound
from integraph.knowledge.load import export_blueprint, load_knowledge
from integraph.store.driver import Store
from tests.changes.conftest import ADMIN, CRM_EDITOR, EDITOR, KNOWLEDGE, READER, prop, whole_graph

NEW_FLOW = {
    "id": "shop-to-processor",
    "source": "web-shop",  # the landscape's, by short id
    "target": "landscape:card-processor",
    "pattern": "request_response",
    "transport_encryption": "tls",
    "credential": "cred-shop-payments",  # this blueprint's own
}


async def test_upsert_creates_an_element_with_its_references_resolved(knowledge: Store) -> None:
    change = await upsert_element(knowledge, EDITOR, "card-payments", "flows", NEW_FLOW)

    assert change.element == "card-payments:shop-to-processor"
    assert (change.kind, change.change, change.blueprint) == ("Flow", "created", "card-payments")
    assert change.before is None
    assert change.after is not None and change.after["source"] == "landscape:web-shop"
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (f:Flow {id: 'card-payments:shop-to-processor'})-[:FROM]->(s), (f)-[:TO]->(t),"
            " (c)-[:AUTHENTICATES]->(f), (f)-[:IN_BLUEPRINT]->(b) "
            "RETURN s.id AS s, t.id AS t, c.id AS c, b.id AS b, f.blueprint AS owner"
        )
    )
    assert rows == [
        {
            "s": "landscape:web-shop",
            "t": "landscape:card-processor",
            "c": "card-payments:cred-shop-payments",
            "b": "card-payments",
            "owner": "card-payments",
        }
    ]
    (entry,) = await audit_trail(knowledge)
    assert entry.id == change.audit_entry
    assert (entry.actor, entry.via, entry.operation) == ("eve", "token", "upsert_element")
    assert (entry.blueprint, entry.created, entry.updated, entry.deleted) == (
        "card-payments",
        1,
        0,
        0,
    )
    (audited,) = entry.changes  # nothing else of the blueprint was rewritten
    assert (audited.element, audited.kind, audited.change) == (change.element, "Flow", "created")
    assert audited.before is None
    assert audited.after is not None
    assert audited.after["properties"]["pattern"] == "request_response"
    assert {"type": "FROM", "target": "landscape:web-shop"} in audited.after["relationships"]
    assert {"type": "AUTHENTICATES", "target": "card-payments:cred-shop-payments"} in (
        audited.after["relationships"]
    )


async def test_upsert_replaces_an_element_and_audits_before_and_after(knowledge: Store) -> None:
    data = {
        "id": "card-payments:timeout-checkout",  # a full identifier of its own blueprint
        "kind": "timeout",
        "applies_to": ["checkout-to-payments"],
        "connect_timeout_ms": 500,
        "request_timeout_ms": 1500,
        "total_budget_ms": 6000,
    }
    change = await upsert_element(knowledge, EDITOR, "card-payments", "policies", data)

    assert change.change == "updated"
    assert change.before is not None and change.before["request_timeout_ms"] == 2000
    assert change.after is not None and change.after["request_timeout_ms"] == 1500
    assert await prop(knowledge, "card-payments:timeout-checkout", "request_timeout_ms") == 1500
    (entry,) = await audit_trail(knowledge, element="card-payments:timeout-checkout")
    (audited,) = entry.changes
    assert audited.change == "updated"
    assert audited.differences() == {"request_timeout_ms": (2000, 1500)}


async def test_an_identical_upsert_changes_nothing_and_writes_no_entry(knowledge: Store) -> None:
    await upsert_element(knowledge, EDITOR, "card-payments", "flows", NEW_FLOW)
    before = await whole_graph(knowledge)
    change = await upsert_element(knowledge, EDITOR, "card-payments", "flows", NEW_FLOW)
    assert (change.change, change.audit_entry) == ("unchanged", None)
    assert len(await audit_trail(knowledge)) == 1
    after = await whole_graph(knowledge)
    # only the graph version token moved (the write committed, with nothing in it)
    assert len(after["nodes"]) == len(before["nodes"]) and after["rels"] == before["rels"]


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({**NEW_FLOW, "pattern": "telepathy"}, "pattern", "invalid_value"),
        ({**NEW_FLOW, "latency": 3}, "latency", "unknown_field"),
        ({k: v for k, v in NEW_FLOW.items() if k != "source"}, "source", "missing_field"),
        ({**NEW_FLOW, "target": "mainframe"}, "target", "dangling_reference"),
        ({**NEW_FLOW, "description": "password=hunter22"}, "description", "secret"),
        ({**NEW_FLOW, "id": "payments-api"}, "id", "duplicate_id"),
    ],
)
async def test_invalid_elements_are_refused_with_their_problems(
    knowledge: Store, data: dict[str, object], field: str, code: str
) -> None:
    if data["id"] == "payments-api":  # an id the blueprint has for another kind
        data = {**data, "id": "checkout-to-payments"}
        section = "credentials"
    else:
        section = "flows"
    before = await whole_graph(knowledge)
    with pytest.raises(MutationRefused) as refused:
        await upsert_element(knowledge, EDITOR, "card-payments", section, data)
    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]
    assert "hunter22" not in str(refused.value)
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == []


async def test_bad_addresses_are_refused(knowledge: Store) -> None:
    with pytest.raises(MutationRefused, match="not a section"):
        await upsert_element(knowledge, EDITOR, "card-payments", "blueprint", {"id": "x"})
    with pytest.raises(MutationRefused, match="belongs to blueprint 'landscape'"):
        await upsert_element(knowledge, EDITOR, "card-payments", "systems", {"id": "landscape:x"})
    with pytest.raises(MutationRefused, match="missing required field"):
        await upsert_element(knowledge, EDITOR, "card-payments", "systems", {"name": "x"})
    with pytest.raises(MutationRefused, match="full identifier"):
        await delete_element(knowledge, EDITOR, "checkout-to-payments")
    with pytest.raises(MutationRefused, match="part of its contract"):
        await delete_element(knowledge, EDITOR, "landscape:payments-api@1.0.0")
    with pytest.raises(NotFound, match="no element 'card-payments:nope'"):
        await delete_element(knowledge, EDITOR, "card-payments:nope")
    with pytest.raises(NotFound, match="no blueprint 'nope'"):
        await upsert_element(knowledge, ADMIN, "nope", "systems", {"id": "x", "name": "x"})


@pytest.mark.parametrize(
    ("principal", "blueprint"),
    [(READER, "card-payments"), (EDITOR, "crm-sync"), (CRM_EDITOR, "card-payments")],
)
async def test_mutations_outside_the_principals_role_or_scope_are_forbidden(
    knowledge: Store, principal: Principal, blueprint: str
) -> None:
    before = await whole_graph(knowledge)
    with pytest.raises(Forbidden):
        await upsert_element(knowledge, principal, blueprint, "flows", NEW_FLOW)
    with pytest.raises(Forbidden):
        await delete_element(knowledge, principal, f"{blueprint}:adr-0001")
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == []


async def test_delete_is_refused_while_others_refer_to_the_element(knowledge: Store) -> None:
    before = await whole_graph(knowledge)
    # in the same blueprint: a flow holds the credential, a decision governs it, the
    # blueprint's scope lists it
    with pytest.raises(MutationRefused) as refused:
        await delete_element(knowledge, EDITOR, "card-payments:cred-shop-payments")
    assert sorted((p.element, p.code) for p in refused.value.problems) == [
        ("card-payments", "referred_to"),
        ("card-payments:adr-0002", "referred_to"),
        ("card-payments:checkout-to-payments", "referred_to"),
    ]
    assert "AUTHENTICATES, card-payments/flows.yaml:2" in str(refused.value)
    # from other blueprints
    with pytest.raises(MutationRefused) as refused:
        await delete_element(knowledge, ADMIN, "landscape:payments")
    referrers = {p.element for p in refused.value.problems}
    assert {"crm-sync:settlement-feed", "card-payments:checkout-to-payments"} <= referrers
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == []


async def test_delete_removes_the_element_with_its_state_audited(knowledge: Store) -> None:
    change = await delete_element(knowledge, EDITOR, "card-payments:alert-payment-dlq")
    assert (change.change, change.kind, change.after) == ("deleted", "Policy", None)
    assert change.before is not None and change.before["route"] == "pagerduty://payments-oncall"
    assert await prop(knowledge, "card-payments:alert-payment-dlq", "id") is None
    (entry,) = await audit_trail(knowledge, element="card-payments:alert-payment-dlq")
    (audited,) = entry.changes
    assert (audited.change, audited.after) == ("deleted", None)
    assert audited.before is not None
    assert audited.before["properties"]["metric"] == "dlq_depth"
    assert audited.before["relationships"] == [
        {"type": "APPLIES_TO", "target": "landscape:payments-events-dlq"}
    ]


async def test_deleting_a_contract_deletes_its_versions_and_fields(knowledge: Store) -> None:
    landscape_editor = EDITOR.__class__("lee", EDITOR.role, frozenset({"landscape"}))
    with pytest.raises(MutationRefused, match="USES_VERSION"):  # card-payments' flows use it
        await delete_element(knowledge, landscape_editor, "landscape:payments-api")
    await load_knowledge(knowledge, [KNOWLEDGE / "landscape"])  # nothing changed: still there
    change = await upsert_element(
        knowledge,
        landscape_editor,
        "landscape",
        "contracts",
        {
            "id": "orphan",
            "kind": "openapi",
            "versions": [{"version": "1", "request": [{"path": "/a", "type": "string"}]}],
        },
    )
    assert change.change == "created"
    deleted = await delete_element(knowledge, landscape_editor, "landscape:orphan")
    assert deleted.change == "deleted"
    newest, _ = await audit_trail(knowledge)
    assert sorted(c.element for c in newest.changes) == [
        "landscape:orphan",
        "landscape:orphan@1",
        "landscape:orphan@1#request/a",
    ]
    assert await prop(knowledge, "landscape:orphan@1#request/a", "id") is None


async def test_a_changed_blueprint_is_loaded_again_from_unchanged_files(knowledge: Store) -> None:
    """A mutation forgets the digest of the last load: the files, unchanged, load in full and
    put back what they say."""
    await delete_element(knowledge, EDITOR, "card-payments:alert-payment-dlq")
    (report,) = await load_knowledge(knowledge, [KNOWLEDGE / "card-payments"])
    assert not report.files_unchanged
    assert report.created == 1
    assert await prop(knowledge, "card-payments:alert-payment-dlq", "metric") == "dlq_depth"


async def test_export_after_mutations_writes_the_changed_blueprint(
    knowledge: Store, tmp_path
) -> None:
    await upsert_element(knowledge, EDITOR, "card-payments", "flows", NEW_FLOW)
    await export_blueprint(knowledge, tmp_path, blueprint="card-payments")
    text = (tmp_path / "flows.yaml").read_text()
    assert "id: shop-to-processor" in text
    assert 'source: "landscape:web-shop"' in text
    assert "Audit" not in "".join(p.read_text() for p in tmp_path.iterdir())


async def test_changes_of_one_blueprint_run_one_after_the_other(knowledge: Store) -> None:
    """A deletion and a new reference to the deleted element, at once: never both."""
    ledger = {"id": "ledger", "name": "Ledger", "trust_zone": "internal"}
    await upsert_element(knowledge, EDITOR, "card-payments", "systems", ledger)
    flow = {**NEW_FLOW, "id": "ledger-feed", "source": "ledger", "credential": None}
    for _ in range(3):
        outcomes = await asyncio.gather(
            delete_element(knowledge, EDITOR, "card-payments:ledger"),
            upsert_element(knowledge, EDITOR, "card-payments", "flows", flow),
            return_exceptions=True,
        )
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(failed) == 1 and isinstance(failed[0], MutationRefused), outcomes
        if failed[0] is outcomes[1]:  # deleted first: put the system back for another round
            await upsert_element(knowledge, EDITOR, "card-payments", "systems", ledger)
        else:
            await delete_element(knowledge, EDITOR, "card-payments:ledger-feed")
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text("MATCH (f:Flow) WHERE NOT (f)-[:FROM]->() RETURN f.id AS id")
    )
    assert rows == []


async def test_a_change_waits_for_changes_of_the_blueprints_it_uses(knowledge: Store) -> None:
    """Deleting a landscape system while a project starts referring to it: never both."""
    ledger = {"id": "ledger", "name": "Ledger", "trust_zone": "internal"}
    flow = {**NEW_FLOW, "id": "ledger-feed", "source": "ledger", "credential": None}
    for _ in range(3):
        await upsert_element(knowledge, ADMIN, "landscape", "systems", ledger)
        outcomes = await asyncio.gather(
            delete_element(knowledge, ADMIN, "landscape:ledger"),
            upsert_element(knowledge, EDITOR, "card-payments", "flows", flow),
            return_exceptions=True,
        )
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(failed) == 1 and isinstance(failed[0], MutationRefused), outcomes
        if failed[0] is outcomes[0]:  # the flow came first: remove it for another round
            await delete_element(knowledge, EDITOR, "card-payments:ledger-feed")
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text("MATCH (f:Flow) WHERE NOT (f)-[:FROM]->() RETURN f.id AS id")
    )
    assert rows == []
