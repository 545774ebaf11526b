"""Resilience rules over the runtime topology (issue 11): data stores and actors, request-reply,
channel settings, operations' calls in order (RES-14, RES-18..RES-23, and actors in RES-10
and RES-12): positive and negative fixtures against the real Neo4j, each with the exact
findings expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from integraph.lint.config import LintConfig
from integraph.lint.findings import Finding, LintReport
from integraph.store.driver import Store
from tests.lint.harness import findings_of, lint_blueprint, short
from tests.lint.test_rules_error_handling import _alert, _breaker, _call, _system, _timeout
from tests.lint.test_rules_operations import _contract, _uses


def _found(report: LintReport) -> list[tuple[str, tuple[str, ...]]]:
    assert report.rule_errors == []
    return [(short(f.element), tuple(short(r) for r in f.related)) for f in report.findings]


def _only(report: LintReport, element: str) -> Finding:
    (finding,) = [f for f in report.findings if short(f.element) == element]
    return finding


def _actor(actor_id: str, **extra: object) -> dict[str, object]:
    return {
        "id": actor_id,
        "name": actor_id.title(),
        "kind": "actor",
        "actor_type": "anonymous",
        "channel": "internet",
        "trust_zone": "public",
        **extra,
    }


def _store(store_id: str, **extra: object) -> dict[str, object]:
    return {
        "id": store_id,
        "name": store_id.title(),
        "kind": "data_store",
        "store_type": "database",
        "trust_zone": "internal",
        **extra,
    }


def _async(flow_id: str, source: str, target: str, *via: str, **extra: object) -> dict[str, Any]:
    return {
        "id": flow_id,
        "source": source,
        "target": target,
        "pattern": extra.pop("pattern", "event"),
        "via": list(via),
        **extra,
    }


# --- RES-14 external or tier-1 call without a circuit breaker ------------------------------------

TIERED = [
    _actor("shopper"),
    _system("storefront", "public", tier=1),
    _system("cart", tier=1),
    _system("checkout", tier=1),
    _system("ads", tier=3),
    _system("maps", "public"),
    _store("cart-store", store_type="cache", engine="redis", tier=1),
]


async def test_res14_tier1_to_tier1_and_external_calls(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": TIERED,
            "flows": [
                _call("storefront-reads-cart", "storefront", "cart"),
                # A data store is an ordinary callee.
                _call("cart-reads-store", "cart", "cart-store"),
                _call("cart-geocodes", "cart", "maps"),
            ],
        },
        ["RES-14"],
    )
    assert _found(report) == [
        ("cart-geocodes", ()),
        ("cart-reads-store", ()),
        ("storefront-reads-cart", ()),
    ]
    tier1 = _only(report, "storefront-reads-cart")
    assert tier1.message == (
        "synchronous flow test-bp:storefront-reads-cart calls tier-1 system test-bp:cart from "
        "tier-1 system test-bp:storefront without a circuit breaker: when test-bp:cart fails, "
        "test-bp:storefront keeps calling it and fails with it"
    )
    assert tier1.details["case"] == "tier-1"
    external = _only(report, "cart-geocodes")
    assert external.details["case"] == "external"
    assert external.message.startswith(
        "synchronous flow test-bp:cart-geocodes calls public system test-bp:maps from "
        "test-bp:cart without"
    )


async def test_res14_actors_lower_tiers_breakers_and_async(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-14",
        {
            "systems": [*TIERED, _system("acquirer", "partner", tier=1, external=True)],
            "components": [{"id": "orders-topic", "kind": "topic"}],
            "flows": [
                # An actor's browser has no circuit breaker to configure, though the
                # storefront is public.
                _call("shopper-browses", "shopper", "storefront"),
                # Nor has a third party's tier-1 system calling into ours.
                _call("acquirer-authorises", "acquirer", "checkout"),
                # Tier 1 calling tier 3, and tier 3 calling tier 1: not both tier 1.
                _call("storefront-shows-ads", "storefront", "ads"),
                _call("ads-reads-cart", "ads", "cart"),
                _call("cart-reads-store", "cart", "cart-store"),
                _async("cart-checked-out", "cart", "checkout", "orders-topic"),
            ],
            "policies": [_breaker("cb-store", "cart-reads-store")],
        },
    )
    assert found == []


# --- actors and data stores in RES-10 and RES-12 -------------------------------------------------


async def test_res10_skips_actors_not_data_stores(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-10",
        {
            "systems": TIERED,
            "flows": [
                _call("shopper-browses", "shopper", "storefront"),
                _call("cart-reads-store", "cart", "cart-store"),
            ],
        },
    )
    assert found == [("cart-reads-store", ())]


SERVICES = [_system(s) for s in ("web", "bff", "orders", "stock", "warehouse")]


async def test_res12_chain_starts_at_the_first_service(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [_actor("shopper"), *SERVICES],
            "flows": [
                _call("shopper-to-web", "shopper", "web"),
                _call("web-to-bff", "web", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
                _call("stock-to-warehouse", "stock", "warehouse"),
            ],
        },
        ["RES-12"],
    )
    # Four calls between services, reported where they start: the actor's request is not one.
    assert _found(report) == [("web-to-bff", ())]
    assert [short(c) for c in report.findings[0].details["chain"]] == [
        "web-to-bff",
        "bff-to-orders",
        "orders-to-stock",
        "stock-to-warehouse",
    ]


async def test_res12_an_actor_in_front_adds_no_call(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-12",
        {
            "systems": [_actor("shopper"), *SERVICES],
            "flows": [
                # Three calls between services, the limit; with the actor's it would be four.
                _call("shopper-to-web", "shopper", "web"),
                _call("web-to-bff", "web", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
            ],
        },
    )
    assert found == []


# --- RES-18 tier-1 system whose only data store loses data ---------------------------------------


async def test_res18_only_store_without_persistence_or_replicas(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [
                _system("cart", tier=1),
                _store(
                    "cart-store", store_type="cache", engine="redis", persistence="none", replicas=1
                ),
                _system("sessions", tier=1),
                _store("session-db"),  # declares neither
                _system("ledger", tier=1),
                _store("ledger-db", engine="postgresql", persistence="durable", replicas=1),
            ],
            "flows": [
                _call("cart-reads-store", "cart", "cart-store"),
                _call("cart-writes-store", "cart", "cart-store", mutating=True),
                # A flow from the store counts as well.
                {
                    "id": "session-changes",
                    "source": "session-db",
                    "target": "sessions",
                    "pattern": "stream",
                },
                _call("ledger-writes", "ledger", "ledger-db", mutating=True),
            ],
        },
        ["RES-18"],
    )
    assert _found(report) == [
        ("cart", ("cart-store",)),
        ("ledger", ("ledger-db",)),
        ("sessions", ("session-db",)),
    ]
    assert _only(report, "cart").message == (
        "tier-1 system test-bp:cart keeps its data in one data store, test-bp:cart-store "
        "(cache, redis), which has persistence none and a single replica: test-bp:cart's data "
        "does not survive a restart of test-bp:cart-store or the loss of its one node"
    )
    assert _only(report, "sessions").message == (
        "tier-1 system test-bp:sessions keeps its data in one data store, test-bp:session-db "
        "(database), which has no persistence declared and no replicas declared: "
        "test-bp:sessions's data does not survive a restart of test-bp:session-db or the loss "
        "of its one node"
    )
    ledger = _only(report, "ledger")
    assert ledger.details["missing"] == ["replicas"]
    assert ledger.message.endswith(
        "which has a single replica: test-bp:ledger's data does not survive the loss of "
        "test-bp:ledger-db's one node"
    )


async def test_res18_durable_replicated_second_store_or_lower_tier(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-18",
        {
            "systems": [
                # Two stores: the cache may lose data, the database holds it.
                _system("cart", tier=1),
                _store("cart-cache", store_type="cache", persistence="none", replicas=1),
                _store("cart-db", persistence="durable", replicas=3),
                # Snapshots survive a restart; two copies survive a node.
                _system("catalogue", tier=1),
                _store("catalogue-db", persistence="snapshot", replicas=2),
                # Not tier 1.
                _system("ads", tier=2),
                _store("ads-cache", store_type="cache", persistence="none", replicas=1),
                # A tier-1 data store reading another store is not a system keeping data.
                _store("replica-db", tier=1),
                # Nor an actor.
                _actor("shopper", tier=1),
            ],
            "flows": [
                _call("cart-reads-cache", "cart", "cart-cache"),
                _call("cart-writes-db", "cart", "cart-db", mutating=True),
                _call("catalogue-reads", "catalogue", "catalogue-db"),
                _call("ads-reads", "ads", "ads-cache"),
                {
                    "id": "replication",
                    "source": "catalogue-db",
                    "target": "replica-db",
                    "pattern": "stream",
                },
                _call("shopper-reads", "shopper", "ads-cache"),
            ],
        },
    )
    assert found == []


# --- RES-19 request-reply without a reply timeout ------------------------------------------------

CHANNELS = [
    {"id": "kafka", "kind": "broker"},
    {"id": "payment-requests", "kind": "topic", "part_of": "kafka"},
    {"id": "payment-replies", "kind": "topic", "part_of": "kafka"},
]
PAYING = [_system("checkout", tier=1), _system("payments", tier=1)]


async def test_res19_reply_without_timeout(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": PAYING,
            "components": CHANNELS,
            "flows": [
                _async(
                    "charge",
                    "checkout",
                    "payments",
                    "payment-requests",
                    pattern="command",
                    reply={"via": ["payment-replies"], "correlation_key": "correlation-id"},
                ),
                _async(
                    "refund",
                    "checkout",
                    "payments",
                    "payment-requests",
                    pattern="command",
                    reply={"address_header": "reply-topic"},
                ),
            ],
        },
        ["RES-19"],
    )
    assert _found(report) == [("charge", ()), ("refund", ())]
    charge = _only(report, "charge")
    assert charge.message == (
        "request-reply flow test-bp:charge (test-bp:checkout -> test-bp:payments) has no reply "
        "timeout: test-bp:checkout waits for test-bp:payments's reply on test-bp:payment-replies "
        "without a limit, and a request that is lost, dead-lettered or never answered stays "
        "pending forever"
    )
    assert charge.details["correlation_key"] == "correlation-id"
    assert "reply at the address its request names" in _only(report, "refund").message


async def test_res19_reply_with_timeout_or_no_reply(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-19",
        {
            "systems": PAYING,
            "components": CHANNELS,
            "flows": [
                _async(
                    "charge",
                    "checkout",
                    "payments",
                    "payment-requests",
                    pattern="command",
                    reply={"via": ["payment-replies"], "timeout_ms": 5000},
                ),
                _async("refund", "checkout", "payments", "payment-requests", pattern="command"),
            ],
        },
    )
    assert found == []


# --- RES-20 retention shorter than a consumer may be down ----------------------------------------


def _channel(component_id: str, kind: str = "topic", **settings: object) -> dict[str, object]:
    return {"id": component_id, "kind": kind, "part_of": "kafka", **settings}


def _dead_letter_to(policy_id: str, dlq: str, *applies_to: str, **extra: object) -> dict[str, Any]:
    return {
        "id": policy_id,
        "kind": "dead_letter",
        "applies_to": list(applies_to),
        "dlq": dlq,
        "max_deliveries": 5,
        **extra,
    }


ORDERING = [_system("orders"), _system("billing"), _system("shipping")]


async def test_res20_retention_below_downtime_or_redrive(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": ORDERING,
            "components": [
                {"id": "kafka", "kind": "broker"},
                _channel("orders-topic", retention_ms=3_600_000),  # one hour
                _channel("orders-dlq", "dead_letter_queue", retention_ms=86_400_000),  # a day
            ],
            "flows": [
                _async("order-placed", "orders", "billing", "orders-topic"),
                _async("order-cancelled", "orders", "shipping", "orders-topic"),
            ],
            "policies": [
                # 300 s + 1800 s = 35 min: within the hour.
                _alert(
                    "alert-topic",
                    "orders-topic",
                    metric="consumer_lag",
                    window_seconds=300,
                    response_seconds=1800,
                ),
                # No response target: no figure, however long the window.
                _alert(
                    "alert-unanswered",
                    "orders-topic",
                    metric="consumer_lag",
                    window_seconds=999_999,
                ),
                # 600 s + 3600 s = 70 min on the shipping consumer's flow: past the hour.
                _alert(
                    "alert-shipping",
                    "order-cancelled",
                    metric="consumer_lag",
                    window_seconds=600,
                    response_seconds=3600,
                ),
                # Redriven within two days (the largest), kept one.
                _dead_letter_to(
                    "dl-placed", "orders-dlq", "order-placed", redrive_within_seconds=172_800
                ),
                _dead_letter_to(
                    "dl-cancelled", "orders-dlq", "order-cancelled", redrive_within_seconds=90_000
                ),
            ],
        },
        ["RES-20"],
    )
    assert _found(report) == [
        ("orders-dlq", ("dl-placed",)),
        ("orders-topic", ("alert-shipping",)),
    ]
    topic = _only(report, "orders-topic")
    assert topic.message == (
        "topic test-bp:orders-topic keeps messages 3600000 ms, but a consumer of "
        "test-bp:order-cancelled may be down 4200 s before anyone acts (alert "
        "test-bp:alert-shipping: 600 s window + 3600 s response): messages published "
        "meanwhile expire unread"
    )
    assert topic.details["down_ms"] == 4_200_000
    assert topic.details["flows"] == ["test-bp:order-cancelled"]
    assert _only(report, "orders-dlq").message == (
        "dead-letter queue test-bp:orders-dlq keeps messages 86400000 ms, but dead-letter "
        "policy test-bp:dl-placed redrives them within 172800 s: dead-lettered messages may "
        "expire before they are redriven"
    )


async def test_res20_retention_that_covers_it(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-20",
        {
            "systems": ORDERING,
            "components": [
                {"id": "kafka", "kind": "broker"},
                _channel("forever-topic", retention_ms=-1),
                _channel("compacted-topic", retention_ms=1000, cleanup_policy="compact"),
                _channel("week-topic", retention_ms=604_800_000),
                _channel("unwatched-topic", retention_ms=1000),
                _channel("request-queue", "queue", retention_ms=1000),
                _channel("orders-dlq", "dead_letter_queue", retention_ms=1_209_600_000),
                _channel("spare-dlq", "dead_letter_queue", retention_ms=1000),
            ],
            "flows": [
                _async("a-forever", "orders", "billing", "forever-topic"),
                _async("b-compacted", "orders", "billing", "compacted-topic"),
                _async("c-week", "orders", "billing", "week-topic"),
                _async("d-unwatched", "orders", "billing", "unwatched-topic"),
                # A synchronous call through a queue has no consumer to wait for.
                _call("e-request", "orders", "billing", via=["request-queue"]),
            ],
            "policies": [
                _alert(
                    "alert-all",
                    "forever-topic",
                    "compacted-topic",
                    "week-topic",
                    "request-queue",
                    window_seconds=600,
                    response_seconds=3600,
                ),
                _alert("alert-unanswered", "unwatched-topic", window_seconds=600),
                _dead_letter_to("dl-week", "orders-dlq", "c-week", redrive_within_seconds=86_400),
                # No redrive target: nothing to compare.
                _dead_letter_to("dl-spare", "spare-dlq", "d-unwatched"),
            ],
        },
    )
    assert found == []


# --- RES-21 single-replica channel carrying tier-1 data ------------------------------------------


async def test_res21_single_replica_channel_of_tier1_flows(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": [*PAYING, _system("email", tier=3), _system("ledger", tier=2)],
            "components": [
                {"id": "kafka", "kind": "broker"},
                _channel("payment-requests", replication_factor=1),
                _channel("payments-dlq", "dead_letter_queue", replication_factor=1),
            ],
            "flows": [
                _async("refund", "checkout", "payments", "payment-requests", pattern="command"),
                _async("charge", "checkout", "payments", "payment-requests", pattern="command"),
                # Tier 1 on the receiving side is enough.
                _async("redrive", "ledger", "payments", "payments-dlq"),
                _async("receipt", "email", "ledger", "payment-requests"),
            ],
        },
        ["RES-21"],
    )
    assert _found(report) == [("payment-requests", ()), ("payments-dlq", ())]
    topic = _only(report, "payment-requests")
    assert topic.message == (
        "topic test-bp:payment-requests keeps a single copy of each message (replication_factor "
        "1) but carries flows of tier-1 system(s) test-bp:checkout, test-bp:payments "
        "(test-bp:charge, test-bp:refund): the loss of one broker loses their messages and "
        "stops the flows until it is back"
    )
    assert topic.details["flows"] == ["test-bp:charge", "test-bp:refund"]
    assert _only(report, "payments-dlq").details["tier1_systems"] == ["test-bp:payments"]


async def test_res21_replicated_or_not_tier1(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-21",
        {
            "systems": [*PAYING, _system("email", tier=3), _system("ledger", tier=2)],
            "components": [
                {"id": "kafka", "kind": "broker"},
                _channel("payment-requests", replication_factor=3, min_insync_replicas=2),
                _channel("payment-undeclared"),  # the broker's default: not judged
                _channel("receipts", replication_factor=1),
            ],
            "flows": [
                _async("charge", "checkout", "payments", "payment-requests", pattern="command"),
                _async("refund", "checkout", "payments", "payment-undeclared", pattern="command"),
                _async("receipt", "email", "ledger", "receipts"),
            ],
        },
    )
    assert found == []


# --- RES-22 too many sequential synchronous calls ------------------------------------------------

FANOUT = [_system(s) for s in ("bff", "profile", "prices", "stock", "reviews", "ads", "recs")]
CALLS = ["h-profile", "g-prices", "f-stock", "e-reviews", "d-ads", "c-recs", "b-prices", "a-stock"]
"""Eight synchronous calls, in an order that is not their ids'."""


def _fanout_flows() -> list[dict[str, Any]]:
    targets = ["profile", "prices", "stock", "reviews", "ads", "recs", "prices", "stock"]
    flows = [_call(flow, "bff", target) for flow, target in zip(CALLS, targets, strict=True)]
    flows[0]["latency_p99_ms"] = 40
    flows[1]["latency_p99_ms"] = 60.5
    return flows


def _page(name: str, calls: list[str], **extra: object) -> dict[str, Any]:
    return {"name": name, "method": "GET", "calls": calls, **extra}


async def test_res22_eight_sequential_calls(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": FANOUT,
            "contracts": [
                _contract("bff-api", "openapi", "1.0.0", operations=[_page("home", CALLS)])
            ],
            "flows": _fanout_flows(),
            "policies": [
                _timeout("t-profile", "h-profile", connect_timeout_ms=100, request_timeout_ms=500),
                _timeout("t-prices", "g-prices", "b-prices", request_timeout_ms=800),
            ],
        },
        ["RES-22"],
    )
    assert _found(report) == [("bff-api@1.0.0#home", tuple(CALLS))]
    finding = report.findings[0]
    assert finding.message == (
        "operation home of test-bp:bff-api@1.0.0 makes 8 synchronous calls one after the other "
        "(more than 5): " + ", ".join(f"test-bp:{c}" for c in CALLS) + "; their request "
        "timeouts add up to 2100 ms (3 of 8 calls); their p99 latencies add up to 100.5 ms "
        "(2 of 8 calls)"
    )
    assert finding.details["count"] == 8
    assert finding.details["request_timeout_sum_ms"] == 2100


async def test_res22_parallel_async_or_within_the_limit(graph: Store, tmp_path: Path) -> None:
    async_calls = [_async(f"event-{i}", "bff", "recs", "bff-topic") for i in range(3)]
    found = await findings_of(
        graph,
        tmp_path,
        "RES-22",
        {
            "systems": FANOUT,
            "components": [{"id": "bff-topic", "kind": "topic"}],
            "contracts": [
                _contract(
                    "bff-api",
                    "openapi",
                    "1.0.0",
                    operations=[
                        _page("home", CALLS, calls_in_parallel=True),
                        # Five synchronous calls and three events: five sequential calls.
                        _page("search", [*CALLS[:5], "event-0", "event-1", "event-2"]),
                    ],
                ),
                # A retired version is no longer served.
                _contract(
                    "old-bff-api",
                    "openapi",
                    "1.0.0",
                    status="retired",
                    operations=[_page("home", CALLS)],
                ),
            ],
            "flows": [*_fanout_flows(), *async_calls],
        },
    )
    assert found == []


async def test_res22_limit_is_a_parameter(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-22",
        {
            "systems": FANOUT,
            "contracts": [
                _contract("bff-api", "openapi", "1.0.0", operations=[_page("home", CALLS)])
            ],
            "flows": _fanout_flows(),
        },
        config=LintConfig(parameters={"RES-22": {"max_sequential_calls": 8}}),
    )
    assert found == []


# --- RES-23 saga step without a compensating action ----------------------------------------------

SAGA_SYSTEMS = [_system(s) for s in ("checkout", "stock", "payments", "email", "shipping", "audit")]
SHIPPING_API = _contract(
    "shipping-api",
    "openapi",
    "1.0.0",
    operations=[
        {"name": "create-shipment", "method": "POST"},
        {"name": "quote", "method": "POST", "mutating": False},
        {"name": "track", "method": "GET"},
    ],
)


def _saga_flows() -> list[dict[str, Any]]:
    return [
        _call("reserve-stock", "checkout", "stock", mutating=True),
        _call("release-stock", "checkout", "stock", mutating=True),
        _async(
            "charge-card",
            "checkout",
            "payments",
            "payments-topic",
            pattern="command",
            compensated_by="refund-card",
        ),
        _async("refund-card", "checkout", "payments", "payments-topic", pattern="command"),
        _call("send-email", "checkout", "email", required=False, fallback="Sent by the batch."),
        _call(
            "create-shipment",
            "checkout",
            "shipping",
            **_uses("shipping-api", "1.0.0", "create-shipment"),
        ),
        _call("quote-shipping", "checkout", "shipping", **_uses("shipping-api", "1.0.0", "quote")),
        _call("track-shipment", "checkout", "shipping", **_uses("shipping-api", "1.0.0", "track")),
        _async("audit-order", "checkout", "audit", "payments-topic"),
    ]


def _checkout_api(*operations: dict[str, Any]) -> dict[str, Any]:
    return _contract("checkout-api", "openapi", "1.0.0", operations=list(operations))


async def test_res23_state_changes_before_steps_that_can_fail(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": SAGA_SYSTEMS,
            "components": [{"id": "payments-topic", "kind": "topic"}],
            "contracts": [
                SHIPPING_API,
                _checkout_api(
                    {
                        "name": "place-order",
                        "method": "POST",
                        "calls": [
                            "reserve-stock",  # mutating, not compensated
                            "charge-card",  # a command, compensated by refund-card
                            "send-email",  # not required
                            "create-shipment",  # uses a POST operation: mutating
                            "audit-order",  # an event, required, last
                        ],
                    },
                    # The same steps made in parallel are not a sequence.
                    {
                        "name": "place-order-fast",
                        "method": "POST",
                        "calls": ["reserve-stock", "create-shipment", "audit-order"],
                        "calls_in_parallel": True,
                    },
                ),
            ],
            "flows": _saga_flows(),
        },
        ["RES-23"],
    )
    place_order = "checkout-api@1.0.0#place-order"
    assert _found(report) == [
        ("create-shipment", (place_order,)),
        ("reserve-stock", (place_order,)),
    ]
    assert _only(report, "reserve-stock").message == (
        "step test-bp:reserve-stock (test-bp:checkout -> test-bp:stock) of operation place-order "
        "of test-bp:checkout-api@1.0.0 changes state and has no compensating action, but later "
        "steps can fail: test-bp:charge-card, test-bp:create-shipment, test-bp:audit-order; when "
        "one does, the change made by test-bp:reserve-stock stays while the operation fails"
    )
    assert _only(report, "create-shipment").details["later_steps"] == ["test-bp:audit-order"]


async def test_res23_compensated_reads_last_or_optional_later_steps(
    graph: Store, tmp_path: Path
) -> None:
    flows = _saga_flows()
    flows[0]["compensated_by"] = "release-stock"
    found = await findings_of(
        graph,
        tmp_path,
        "RES-23",
        {
            "systems": SAGA_SYSTEMS,
            "components": [{"id": "payments-topic", "kind": "topic"}],
            "contracts": [
                SHIPPING_API,
                _checkout_api(
                    # Compensated steps, reads (GET, and a POST declared not mutating) before
                    # steps that can fail.
                    {
                        "name": "place-order",
                        "method": "POST",
                        "calls": [
                            "track-shipment",
                            "quote-shipping",
                            "reserve-stock",
                            "charge-card",
                            "audit-order",
                        ],
                    },
                    # The state-changing step is the last one.
                    {"name": "ship", "method": "POST", "calls": ["audit-order", "create-shipment"]},
                    # Only an optional step follows it.
                    {
                        "name": "notify",
                        "method": "POST",
                        "calls": ["create-shipment", "send-email"],
                    },
                ),
                # A retired version is no longer served.
                _contract(
                    "old-checkout-api",
                    "openapi",
                    "1.0.0",
                    status="retired",
                    operations=[
                        {"name": "place-order", "calls": ["create-shipment", "audit-order"]}
                    ],
                ),
            ],
            "flows": flows,
        },
    )
    assert found == []
