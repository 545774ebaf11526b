"""Security rules of the runtime topology (SEC-14..SEC-18), and how the existing
service-to-service rules treat actors and data stores, against the real Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from integraph.knowledge.load import load_blueprint
from integraph.lint.findings import Finding
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.conftest import ROOT
from tests.lint.harness import BLUEPRINT, TODAY, findings_of, lint_blueprint, short

BP = BLUEPRINT["id"]
TOPOLOGY = ROOT / "tests" / "fixtures" / "blueprints" / "topology"


def _id(local: str) -> str:
    """The full id a rule's message prints for an element of the test blueprint."""
    return f"{BP}:{local}"


def _system(system_id: str, zone: str = "internal", **extra: object) -> dict[str, object]:
    return {"id": system_id, "name": system_id.title(), "trust_zone": zone, **extra}


def _actor(
    system_id: str, channel: str = "internet", actor_type: str = "anonymous"
) -> dict[str, object]:
    return _system(system_id, "public", kind="actor", actor_type=actor_type, channel=channel)


def _store(system_id: str) -> dict[str, object]:
    return _system(system_id, kind="data_store", store_type="cache", engine="redis")


def _flow(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": source,
        "target": target,
        "pattern": "request_response",
        **extra,
    }


def _event(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    return _flow(flow_id, source, target, pattern="event", **extra)


def _cred(cred_id: str, kind: str = "sasl_scram", **extra: object) -> dict[str, object]:
    return {"id": cred_id, "kind": kind, "secret_ref": f"vault://kv/{cred_id}", **extra}


async def _findings(
    graph: Store, tmp_path: Path, rule_id: str, sections: dict[str, Any]
) -> list[Finding]:
    report = await lint_blueprint(graph, tmp_path, sections, [rule_id])
    assert not report.rule_errors, report.rule_errors
    return report.findings


def _keys(findings: list[Finding]) -> list[tuple[str, tuple[str, ...]]]:
    return [(short(f.element), tuple(short(r) for r in f.related)) for f in findings]


# A broker with its channels, for the messaging rules.
BROKER = [
    {"id": "kafka", "kind": "broker"},
    {"id": "orders", "kind": "topic", "part_of": "kafka"},
    {"id": "quote-requests", "kind": "topic", "part_of": "kafka"},
    {"id": "quote-replies", "kind": "topic", "part_of": "kafka"},
    {"id": "jobs", "kind": "queue", "part_of": "kafka"},
    {"id": "bus", "kind": "event_bus"},
    {"id": "gateway", "kind": "api_gateway"},
]


# SEC-14: reply address taken from the request


def _quote(flow_id: str, **reply: object) -> dict[str, object]:
    return _flow(
        flow_id,
        "checkout",
        "pricing",
        pattern="command",
        via=["quote-requests"],
        credential="cred-checkout",
        receiver_credential="cred-pricing",
        reply={"correlation_key": "correlation-id", **reply},
    )


QUOTE_SYSTEMS = [_system("checkout"), _system("pricing")]
QUOTE_CREDENTIALS = [
    _cred("cred-checkout", held_by=["checkout"], towards=["kafka"]),
    _cred(
        "cred-pricing",
        held_by=["pricing"],
        towards=["kafka"],
        permissions=[
            {"channel": "quote-requests", "access": ["read"]},
            {"channel": "*", "access": ["write"]},
            {"consumer_group": "pricing", "access": ["read"]},
        ],
    ),
]


async def test_sec14_reply_address_from_a_request_header(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-14",
        {
            "systems": QUOTE_SYSTEMS,
            "components": BROKER,
            "credentials": QUOTE_CREDENTIALS,
            "flows": [
                _quote("quote", address_header="reply-topic"),
                # A reply channel as well as the header: the header still decides.
                _quote("quote-2", via=["quote-replies"], address_header="JMSReplyTo"),
            ],
        },
    )
    assert _keys(found) == [("quote", ()), ("quote-2", ())]
    quote, quote_2 = found
    assert quote.message == (
        f"request-reply flow {_id('quote')} ({_id('checkout')} -> {_id('pricing')}) takes its "
        f"reply address from request header reply-topic: replier {_id('pricing')} writes "
        "wherever a requester asks, so it needs write access to the reply channel of every "
        "requester, and a forged header makes it write elsewhere"
    )
    assert quote.details == {
        "header": "reply-topic",
        "replier": _id("pricing"),
        "requester": _id("checkout"),
        "replier_credential": _id("cred-pricing"),
        "replier_writes": ["*"],
        "reply_via": [],
    }
    assert quote_2.details["header"] == "JMSReplyTo"
    assert quote_2.details["reply_via"] == [_id("quote-replies")]


async def test_sec14_fixed_reply_channel_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-14",
        {
            "systems": QUOTE_SYSTEMS,
            "components": BROKER,
            "credentials": QUOTE_CREDENTIALS,
            "flows": [
                _quote("quote", via=["quote-replies"]),
                _event("order-placed", "checkout", "pricing", via=["orders"]),
            ],
        },
    )
    assert found == []


# SEC-15: card data entered over an unencrypted channel from the internet

CARD = {"id": "card", "category": "pci", "regulations": ["PCI-DSS"]}
CARD_FORM = {
    "id": "card-form",
    "kind": "openapi",
    "versions": [
        {
            "version": "1",
            "request": [
                {"path": "/card/pan", "type": "string", "classification": "card"},
                {"path": "/amount", "type": "number"},
            ],
        }
    ],
}
# The PAN returned in a response (a vault detokenising a card).
VAULT_API = {
    "id": "vault-api",
    "kind": "openapi",
    "versions": [
        {"version": "1", "response": [{"path": "/pan", "type": "string", "classification": "card"}]}
    ],
}


def _card_flow(
    flow_id: str, source: str, target: str, contract: str = "card-form", **extra: object
):
    return _flow(
        flow_id,
        source,
        target,
        contract=contract,
        producer_version="1",
        consumer_version="1",
        **extra,
    )


def _card_sections(systems: list[dict[str, object]], flows: list[dict[str, object]]):
    return {
        "systems": systems,
        "classifications": [CARD],
        "contracts": [CARD_FORM, VAULT_API],
        "flows": flows,
    }


async def test_sec15_card_data_typed_in_over_plain_http(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-15",
        _card_sections(
            [
                _actor("shopper"),
                _system("storefront", "public"),
                _system("checkout", "public"),
                _system("payments", "regulated"),
            ],
            [
                # The actor's own contract carries the PAN.
                _card_flow("pay-form", "shopper", "storefront"),
                # No contract on the actor's flow, but checkout passes card data on and no
                # other system brings it any: the shopper typed it in.
                _flow("checkout-page", "shopper", "checkout", transport_encryption="none"),
                _card_flow("authorise", "checkout", "payments", transport_encryption="mtls"),
            ],
        ),
    )
    assert _keys(found) == [("checkout-page", ()), ("pay-form", ())]
    page, form = found
    assert page.message == (
        f"flow {_id('checkout-page')} ({_id('shopper')} -> {_id('checkout')}) carries card data "
        f"entered by actor {_id('shopper')} over the internet with transport_encryption none: "
        f"{_id('checkout')} passes card data on over {_id('authorise')} and no other system "
        "brings it any"
    )
    assert page.details == {
        "actor": _id("shopper"),
        "actor_type": "anonymous",
        "channel": "internet",
        "system": _id("checkout"),
        "transport_encryption": "none",
        "evidence": "lineage",
        "classifications": [],
        "onward_flows": [_id("authorise")],
    }
    assert form.message == (
        f"flow {_id('pay-form')} ({_id('shopper')} -> {_id('storefront')}) carries card data "
        f"entered by actor {_id('shopper')} over the internet without declared transport "
        f"encryption: its contract carries {_id('card')}"
    )
    assert form.details["evidence"] == "contract"
    assert form.details["onward_flows"] == []


async def test_sec15_contract_and_onward_flows_both_named(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-15",
        _card_sections(
            [_actor("shopper"), _system("storefront", "public"), _system("payments", "regulated")],
            [
                _card_flow("pay-form", "shopper", "storefront"),
                _card_flow("authorise", "storefront", "payments", transport_encryption="tls"),
                _card_flow("capture", "storefront", "payments", transport_encryption="tls"),
            ],
        ),
    )
    assert _keys(found) == [("pay-form", ())]
    assert found[0].message.endswith(
        f": its contract carries {_id('card')}, and {_id('storefront')} passes card data on "
        f"over {_id('authorise')}, {_id('capture')}"
    )


async def test_sec15_encrypted_internal_or_elsewhere_sourced_is_fine(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-15",
        _card_sections(
            [
                _actor("shopper"),
                _actor("clerk", channel="internal_network", actor_type="person"),
                _system("storefront", "public"),
                _system("branch-desk"),
                _system("wallet"),
                _system("vault", "regulated"),
                _system("catalog", "public"),
                _system("payments", "regulated"),
            ],
            [
                # Encrypted.
                _card_flow("pay-form", "shopper", "storefront", transport_encryption="tls"),
                # Not from the internet.
                _card_flow("desk-form", "clerk", "branch-desk"),
                # wallet passes card data on, but it gets it from the vault (a response), not
                # from the shopper.
                _flow("wallet-page", "shopper", "wallet"),
                _card_flow("detokenise", "wallet", "vault", contract="vault-api"),
                _card_flow("pay", "wallet", "payments", transport_encryption="tls"),
                # No card data anywhere near.
                _flow("browse", "shopper", "catalog"),
            ],
        ),
    )
    assert found == []


# SEC-16: non-production using production resources or credentials

ENVIRONMENTS = [
    {"id": "dev"},
    {"id": "staging"},
    {"id": "prod", "production": True},
]


async def test_sec16_environments_mixed(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-16",
        {
            "environments": ENVIRONMENTS,
            "components": [
                {
                    "id": "registry",
                    "kind": "schema_registry",
                    "environments": ["dev", "staging", "prod"],
                },
                {"id": "kafka-prod", "kind": "broker", "environments": ["prod"]},
            ],
            "credentials": [
                _cred("cred-shared", environments=["dev", "prod"]),
                _cred("cred-dev", environments=["dev", "staging"], towards=["kafka-prod"]),
            ],
        },
    )
    assert _keys(found) == [("cred-dev", ("kafka-prod",)), ("cred-shared", ()), ("registry", ())]
    dev, shared, registry = found
    assert dev.message == (
        f"credential {_id('cred-dev')} is bound only to non-production environment(s) "
        f"{_id('dev')}, {_id('staging')} but authenticates to component {_id('kafka-prod')}, "
        f"bound only to production environment(s) {_id('prod')}: a non-production client holds "
        "a way into production"
    )
    assert dev.details == {
        "kind": "production_resource",
        "component": _id("kafka-prod"),
        "production": [_id("prod")],
        "non_production": [_id("dev"), _id("staging")],
    }
    assert shared.message == (
        f"credential {_id('cred-shared')} serves production environment(s) {_id('prod')} and "
        f"non-production environment(s) {_id('dev')}: what reaches it from non-production "
        "reaches production"
    )
    assert registry.message == (
        f"component {_id('registry')} serves production environment(s) {_id('prod')} and "
        f"non-production environment(s) {_id('dev')}, {_id('staging')}: what reaches it from "
        "non-production reaches production"
    )
    assert registry.details == {
        "kind": "shared_environments",
        "label": "component",
        "production": [_id("prod")],
        "non_production": [_id("dev"), _id("staging")],
    }


async def test_sec16_separated_environments_are_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-16",
        {
            "environments": ENVIRONMENTS,
            "components": [
                {"id": "kafka", "kind": "broker"},
                {
                    "id": "kafka-nonprod",
                    "kind": "broker",
                    "instance_of": "kafka",
                    "environments": ["dev", "staging"],
                },
                {
                    "id": "kafka-prod",
                    "kind": "broker",
                    "instance_of": "kafka",
                    "environments": ["prod"],
                },
            ],
            "credentials": [
                _cred("cred-prod", environments=["prod"], towards=["kafka-prod"]),
                _cred("cred-dev", environments=["dev"], towards=["kafka-nonprod"]),
                # Not bound to environments: not judged.
                _cred("cred-unbound", towards=["kafka-prod"]),
                _cred("cred-logical", environments=["dev"], towards=["kafka"]),
            ],
            "systems": [
                {
                    "id": "payments",
                    "trust_zone": "internal",
                    "endpoints": [
                        {"environment": "dev", "url": "https://payments.dev.bank.example"},
                        {"environment": "prod", "url": "https://payments.bank.example"},
                    ],
                }
            ],
        },
    )
    assert found == []


async def test_sec16_endpoint_at_the_production_address(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-16",
        {
            "environments": ENVIRONMENTS,
            "systems": [
                {
                    "id": "registry-api",
                    "trust_zone": "internal",
                    "endpoints": [
                        {"environment": "dev", "url": "https://registry.dev.bank.example"},
                        {"environment": "staging", "url": "https://registry.bank.example"},
                        {"environment": "prod", "url": "https://registry.bank.example"},
                    ],
                }
            ],
        },
    )
    assert _keys(found) == [("registry-api", ())]
    assert found[0].message == (
        f"system {_id('registry-api')} is reached at its production address "
        f"https://registry.bank.example also in non-production environment(s) {_id('staging')} "
        f"(production: {_id('prod')}): what is configured there calls production"
    )
    assert found[0].details == {
        "kind": "production_endpoint",
        "url": "https://registry.bank.example",
        "production": [_id("prod")],
        "non_production": [_id("staging")],
    }


# SEC-17: wildcard or write-everywhere broker permissions


async def test_sec17_wildcard_permissions(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-17",
        {
            "components": BROKER,
            "credentials": [
                _cred(
                    "cred-a",
                    towards=["kafka"],
                    permissions=[
                        {"channel": "orders", "access": ["read"]},
                        {"channel": "pay.*", "access": ["read"]},
                        {"channel": "*", "access": ["write"]},
                    ],
                ),
                _cred(
                    "cred-b",
                    permissions=[{"channel": "payment-*", "access": ["read", "write"]}],
                ),
                _cred(
                    "cred-c",
                    towards=["kafka"],
                    permissions=[
                        {"consumer_group": "*", "access": ["read"]},
                        {"channel": "orders", "access": ["all"]},
                    ],
                ),
                _cred(
                    "cred-d",
                    permissions=[
                        {"channel": "*", "access": ["delete"]},
                        {"consumer_group": "*", "access": ["read"]},
                    ],
                ),
            ],
        },
    )
    assert _keys(found) == [("cred-a", ()), ("cred-b", ()), ("cred-c", ()), ("cred-d", ())]
    a, b, c, d = found
    assert a.message == (
        f"credential {_id('cred-a')} has wildcard permissions at {_id('kafka')} (write on every "
        "channel; read on every channel matching pay.*): it writes everywhere, the worst case: "
        "with its secret anyone can inject messages into every channel at the broker"
    )
    assert a.details == {
        "permissions": [
            {"channel": "*", "consumer_group": None, "access": ["write"], "writes": True},
            {"channel": "pay.*", "consumer_group": None, "access": ["read"], "writes": False},
        ],
        "writes": True,
        "write_everywhere": True,
        "towards": [_id("kafka")],
    }
    assert b.message == (
        f"credential {_id('cred-b')} has wildcard permissions (read/write on every channel "
        "matching payment-*): it writes to channels nobody named for it"
    )
    assert b.details["write_everywhere"] is False and b.details["writes"] is True
    assert c.message == (
        f"credential {_id('cred-c')} has wildcard permissions at {_id('kafka')} (read on any "
        "consumer group): it joins consumer groups nobody named for it"
    )
    assert c.details["writes"] is False
    assert d.message == (
        f"credential {_id('cred-d')} has wildcard permissions (read on any consumer group; delete "
        "on every channel): it reaches channels and consumer groups nobody named for it"
    )


async def test_sec17_named_channels_and_groups_are_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-17",
        {
            "components": BROKER,
            "credentials": [
                _cred(
                    "cred-a",
                    towards=["kafka"],
                    permissions=[
                        {"channel": "orders", "access": ["write"]},
                        {"channel": "jobs", "access": ["read"]},
                        {"consumer_group": "billing", "access": ["read"]},
                        # A group prefix (the application's own namespace) is not reported.
                        {"consumer_group": "billing-*", "access": ["read"]},
                    ],
                ),
                _cred("cred-none"),
            ],
        },
    )
    assert found == []


# SEC-18: consumer without its own identity at the broker

CONSUMERS = [
    _system("shop"),
    _system("billing"),
    _system("crm"),
    _system("ledger"),
    _system("analytics"),
    _actor("customer"),
]
CONSUMER_CREDENTIALS = [
    _cred("cred-shop", held_by=["shop"], towards=["kafka"]),
    _cred("cred-billing", held_by=["billing"], towards=["kafka"]),
    {"id": "anonymous", "kind": "none"},
]


async def test_sec18_consumers_without_own_identity(graph: Store, tmp_path: Path) -> None:
    found = await _findings(
        graph,
        tmp_path,
        "SEC-18",
        {
            "systems": CONSUMERS,
            "components": BROKER,
            "credentials": CONSUMER_CREDENTIALS,
            "flows": [
                _event("to-billing", "shop", "billing", via=["orders"], credential="cred-shop"),
                _event(
                    "to-crm",
                    "shop",
                    "crm",
                    via=["orders"],
                    credential="cred-shop",
                    receiver_credential="cred-shop",
                ),
                _flow(
                    "to-ledger",
                    "shop",
                    "ledger",
                    pattern="command",
                    via=["kafka"],
                    credential="cred-shop",
                    receiver_credential="cred-billing",
                ),
                _flow(
                    "to-analytics",
                    "shop",
                    "analytics",
                    pattern="stream",
                    via=["gateway", "jobs"],
                    credential="cred-shop",
                    receiver_credential="anonymous",
                ),
            ],
        },
    )
    assert _keys(found) == [
        ("to-analytics", ("anonymous",)),
        ("to-billing", ()),
        ("to-crm", ("cred-shop",)),
        ("to-ledger", ("cred-billing",)),
    ]
    reasons = {short(f.element): f.details["reason"] for f in found}
    assert reasons == {
        "to-analytics": "kind_none",
        "to-billing": "no_credential",
        "to-crm": "source_credential",
        "to-ledger": "not_held",
    }
    messages = {short(f.element): f.message for f in found}
    head = f"({_id('shop')} -> "
    assert messages["to-billing"] == (
        f"event flow {_id('to-billing')} {head}{_id('billing')}) passes broker {_id('kafka')} "
        f"but its receiver {_id('billing')} has no identity of its own there: the flow names no "
        "receiver_credential"
    )
    assert messages["to-crm"].endswith(
        f"its receiver credential {_id('cred-shop')} is also the flow credential of source "
        f"{_id('shop')}, so the broker cannot tell the consumer from the producer"
    )
    assert messages["to-ledger"].endswith(
        f"its receiver credential {_id('cred-billing')} is not held by {_id('ledger')} but by "
        f"{_id('billing')}"
    )
    assert messages["to-analytics"].endswith(
        f"its receiver credential {_id('anonymous')} is of kind none"
    )
    assert found[0].details["brokers"] == [_id("kafka")]


async def test_sec18_own_identity_or_no_broker_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-18",
        {
            "systems": CONSUMERS,
            "components": BROKER,
            "credentials": CONSUMER_CREDENTIALS,
            "flows": [
                _event(
                    "to-billing",
                    "shop",
                    "billing",
                    via=["orders"],
                    credential="cred-shop",
                    receiver_credential="cred-billing",
                ),
                # An event bus pushes to its targets: they do not log in to it.
                _event("via-bus", "shop", "crm", via=["bus"], credential="cred-shop"),
                # Synchronous, or passing no component.
                _flow("call", "shop", "ledger", via=["gateway"], credential="cred-shop"),
                _event("direct", "shop", "analytics", credential="cred-shop"),
                # An actor holds no service credential.
                _event("notify", "shop", "customer", via=["orders"], credential="cred-shop"),
            ],
        },
    )
    assert found == []


# Actors and data stores in the service-to-service rules


async def test_sec07_skips_flows_from_actors(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-07",
        {
            "systems": [_actor("shopper"), _system("storefront", "public"), _store("cart-store")],
            "flows": [
                _flow("browse", "shopper", "storefront", transport_encryption="tls"),
                # A data store is still called by a service: it needs its credential.
                _flow("read-cart", "storefront", "cart-store"),
            ],
        },
    )
    assert found == [("read-cart", ())]


async def test_gov03_actors_need_no_owner_team(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "GOV-03",
        {
            "teams": [{"id": "team-shop"}],
            "systems": [
                _actor("shopper"),
                _system("storefront", "public", owner="team-shop"),
                _store("cart-store"),
            ],
        },
    )
    # A data store is run by a team like any service.
    assert found == [("cart-store", ())]


async def test_con01_skips_data_stores_and_actors(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-01",
        {
            "systems": [
                _actor("shopper"),
                _system("storefront", "public"),
                _system("cart"),
                _store("cart-store"),
            ],
            "flows": [
                _flow("browse", "shopper", "storefront"),
                _flow("read-cart", "cart", "cart-store"),
                _flow("show-cart", "storefront", "cart"),
                # Out of a data store (change data capture) its records still need a contract.
                _event("cart-changes", "cart-store", "cart"),
            ],
        },
    )
    assert found == [("cart-changes", ()), ("show-cart", ())]


async def test_data_rules_still_judge_actors_flows(graph: Store, tmp_path: Path) -> None:
    sections = _card_sections(
        [_actor("shopper"), _system("storefront", "public")],
        [_card_flow("pay-form", "shopper", "storefront")],
    )
    report = await lint_blueprint(graph, tmp_path, sections, ["SEC-09", "SEC-10", "SEC-15"])
    assert not report.rule_errors, report.rule_errors
    assert sorted((f.rule.id, short(f.element)) for f in report.findings) == [
        ("SEC-09", "pay-form"),
        ("SEC-10", "pay-form"),
        ("SEC-15", "pay-form"),
    ]


# The topology fixture, which uses every new construct


async def test_topology_fixture_findings(graph: Store) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    rules = choose_rules(
        ids=["SEC-07", "CON-01", "GOV-03", "SEC-14", "SEC-15", "SEC-16", "SEC-17", "SEC-18"]
    )
    report = await lint(graph, rules, today=TODAY)
    assert not report.rule_errors, report.rule_errors
    assert [(f.rule.id, f.element) for f in report.findings] == [
        ("CON-01", "topology:checkout-sends-email"),
        ("CON-01", "topology:storefront-reads-cart"),
        ("CON-01", "topology:storefront-shows-ads"),
        ("SEC-17", "topology:cred-payments-kafka"),
    ]
    (wildcard,) = [f for f in report.findings if f.rule.id == "SEC-17"]
    assert wildcard.details["permissions"] == [
        {"channel": "payment-*", "consumer_group": None, "access": ["write"], "writes": True}
    ]
