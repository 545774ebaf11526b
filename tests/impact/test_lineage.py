"""Lineage of classified data through several hops, with a missing masking duty."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.errors import IntegraphError
from integraph.impact.lineage import classified_data_reaching, lineage
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.lint.harness import write_blueprint


def system(sid: str, zone: str = "internal", **extra: object) -> dict[str, object]:
    return {"id": sid, "name": sid.title(), "trust_zone": zone, **extra}


def card_contract(cid: str, kind: str, part: str) -> dict[str, object]:
    return {
        "id": cid,
        "kind": kind,
        "compatibility": "BACKWARD",
        "versions": [
            {
                "version": "1.0.0",
                part: [
                    {
                        "path": "/card/pan",
                        "type": "string",
                        "required": True,
                        "classification": "pan",
                    },
                    {"path": "/amount", "type": "number", "required": True},
                ],
            }
        ],
    }


# shop --request(pan)--> payments --message(pan)--> fraud --request(pan)--> scheme (partner)
# fraud --message(pan)--> payments (a cycle back)
LANDSCAPE = {
    "systems": [
        system("shop", "public"),
        system("payments", "regulated"),
        system("fraud", "regulated"),
        system("scheme", "partner", external=True),
    ],
    "classifications": [
        {
            "id": "pan",
            "category": "pci",
            "masking_required": True,
            "audit_required": True,
            "min_audit_retention_days": 365,
        },
    ],
    "contracts": [
        card_contract("pay-api", "openapi", "request"),
        card_contract("card-events", "asyncapi", "message"),
        card_contract("scheme-api", "openapi", "request"),
    ],
    "flows": [
        {
            "id": "pay",
            "source": "shop",
            "target": "payments",
            "pattern": "request_response",
            "contract": "pay-api",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
            "transport_encryption": "tls",
            "audit_logging": True,
            "audit_retention_days": 400,
            "masking": [{"field": "request/card/pan", "method": "tokenised"}],
        },
        {
            "id": "screen",
            "source": "payments",
            "target": "fraud",
            "pattern": "event",
            "contract": "card-events",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
            "transport_encryption": "tls",
            "audit_logging": True,
            "audit_retention_days": 400,
            "masking": [{"field": "message/card/pan", "method": "hashed"}],
        },
        {
            "id": "verdict",
            "source": "fraud",
            "target": "payments",
            "pattern": "event",
            "contract": "card-events",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
            "transport_encryption": "tls",
            "audit_logging": True,
            "audit_retention_days": 400,
            "masking": [{"field": "message/card/pan", "method": "hashed"}],
        },
        {
            "id": "authorise",
            "source": "fraud",
            "target": "scheme",
            "pattern": "request_response",
            "contract": "scheme-api",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
            "transport_encryption": "none",
            "audit_logging": False,
        },
    ],
}


@pytest.fixture
async def loaded(graph: Store, tmp_path: Path) -> Store:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    return graph


# The graph holds full identifiers (`test-bp:shop`): the service takes them (a category such as
# `pci` belongs to no blueprint) and answers with them.


async def test_classification_lineage_across_hops(loaded: Store) -> None:
    result = await lineage(loaded, "pci")
    assert (result.subject, result.kind) == ("pci", "classification")
    assert result.origins == ["test-bp:shop"]
    assert result.systems == ["test-bp:fraud", "test-bp:payments", "test-bp:scheme", "test-bp:shop"]
    hops = [(h.depth, h.sender, h.receiver, h.flow) for h in result.hops]
    assert hops == [
        (1, "test-bp:shop", "test-bp:payments", "test-bp:pay"),
        (2, "test-bp:payments", "test-bp:fraud", "test-bp:screen"),
        (3, "test-bp:fraud", "test-bp:scheme", "test-bp:authorise"),
        # the cycle back: listed once, not followed again
        (3, "test-bp:fraud", "test-bp:payments", "test-bp:verdict"),
    ]
    gaps = {h.flow: h.missing for h in result.gaps}
    assert gaps == {
        "test-bp:authorise": [
            "audit logging",
            "masking of request/card/pan",
            "transport encryption",
        ]
    }
    authorise = result.hops[2]
    assert authorise.crosses_boundary and authorise.fields[0].masking is None
    assert authorise.contract_versions == ["test-bp:scheme-api@1.0.0"]
    assert [(f.id, f.classification) for f in authorise.fields] == [
        ("test-bp:scheme-api@1.0.0#request/card/pan", "test-bp:pan")
    ]
    # The classification's full identifier answers the same hops.
    by_id = await lineage(loaded, "test-bp:pan")
    assert [(h.depth, h.flow) for h in by_id.hops] == [(h.depth, h.flow) for h in result.hops]


async def test_field_lineage_follows_its_contract_only(loaded: Store) -> None:
    result = await lineage(loaded, "test-bp:card-events@1.0.0#message/card/pan")
    assert result.kind == "field"
    assert sorted(h.flow for h in result.hops) == ["test-bp:screen", "test-bp:verdict"]
    assert result.gaps == []


async def test_reverse_lineage_into_a_system(loaded: Store) -> None:
    result = await classified_data_reaching(loaded, "test-bp:payments")
    assert (result.subject, result.systems) == ("test-bp:payments", ["test-bp:payments"])
    hops = sorted((h.sender, h.flow) for h in result.hops)
    assert hops == [("test-bp:fraud", "test-bp:verdict"), ("test-bp:shop", "test-bp:pay")]


async def test_unknown_subject(loaded: Store) -> None:
    with pytest.raises(IntegraphError, match="neither a field id nor a classification"):
        await lineage(loaded, "phi")


async def test_short_ids_are_unknown_to_the_service(loaded: Store) -> None:
    """The service takes full identifiers (the CLI resolves short ones): a short field,
    classification or system id is an error, never an empty lineage."""
    for short_id in ("card-events@1.0.0#message/card/pan", "pan"):
        with pytest.raises(IntegraphError, match="neither a field id nor a classification"):
            await lineage(loaded, short_id)
    with pytest.raises(IntegraphError, match="'payments' is not in the graph"):
        await classified_data_reaching(loaded, "payments")
