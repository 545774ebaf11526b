"""Lineage per operation: a flow naming operations carries only their fields (and those of the
version's own bodies); fields of different operations at the same path stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.impact.lineage import Lineage, classified_data_reaching, lineage
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.lint.harness import write_blueprint

PAN = {"path": "/card/pan", "type": "string", "required": True, "classification": "pan"}
V = "test-bp:pay-api@1.0.0"


def _flow(fid: str, *operations: str, **extra: object) -> dict[str, object]:
    return {
        "id": fid,
        "source": "shop",
        "target": "payments",
        "pattern": "request_response",
        "contract": "pay-api",
        "producer_version": "1.0.0",
        "consumer_version": "1.0.0",
        "transport_encryption": "tls",
        **({"operations": list(operations)} if operations else {}),
        **extra,
    }


LANDSCAPE = {
    "systems": [
        {"id": "shop", "name": "Shop", "trust_zone": "public"},
        {"id": "payments", "name": "Payments", "trust_zone": "regulated"},
    ],
    "classifications": [{"id": "pan", "category": "pci", "masking_required": True}],
    "contracts": [
        {
            "id": "pay-api",
            "kind": "openapi",
            "compatibility": "BACKWARD",
            "versions": [
                {
                    "version": "1.0.0",
                    # The version's own headers go with every operation.
                    "headers": [{"path": "/x-card", "type": "string", "classification": "pan"}],
                    "operations": [
                        {"name": "authorise", "method": "POST", "request": [PAN]},
                        {"name": "refund", "method": "POST", "request": [PAN]},
                        {
                            "name": "status",
                            "method": "GET",
                            "response": [{"path": "/last4", "type": "string"}],
                        },
                    ],
                }
            ],
        }
    ],
    "flows": [
        _flow(
            "authorises",
            "authorise",
            masking=[
                {"field": "authorise/request/card/pan", "method": "tokenised"},
                {"field": "headers/x-card", "method": "tokenised"},
            ],
        ),
        # Masks authorise's PAN, which this flow does not carry: refund's stays in clear.
        _flow(
            "refunds",
            "refund",
            masking=[
                {"field": "authorise/request/card/pan", "method": "tokenised"},
                {"field": "headers/x-card", "method": "tokenised"},
            ],
        ),
        _flow("asks-status", "status"),
        # No operations: the whole version, both PANs apart.
        _flow("uses-all"),
    ],
}


@pytest.fixture
async def loaded(graph: Store, tmp_path: Path) -> Store:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    return graph


def _fields(result: Lineage) -> dict[str, list[tuple[str, str | None]]]:
    return {
        h.flow.removeprefix("test-bp:"): [(f.id.removeprefix(V), f.masking) for f in h.fields]
        for h in result.hops
    }


async def test_classification_lineage_per_operation(loaded: Store) -> None:
    result = await lineage(loaded, "pci")
    assert _fields(result) == {
        "asks-status": [("#headers/x-card", None)],
        "authorises": [
            ("#authorise/request/card/pan", "tokenised"),
            ("#headers/x-card", "tokenised"),
        ],
        "refunds": [("#headers/x-card", "tokenised"), ("#refund/request/card/pan", None)],
        "uses-all": [
            ("#authorise/request/card/pan", None),
            ("#headers/x-card", None),
            ("#refund/request/card/pan", None),
        ],
    }
    assert {h.flow: h.missing for h in result.gaps} == {
        "test-bp:asks-status": ["masking of headers/x-card"],
        "test-bp:refunds": ["masking of refund/request/card/pan"],
        "test-bp:uses-all": [
            "masking of authorise/request/card/pan",
            "masking of headers/x-card",
            "masking of refund/request/card/pan",
        ],
    }


async def test_field_lineage_keeps_to_its_operation(loaded: Store) -> None:
    result = await lineage(loaded, f"{V}#refund/request/card/pan")
    assert _fields(result) == {
        "refunds": [("#refund/request/card/pan", None)],
        "uses-all": [("#refund/request/card/pan", None)],
    }
    own = await lineage(loaded, f"{V}#headers/x-card")
    assert sorted(_fields(own)) == ["asks-status", "authorises", "refunds", "uses-all"]


async def test_reverse_lineage_per_operation(loaded: Store) -> None:
    result = await classified_data_reaching(loaded, "test-bp:payments")
    assert _fields(result) == _fields(await lineage(loaded, "pci"))
    assert [h.flow for h in result.hops if "status" in h.flow] == ["test-bp:asks-status"]


ENTITLED = {
    "systems": [
        {"id": "notify", "name": "Notification service", "trust_zone": "internal"},
        {"id": "mailer", "name": "Email provider", "trust_zone": "partner", "external": True},
        {"id": "crm", "name": "CRM", "trust_zone": "partner", "external": True},
    ],
    "classifications": [{"id": "contact", "category": "pii", "masking_required": True}],
    "contracts": [
        {
            "id": "mail-api",
            "kind": "openapi",
            "compatibility": "BACKWARD",
            "versions": [
                {
                    "version": "1.0.0",
                    "operations": [
                        {
                            "name": "send",
                            "method": "POST",
                            "request": [
                                {
                                    "path": "/to",
                                    "type": "string",
                                    "classification": "contact",
                                    "clear_for": ["mailer"],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
    "flows": [
        {
            "id": fid,
            "source": "notify",
            "target": target,
            "pattern": "request_response",
            "contract": "mail-api",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
            "operations": ["send"],
            "transport_encryption": "tls",
        }
        for fid, target in (("to-mailer", "mailer"), ("to-crm", "crm"))
    ],
}


async def test_a_receiver_entitled_to_the_clear_value_is_owed_no_masking(
    graph: Store, tmp_path: Path
) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", ENTITLED)])
    result = await lineage(graph, "pii")
    entitled = {h.flow: [f.clear_for_receiver for f in h.fields] for h in result.hops}
    assert entitled == {"test-bp:to-crm": [False], "test-bp:to-mailer": [True]}
    # the same field, unmasked on both hops: only the hop to a system not entitled lacks it
    assert {h.flow: h.missing for h in result.gaps} == {
        "test-bp:to-crm": ["masking of send/request/to"]
    }
