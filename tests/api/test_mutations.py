"""Mutations over HTTP: roles and blueprint scope, typed refusals, the review workflow, and
every step in the audit trail; a refused mutation changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from integraph.api.app import build_app
from integraph.auth.tokens import create_token
from integraph.context import AppContext
from integraph.lint.config import LintConfig
from integraph.store.driver import Store, Tx
from tests.changes.test_review import WAIVERS

pytestmark = pytest.mark.usefixtures("knowledge")


async def graph_state(store: Store) -> dict[str, Any]:
    """Every node and relationship but the API tokens (whose last use a request records)."""

    async def work(tx: Tx) -> dict[str, Any]:
        nodes = await tx.run_text(
            "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:ApiToken "
            "RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props "
            "ORDER BY key"
        )
        rels = await tx.run_text(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
            "properties(r) AS props ORDER BY a, t, b"
        )
        return {"nodes": nodes, "rels": rels}

    return await store.read_transaction(work)


@pytest.fixture
async def api(app_context: AppContext, graph: Store) -> AsyncIterator[Any]:
    patient = AppContext(
        settings=app_context.settings,
        lint_config=LintConfig(rule_timeout_s=120),  # a loaded 2-core machine is slow
        store=graph,
    )
    tokens = {
        name: (await create_token(graph, created_by="test", **spec)).token
        for name, spec in {
            "reader": {"name": "r", "role": "reader"},
            "editor": {"name": "e", "role": "editor"},
            "crm_editor": {"name": "ce", "role": "editor", "blueprints": ["crm-sync"]},
            "approver": {"name": "a", "role": "approver"},
        }.items()
    }
    transport = httpx.ASGITransport(app=build_app(context=patient))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:

        async def call(who: str, query: str, **variables: Any) -> dict[str, Any]:
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {tokens[who]}"},
                timeout=600,
            )
            assert response.status_code == 200, response.text
            return response.json()

        yield call


UPSERT = """mutation($data: JSON!) { upsertElement(blueprint: "crm-sync", section: SYSTEMS,
    data: $data) { ok change { element change before after auditEntry }
    problems { code field message element } } }"""
NEW_SYSTEM = {"id": "ledger", "name": "Ledger", "trust_zone": "internal"}
TRAIL = """query($b: String) { auditTrail(blueprint: $b) { operation actor blueprint
    changes { element change differences } } }"""


def _forbidden(body: dict[str, Any]) -> str:
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", error
    return error["message"]


async def test_refused_mutations_change_nothing(api, graph) -> None:
    before = await graph_state(graph)
    assert "needs the editor role" in _forbidden(await api("reader", UPSERT, data=NEW_SYSTEM))
    other = UPSERT.replace('"crm-sync"', '"card-payments"')
    assert "may not change blueprint(s) card-payments" in _forbidden(
        await api("crm_editor", other, data=NEW_SYSTEM)
    )
    approve = 'mutation { approve(blueprint: "crm-sync") { ok } }'
    assert "needs the approver role" in _forbidden(await api("editor", approve))
    load = """mutation($c: String!) { loadDocuments(documents: [{name: "b.yaml", content: $c}])
        { ok } }"""
    content = "blueprint: {id: other, name: O, version: '1', status: draft}\n"
    assert "may not change blueprint(s) other" in _forbidden(
        await api("crm_editor", load, c=content)
    )
    assert await graph_state(graph) == before
    assert (await api("reader", TRAIL))["data"]["auditTrail"] == []


async def test_an_upsert_and_a_delete_are_audited_with_before_and_after(api) -> None:
    created = (await api("crm_editor", UPSERT, data=NEW_SYSTEM))["data"]["upsertElement"]
    assert created["ok"] is True and created["problems"] == []
    assert created["change"]["element"] == "crm-sync:ledger"
    assert created["change"]["change"] == "created" and created["change"]["before"] is None
    system = await api("reader", '{ system(id: "crm-sync:ledger") { name trustZone } }')
    assert system["data"]["system"] == {"name": "Ledger", "trustZone": "INTERNAL"}

    renamed = await api("crm_editor", UPSERT, data={**NEW_SYSTEM, "name": "General ledger"})
    assert renamed["data"]["upsertElement"]["change"]["change"] == "updated"
    gone = await api(
        "crm_editor", 'mutation { deleteElement(id: "crm-sync:ledger") { ok change { change } } }'
    )
    assert gone["data"]["deleteElement"] == {"ok": True, "change": {"change": "deleted"}}

    trail = (await api("reader", TRAIL, b="crm-sync"))["data"]["auditTrail"]
    assert [e["operation"] for e in trail] == ["delete_element", "upsert_element", "upsert_element"]
    assert {e["actor"] for e in trail} == {"token:ce"}
    update = trail[1]["changes"][0]
    assert update["element"] == "crm-sync:ledger"
    assert update["differences"]["name"] == ["Ledger", "General ledger"]


async def test_invalid_changes_come_back_as_typed_problems(api, graph) -> None:
    before = await graph_state(graph)
    bad = {"id": "ledger", "trust_zone": "nowhere", "owner": "no-such-team"}
    payload = (await api("crm_editor", UPSERT, data=bad))["data"]["upsertElement"]
    assert payload["ok"] is False and payload["change"] is None
    fields = {p["field"] for p in payload["problems"]}
    assert "trust_zone" in fields
    assert all(p["code"] and p["message"] for p in payload["problems"])
    assert await graph_state(graph) == before


async def test_load_documents_reports_problems_with_file_line_and_field(api, graph) -> None:
    before = await graph_state(graph)
    load = """mutation($docs: [DocumentInput!]!) { loadDocuments(documents: $docs) { ok
        reports { blueprint created } problems { file line column field code message } } }"""
    broken = [
        {"name": "blueprint.yaml", "content": "blueprint: {id: extra, name: X, version: '1'}\n"},
        {"name": "systems.yaml", "content": "systems:\n  - id: a\n    trust_zone: moon\n"},
    ]
    payload = (await api("editor", load, docs=broken))["data"]["loadDocuments"]
    assert payload["ok"] is False and payload["reports"] == []
    (problem,) = payload["problems"]
    assert (problem["file"], problem["line"], problem["field"]) == ("systems.yaml", 3, "trust_zone")
    assert await graph_state(graph) == before

    good = [
        broken[0],
        {"name": "systems.yaml", "content": "systems:\n  - {id: a, trust_zone: internal}\n"},
    ]
    payload = (await api("editor", load, docs=good))["data"]["loadDocuments"]
    assert payload["ok"] is True
    assert payload["reports"] == [{"blueprint": "extra", "created": 2}]
    (entry,) = (await api("reader", TRAIL, b="extra"))["data"]["auditTrail"]
    assert entry["operation"] == "load_documents" and entry["actor"] == "token:e"


REVIEW = """mutation($c: String) {{ {step}(blueprint: "crm-sync", comment: $c) {{ ok message
    step {{ before after reviewId review {{ verdict reviewer comment }} }}
    blockingFindings {{ rule severity element }} ruleErrors }} }}"""


async def test_approval_is_refused_until_the_errors_are_waived(api, graph) -> None:
    submitted = await api("crm_editor", REVIEW.format(step="submitForReview"), c="Ready.")
    step = submitted["data"]["submitForReview"]["step"]
    assert (step["before"], step["after"]) == ("DRAFT", "IN_REVIEW")

    before = await graph_state(graph)
    refused = (await api("approver", REVIEW.format(step="approve"), c=None))["data"]["approve"]
    assert refused["ok"] is False and refused["step"] is None
    assert refused["ruleErrors"] == []
    assert {(f["rule"], f["element"]) for f in refused["blockingFindings"]} == {
        ("CON-01", "crm-sync:settlement-feed"),
        ("SEC-07", "crm-sync:settlement-feed"),
    }
    assert "cannot be approved" in refused["message"]
    assert await graph_state(graph) == before

    waive = """mutation($data: JSON!) { addWaiver(blueprint: "crm-sync", data: $data) { ok
        problems { message } } }"""
    for waiver in WAIVERS:
        assert (await api("crm_editor", waive, data=waiver))["data"]["addWaiver"]["ok"] is True

    approved = await api("approver", REVIEW.format(step="approve"), c="Waivers accepted.")
    step = approved["data"]["approve"]["step"]
    assert (step["before"], step["after"]) == ("IN_REVIEW", "APPROVED")
    assert step["review"] == {
        "verdict": "APPROVED",
        "reviewer": "token:a",
        "comment": "Waivers accepted.",
    }

    trail = (await api("reader", TRAIL, b="crm-sync"))["data"]["auditTrail"]
    assert [e["operation"] for e in trail] == [
        "approve",
        "add_waiver",
        "add_waiver",
        "submit_for_review",
    ]
    assert trail[0]["actor"] == "token:a"
