"""Rules that reason per operation of a contract version (RES-08, RES-11, RES-12, CON-11 and
the data rules SEC-08/09/10/12): positive and negative fixtures against the real Neo4j, each
with the exact findings expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from integraph.lint.findings import Finding, LintReport
from integraph.store.driver import Store
from tests.lint.harness import findings_of, lint_blueprint, short
from tests.lint.test_rules_error_handling import _call, _retry, _system, _timeout


def _found(report: LintReport) -> list[tuple[str, tuple[str, ...]]]:
    """(element, related) of every finding, sorted (the report orders them by fingerprint
    within an element)."""
    return sorted(_key(f) for f in report.findings)


def _key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    return short(finding.element), tuple(short(r) for r in finding.related)


def _by_key(report: LintReport) -> dict[tuple[str, tuple[str, ...]], Finding]:
    return {_key(f): f for f in report.findings}


def _contract(cid: str, kind: str, version: str, **content: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "kind": kind,
        "compatibility": "BACKWARD",
        "versions": [{"version": version, **content}],
    }


def _uses(contract: str, version: str, *operations: str) -> dict[str, Any]:
    """The contract part of a flow: both sides on ``version``, naming ``operations``."""
    used: dict[str, Any] = {
        "contract": contract,
        "producer_version": version,
        "consumer_version": version,
    }
    if operations:
        used["operations"] = list(operations)
    return used


# --- RES-08 per operation ------------------------------------------------------------------------

KEY_HEADER = [{"path": "/Idempotency-Key", "type": "string", "required": True}]
BILLING_API = _contract(
    "billing-api",
    "openapi",
    "1.0.0",
    operations=[
        {"name": "create-invoice", "method": "POST", "http_path": "/invoices"},
        {
            "name": "charge",
            "method": "POST",
            "http_path": "/charges",
            "idempotency_key": "headers/Idempotency-Key",
            "headers": KEY_HEADER,
        },
        {"name": "get-invoice", "method": "GET", "http_path": "/invoices/{id}"},
        {"name": "replace-invoice", "method": "PUT", "http_path": "/invoices/{id}"},
        # Declared: mutating without a method, so not idempotent either.
        {"name": "void", "mutating": True},
        # No method and nothing declared: neither mutating nor idempotent.
        {"name": "notify"},
        # A POST declared idempotent (e.g. a client-chosen id in the body).
        {"name": "cancel", "method": "POST", "http_path": "/cancellations", "idempotent": True},
    ],
)
BILLING_EVENTS = _contract(
    "billing-events",
    "asyncapi",
    "1",
    operations=[
        {"name": "invoice-requested", "action": "send", "mutating": True},
        {"name": "invoice-seen", "action": "send"},
    ],
)
HARMLESS = ["cancel", "charge", "get-invoice", "notify", "replace-invoice"]
ALL_BILLING = [*HARMLESS, "create-invoice", "void"]


def _event(flow_id: str, *operations: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": "orders",
        "target": "billing",
        "pattern": "event",
        **_uses("billing-events", "1", *operations),
        **extra,
    }


async def test_res08_operations_repeated_without_key(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [_system("orders"), _system("billing")],
            "contracts": [BILLING_API, BILLING_EVENTS],
            "flows": [
                # No retry policy: the transport's own retries repeat the call.
                _call("bill", "orders", "billing", **_uses("billing-api", "1.0.0", *ALL_BILLING)),
                _call("bill-void", "orders", "billing", **_uses("billing-api", "1.0.0", "void")),
                _call(
                    "bill-retried",
                    "orders",
                    "billing",
                    **_uses("billing-api", "1.0.0", "create-invoice", "get-invoice"),
                ),
                # Delivery left unset counts as at least once; a retry policy adds to it.
                _event("invoice-requested", "invoice-requested", "invoice-seen"),
                _event("invoice-requested-twice", "invoice-requested", delivery="at_least_once"),
            ],
            "policies": [
                _retry("r-bill", "bill-retried", max_attempts=3),
                _retry("r-events", "invoice-requested-twice", max_attempts=2),
            ],
        },
        ["RES-08"],
    )
    assert report.rule_errors == []
    found = _found(report)
    assert found == [
        ("bill", ("billing-api@1.0.0#create-invoice",)),
        ("bill", ("billing-api@1.0.0#void",)),
        ("bill-retried", ("billing-api@1.0.0#create-invoice",)),
        ("bill-void", ("billing-api@1.0.0#void",)),
        ("invoice-requested", ("billing-events@1#invoice-requested",)),
        ("invoice-requested-twice", ("billing-events@1#invoice-requested",)),
    ]
    found_by = _by_key(report)
    messages = [found_by[key].message for key in found]
    details = [found_by[key].details for key in found]
    assert messages[0] == (
        "operation create-invoice (POST) of flow test-bp:bill (test-bp:orders -> "
        "test-bp:billing) changes state and is not idempotent, and is repeated by implicit "
        "retries of clients, proxies and the mesh without an idempotency key: a repeat after "
        "a timeout can apply the change twice"
    )
    assert "operation void of flow test-bp:bill " in messages[1]
    assert "repeated by retry policy test-bp:r-bill without" in messages[2]
    assert "repeated by at-least-once delivery without" in messages[4]
    assert (
        "repeated by retry policy test-bp:r-events and at-least-once delivery without"
        in (messages[5])
    )
    assert details[0] == {
        "pattern": "request_response",
        "operation": "create-invoice",
        "method": "POST",
        "repeated_by": ["implicit retries of clients, proxies and the mesh"],
        "retry_policies": [],
        "source": "test-bp:orders",
        "target": "test-bp:billing",
    }
    assert details[1]["method"] is None
    assert details[5]["repeated_by"] == [
        "retry policy test-bp:r-events",
        "at-least-once delivery",
    ]


async def test_res08_operations_not_repeated_or_keyed(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-08",
        {
            "systems": [_system("orders"), _system("billing")],
            "contracts": [BILLING_API, BILLING_EVENTS],
            "flows": [
                # Retries explicitly disabled (max_attempts 1): no implicit retries either.
                _call(
                    "bill-once",
                    "orders",
                    "billing",
                    **_uses("billing-api", "1.0.0", "create-invoice", "void"),
                ),
                # An idempotency policy with a key covers every operation of the flow.
                _call(
                    "bill-keyed",
                    "orders",
                    "billing",
                    **_uses("billing-api", "1.0.0", "create-invoice"),
                ),
                # Keyed, safe, idempotent, or not mutating: repeats are harmless.
                _call(
                    "bill-safe",
                    "orders",
                    "billing",
                    **_uses("billing-api", "1.0.0", *HARMLESS),
                ),
                _event("at-most-once", "invoice-requested", delivery="at_most_once"),
                _event("exactly-once", "invoice-requested", delivery="exactly_once"),
                _event("not-mutating", "invoice-seen"),
                # Naming no operations: judged as a whole, as before (no retry policy: fine).
                _call("bill-whole", "orders", "billing", mutating=True, contract="billing-api"),
            ],
            "policies": [
                _retry("r-off", "bill-once", max_attempts=1),
                {
                    "id": "idem-bill",
                    "kind": "idempotency",
                    "applies_to": ["bill-keyed"],
                    "key": "Idempotency-Key",
                    "key_source": "header",
                },
            ],
        },
    )
    assert found == []


# --- RES-11 per operation ------------------------------------------------------------------------

BFF_API = _contract(
    "bff-api",
    "openapi",
    "1.0.0",
    operations=[
        {"name": "checkout", "method": "POST", "calls": ["bff-to-orders"]},
        {"name": "browse", "method": "GET"},
    ],
)


async def test_res11_caller_paired_with_its_operations_calls(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [_system(s) for s in ("web", "mobile", "kiosk", "bff", "orders", "stock")],
            "contracts": [BFF_API],
            "flows": [
                # checkout calls bff-to-orders only: bff-to-stock is not its callee.
                _call("web-to-bff", "web", "bff", **_uses("bff-api", "1.0.0", "checkout")),
                # browse declares no calls: paired with nothing.
                _call("kiosk-to-bff", "kiosk", "bff", **_uses("bff-api", "1.0.0", "browse")),
                # No operations: paired with every synchronous flow leaving bff, as before.
                _call("mobile-to-bff", "mobile", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("bff-to-stock", "bff", "stock"),
            ],
            "policies": [
                _timeout("t-web", "web-to-bff", request_timeout_ms=3000),
                _timeout("t-kiosk", "kiosk-to-bff", request_timeout_ms=1000),
                _timeout("t-mobile", "mobile-to-bff", request_timeout_ms=3000),
                _timeout("t-orders", "bff-to-orders", request_timeout_ms=1500),
                _retry("r-orders", "bff-to-orders", max_attempts=2),
                _timeout("t-stock", "bff-to-stock", request_timeout_ms=4000),
            ],
        },
        ["RES-11"],
    )
    assert report.rule_errors == []
    found = _found(report)
    assert found == [
        ("mobile-to-bff", ("bff-to-orders",)),
        ("mobile-to-bff", ("bff-to-stock",)),
        ("web-to-bff", ("bff-to-orders",)),
    ]
    assert _by_key(report)[found[2]].message == (
        "timeout budget inverted: test-bp:web gives up on test-bp:bff after 3000 ms (flow "
        "test-bp:web-to-bff), but test-bp:bff may spend 3000 ms on test-bp:orders (flow "
        "test-bp:bff-to-orders, 1500 ms x 2 attempt(s))"
    )


async def test_res11_operations_without_the_slow_call(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-11",
        {
            "systems": [_system(s) for s in ("web", "kiosk", "bff", "orders", "stock")],
            "contracts": [BFF_API],
            "flows": [
                _call("web-to-bff", "web", "bff", **_uses("bff-api", "1.0.0", "checkout")),
                _call("kiosk-to-bff", "kiosk", "bff", **_uses("bff-api", "1.0.0", "browse")),
                _call("bff-to-orders", "bff", "orders"),
                _call("bff-to-stock", "bff", "stock"),
            ],
            "policies": [
                _timeout("t-web", "web-to-bff", request_timeout_ms=3000),
                _timeout("t-kiosk", "kiosk-to-bff", request_timeout_ms=1000),
                _timeout("t-orders", "bff-to-orders", request_timeout_ms=1000),
                # Slower than both callers, but called by none of their operations.
                _timeout("t-stock", "bff-to-stock", request_timeout_ms=9000),
            ],
        },
    )
    assert found == []


# --- RES-12 per operation ------------------------------------------------------------------------

CHAIN_SYSTEMS = [_system(s) for s in ("web", "mobile", "bff", "orders", "stock", "warehouse")]


def _bff(calls: list[str]) -> dict[str, Any]:
    return _contract("bff-api", "openapi", "1.0.0", operations=[{"name": "browse", "calls": calls}])


ORDERS_API = _contract(
    "orders-api", "openapi", "1.0.0", operations=[{"name": "reserve", "calls": []}]
)


async def test_res12_chain_follows_the_operations_calls(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [*CHAIN_SYSTEMS, _system("vault")],
            "contracts": [_bff(["bff-to-stock"])],
            "flows": [
                # Its operation calls bff-to-stock only: the example chain takes it although
                # bff-to-orders comes first by id.
                _call("web-to-bff", "web", "bff", **_uses("bff-api", "1.0.0", "browse")),
                _call("mobile-to-bff", "mobile", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
                _call("bff-to-stock", "bff", "stock"),
                _call("stock-to-warehouse", "stock", "warehouse"),
                _call("warehouse-to-vault", "warehouse", "vault"),
            ],
        },
        ["RES-12"],
    )
    assert report.rule_errors == []
    assert _found(report) == [("mobile-to-bff", ()), ("web-to-bff", ())]
    assert [[short(c) for c in f.details["chain"]] for f in report.findings] == [
        ["mobile-to-bff", "bff-to-orders", "orders-to-stock", "stock-to-warehouse"],
        ["web-to-bff", "bff-to-stock", "stock-to-warehouse", "warehouse-to-vault"],
    ]
    assert _by_key(report)[("web-to-bff", ())].message == (
        "synchronous chain deeper than 3 calls starts at flow test-bp:web-to-bff (test-bp:web "
        "-> test-bp:bff): test-bp:web -> test-bp:bff -> test-bp:stock -> test-bp:warehouse -> "
        "test-bp:vault"
    )


async def test_res12_chain_ends_where_operations_call_nothing(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-12",
        {
            "systems": CHAIN_SYSTEMS,
            "contracts": [_bff(["bff-to-stock"]), ORDERS_API],
            "flows": [
                # web -> bff goes on only to stock: three calls, within the limit.
                _call("web-to-bff", "web", "bff", **_uses("bff-api", "1.0.0", "browse")),
                # mobile -> bff -> orders ends at orders: reserve calls nothing.
                _call("mobile-to-bff", "mobile", "bff"),
                _call("bff-to-orders", "bff", "orders", **_uses("orders-api", "1.0.0", "reserve")),
                _call("orders-to-stock", "orders", "stock"),
                _call("bff-to-stock", "bff", "stock"),
                _call("stock-to-warehouse", "stock", "warehouse"),
            ],
        },
    )
    assert found == []


# --- CON-11 consumer still reading a field past its sunset ---------------------------------------


def _sunset(path: str, sunset: str, **extra: object) -> dict[str, object]:
    return {"path": path, "type": "string", "deprecated": True, "sunset": sunset, **extra}


CHECKOUT_API = _contract(
    "checkout-api",
    "openapi",
    "1.0.0",
    response=[_sunset("/v1_id", "2025-06-01")],
    operations=[
        {
            "name": "place-order",
            "method": "POST",
            # The consumer writes the request: its sunset concerns the provider, not CON-11.
            "request": [_sunset("/old_param", "2024-01-01")],
            "response": [
                {"path": "/shipping_cost", "type": "decimal"},
                _sunset(
                    "/legacy_total",
                    "2024-12-31",
                    deprecated_on="2024-01-01",
                    replaced_by="/shipping_cost",
                ),
                _sunset("/later", "2099-01-01"),
            ],
        },
        {
            "name": "get-order",
            "method": "GET",
            "error": [_sunset("/old_code", "2025-01-01")],
        },
    ],
)
ORDER_EVENTS = _contract(
    "order-events",
    "asyncapi",
    "1",
    headers=[_sunset("/x-legacy", "2024-05-01")],
    operations=[
        {"name": "order-placed", "action": "send", "message": [_sunset("/old", "2024-02-01")]}
    ],
)


async def test_con11_consumer_reads_sunset_fields(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [_system(s) for s in ("web", "checkout", "billing")],
            "contracts": [CHECKOUT_API, ORDER_EVENTS],
            "flows": [
                _call(
                    "web-places", "web", "checkout", **_uses("checkout-api", "1.0.0", "place-order")
                ),
                _call("web-all", "web", "checkout", **_uses("checkout-api", "1.0.0")),
                {
                    "id": "order-placed",
                    "source": "checkout",
                    "target": "billing",
                    "pattern": "event",
                    **_uses("order-events", "1", "order-placed"),
                },
            ],
        },
        ["CON-11"],
    )
    assert report.rule_errors == []
    found = _found(report)
    assert found == [
        ("order-placed", ("order-events@1#headers/x-legacy",)),
        ("order-placed", ("order-events@1#order-placed/message/old",)),
        ("web-all", ("checkout-api@1.0.0#get-order/error/old_code",)),
        ("web-all", ("checkout-api@1.0.0#place-order/response/legacy_total",)),
        ("web-all", ("checkout-api@1.0.0#response/v1_id",)),
        ("web-places", ("checkout-api@1.0.0#place-order/response/legacy_total",)),
        ("web-places", ("checkout-api@1.0.0#response/v1_id",)),
    ]
    by_key = _by_key(report)
    legacy = by_key[("web-places", ("checkout-api@1.0.0#place-order/response/legacy_total",))]
    assert legacy.message == (
        "flow test-bp:web-places: consumer test-bp:web (on test-bp:checkout-api@1.0.0) still "
        "reads field place-order/response/legacy_total, past its sunset 2024-12-31; replaced "
        "by /shipping_cost"
    )
    assert legacy.details["field"] == "place-order/response/legacy_total"
    assert legacy.details["operation"] == "place-order"
    assert legacy.details["consumer"] == "test-bp:web"
    assert legacy.details["sunset"] == "2024-12-31"
    assert legacy.details["replaced_by"] == "/shipping_cost"
    event = by_key[("order-placed", ("order-events@1#headers/x-legacy",))]
    assert event.message == (
        "flow test-bp:order-placed: consumer test-bp:billing (on test-bp:order-events@1) still "
        "reads field headers/x-legacy, past its sunset 2024-05-01"
    )
    assert event.details["replaced_by"] is None


async def test_con11_producer_side_or_later_version(graph: Store, tmp_path: Path) -> None:
    checkout = {
        **CHECKOUT_API,
        "versions": [*CHECKOUT_API["versions"], {"version": "2.0.0", "response": []}],
    }
    found = await findings_of(
        graph,
        tmp_path,
        "CON-11",
        {
            "systems": [_system(s) for s in ("web", "checkout")],
            "contracts": [checkout],
            "flows": [
                # The consumer moved on; the provider still serving 1.0.0 is CON-07's concern.
                _call(
                    "web-moved",
                    "web",
                    "checkout",
                    contract="checkout-api",
                    producer_version="1.0.0",
                    consumer_version="2.0.0",
                ),
                # get-order's sunset fields are in the error body of another operation.
                _call(
                    "web-reads",
                    "web",
                    "checkout",
                    contract="checkout-api",
                    producer_version="2.0.0",
                    consumer_version="2.0.0",
                ),
            ],
        },
    )
    assert found == []


# --- SEC-08 / SEC-09 / SEC-10 / SEC-12 per operation ---------------------------------------------

DATA_SYSTEMS = [
    _system("checkout"),
    _system("payment", "regulated"),
    _system("email", "partner", external=True),
]
CLASSIFICATIONS = [
    {"id": "pii-contact", "category": "pii", "regulations": ["GDPR"]},
    {"id": "pci-pan", "category": "pci", "regulations": ["PCI-DSS"], "audit_required": True},
]
PAYMENT_API = _contract(
    "payment-api",
    "openapi",
    "1.0.0",
    operations=[
        {
            "name": "charge",
            "method": "POST",
            "request": [{"path": "/card/pan", "type": "string", "classification": "pci-pan"}],
        },
        {
            "name": "lookup",
            "method": "GET",
            "request": [{"path": "/order_id", "type": "string"}],
            "response": [{"path": "/email", "type": "string", "classification": "pii-contact"}],
        },
    ],
)
EMAIL_API = _contract(
    "email-api",
    "openapi",
    "3",
    operations=[
        {
            "name": "send",
            "method": "POST",
            "request": [
                {
                    "path": "/to",
                    "type": "string",
                    "classification": "pii-contact",
                    "clear_for": ["email"],
                },
                {"path": "/reply_to", "type": "string", "classification": "pii-contact"},
            ],
            "headers": [{"path": "/x-customer", "type": "string", "classification": "pii-contact"}],
        },
    ],
)


def _data_flows() -> list[dict[str, object]]:
    return [
        # Names charge only: carries the PAN, not lookup's email.
        _call("checkout-charges", "checkout", "payment", **_uses("payment-api", "1.0.0", "charge")),
        # Names lookup only: the email comes back; no PAN on this flow.
        _call(
            "checkout-looks-up", "checkout", "payment", **_uses("payment-api", "1.0.0", "lookup")
        ),
        # To the provider entitled to /to: only /reply_to and the header need protecting.
        _call(
            "checkout-sends-email",
            "checkout",
            "email",
            transport_encryption="tls",
            audit_logging=True,
            **_uses("email-api", "3", "send"),
        ),
    ]


async def test_sec08_fields_of_the_named_operations_and_entitled_receivers(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": DATA_SYSTEMS,
            "classifications": CLASSIFICATIONS,
            "contracts": [PAYMENT_API, EMAIL_API],
            "flows": _data_flows(),
        },
        ["SEC-08"],
    )
    assert report.rule_errors == []
    found = _found(report)
    assert found == [
        ("checkout-charges", ("payment-api@1.0.0#charge/request/card/pan",)),
        ("checkout-looks-up", ("payment-api@1.0.0#lookup/response/email",)),
        ("checkout-sends-email", ("email-api@3#send/headers/x-customer",)),
        ("checkout-sends-email", ("email-api@3#send/request/reply_to",)),
    ]
    by_key = _by_key(report)
    assert by_key[found[0]].message == (
        "flow test-bp:checkout-charges (test-bp:checkout -> test-bp:payment) carries pci field "
        "charge/request/card/pan (test-bp:pci-pan) across trust zones internal -> regulated "
        "without masking, tokenisation, pseudonymisation or encryption"
    )
    assert by_key[found[2]].details["receiver"] == "test-bp:email"
    assert by_key[found[2]].details["field"] == "send/headers/x-customer"


async def test_sec08_masked_operation_field_or_entitled_receiver(
    graph: Store, tmp_path: Path
) -> None:
    flows = _data_flows()
    flows[0]["masking"] = [{"field": "charge/request/card/pan", "method": "tokenised"}]
    flows[1]["masking"] = [{"field": "lookup/response/email", "method": "pseudonymised"}]
    flows[2]["masking"] = [
        {"field": "send/request/reply_to", "method": "encrypted"},
        {"field": "send/headers/x-customer", "method": "redacted"},
    ]
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-08",
        {
            "systems": DATA_SYSTEMS,
            "classifications": CLASSIFICATIONS,
            "contracts": [PAYMENT_API, EMAIL_API],
            "flows": flows,
        },
    )
    assert found == []


async def test_sec09_sec10_sec12_only_the_named_operations_fields(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": DATA_SYSTEMS,
            "classifications": CLASSIFICATIONS,
            "contracts": [PAYMENT_API, EMAIL_API],
            "flows": _data_flows(),
        },
        ["SEC-09", "SEC-10", "SEC-12"],
    )
    assert report.rule_errors == []
    found = [(f.rule.id, short(f.element)) for f in report.findings]
    assert sorted(found) == [
        # checkout-looks-up carries only lookup's email (GDPR): unencrypted, not audited data.
        ("SEC-09", "checkout-charges"),
        ("SEC-09", "checkout-looks-up"),
        ("SEC-10", "checkout-charges"),
        # Entitled or not, personal data to a third party needs a justification.
        ("SEC-12", "checkout-sends-email"),
    ]
    by_rule = {(f.rule.id, short(f.element)): f for f in report.findings}
    assert by_rule[("SEC-09", "checkout-looks-up")].details["regulations"] == ["GDPR"]
    assert by_rule[("SEC-09", "checkout-charges")].details["regulations"] == ["PCI-DSS"]
    assert by_rule[("SEC-12", "checkout-sends-email")].details["fields"] == [
        "send/headers/x-customer",
        "send/request/reply_to",
        "send/request/to",
    ]
