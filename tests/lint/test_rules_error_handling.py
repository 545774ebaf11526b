"""Error-handling rules: each with positive and negative fixtures against the real Neo4j."""

from __future__ import annotations

from pathlib import Path

from integraph.store.driver import Store
from tests.lint.harness import findings_of, lint_blueprint, short

SYSTEMS = [
    {"id": "orders", "name": "Orders", "trust_zone": "internal"},
    {"id": "billing", "name": "Billing", "trust_zone": "internal"},
]
COMPONENTS = [
    {"id": "kafka", "kind": "broker"},
    {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
    {"id": "orders-dlq", "kind": "dead_letter_queue", "part_of": "kafka"},
]


def _event(flow_id: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": "orders",
        "target": "billing",
        "pattern": "event",
        "via": ["orders-topic"],
        **extra,
    }


async def test_res01_event_without_dead_letter(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-01",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_event("order-placed")],
        },
    )
    assert found == [("order-placed", ())]


async def test_res01_dead_letter_on_flow_or_on_its_topic(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-01",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                _event("order-placed"),
                _event("order-cancelled"),
                {
                    "id": "get-order",
                    "source": "billing",
                    "target": "orders",
                    "pattern": "request_response",
                },
            ],
            "policies": [
                {
                    "id": "dl-topic",
                    "kind": "dead_letter",
                    "dlq": "orders-dlq",
                    "applies_to": ["orders-topic"],
                    "max_deliveries": 5,
                },
            ],
        },
    )
    assert found == []


# --- helpers for the rules below ---------------------------------------------------------------


def _system(system_id: str, zone: str = "internal", **extra: object) -> dict[str, object]:
    return {"id": system_id, "name": system_id.title(), "trust_zone": zone, **extra}


def _call(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": source,
        "target": target,
        "pattern": "request_response",
        **extra,
    }


def _retry(policy_id: str, *applies_to: str, **extra: object) -> dict[str, object]:
    return {"id": policy_id, "kind": "retry", "applies_to": list(applies_to), **extra}


def _timeout(policy_id: str, *applies_to: str, **extra: object) -> dict[str, object]:
    return {"id": policy_id, "kind": "timeout", "applies_to": list(applies_to), **extra}


def _alert(policy_id: str, *applies_to: str, **extra: object) -> dict[str, object]:
    return {
        "id": policy_id,
        "kind": "alert",
        "applies_to": list(applies_to),
        "metric": "dlq_depth",
        "threshold": 0,
        **extra,
    }


def _dead_letter(policy_id: str, *applies_to: str, **extra: object) -> dict[str, object]:
    return {
        "id": policy_id,
        "kind": "dead_letter",
        "applies_to": list(applies_to),
        "dlq": "orders-dlq",
        **extra,
    }


# --- RES-02 dead-letter queue without a depth alert ---------------------------------------------


async def test_res02_dlq_without_depth_alert(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-02",
        {
            "systems": SYSTEMS,
            "components": [*COMPONENTS, {"id": "spare-queue", "kind": "queue"}],
            "flows": [_event("order-placed")],
            "policies": [
                _dead_letter("dl-orders", "order-placed", max_deliveries=5),
                # A queue used as a DLQ by a policy is a DLQ too, whatever its kind.
                {**_dead_letter("dl-spare", "order-placed"), "dlq": "spare-queue"},
                # An alert that fires when the depth drops does not tell anyone it grows.
                _alert("alert-spare", "spare-queue", operator="lt", route="pagerduty://ops"),
            ],
        },
    )
    assert found == [("orders-dlq", ()), ("spare-queue", ())]


async def test_res02_dlq_with_depth_alert(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-02",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_event("order-placed")],
            "policies": [
                _dead_letter("dl-orders", "order-placed", max_deliveries=5),
                _alert(
                    "alert-dlq",
                    "orders-dlq",
                    metric="ApproximateNumberOfMessagesVisible",
                    route="pagerduty://ops",
                ),
            ],
        },
    )
    assert found == []


# --- RES-03 dead-letter queue without owner or redrive -------------------------------------------


async def test_res03_dlq_without_owner_or_redrive(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-03",
        {
            "teams": [{"id": "team-orders", "name": "Orders team"}],
            "systems": SYSTEMS,
            "components": [
                *COMPONENTS,
                {"id": "billing-dlq", "kind": "dead_letter_queue", "owner": "team-orders"},
            ],
            "flows": [_event("order-placed")],
            # orders-dlq has no owner; billing-dlq has an owner but no policy gives a redrive.
            "policies": [
                _dead_letter(
                    "dl-orders",
                    "order-placed",
                    redrive_procedure="https://runbooks.example.com/orders-dlq",
                )
            ],
        },
    )
    assert found == [("billing-dlq", ()), ("orders-dlq", ())]


async def test_res03_dlq_with_owner_and_redrive(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-03",
        {
            "teams": [{"id": "team-orders", "name": "Orders team"}],
            "systems": SYSTEMS,
            "components": [
                {"id": "kafka", "kind": "broker"},
                {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
                {
                    "id": "orders-dlq",
                    "kind": "dead_letter_queue",
                    "part_of": "kafka",
                    "owner": "team-orders",
                },
            ],
            "flows": [_event("order-placed"), _event("order-cancelled")],
            "policies": [
                _dead_letter("dl-cancelled", "order-cancelled"),
                _dead_letter(
                    "dl-placed",
                    "order-placed",
                    redrive_procedure="https://runbooks.example.com/orders-dlq",
                ),
            ],
        },
    )
    assert found == []


# --- RES-04 max deliveries -----------------------------------------------------------------------


async def test_res04_max_deliveries_missing_or_low(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-04",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_event("order-placed"), _event("order-cancelled")],
            "policies": [
                _dead_letter("dl-cancelled", "order-cancelled"),
                _dead_letter("dl-placed", "order-placed", max_deliveries=3),
            ],
        },
    )
    assert found == [("dl-cancelled", ()), ("dl-placed", ())]


async def test_res04_five_deliveries_or_more(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-04",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_event("order-placed"), _event("order-cancelled")],
            "policies": [
                _dead_letter("dl-cancelled", "order-cancelled", max_deliveries=5),
                _dead_letter("dl-placed", "order-placed", max_deliveries=10),
            ],
        },
    )
    assert found == []


# --- RES-05 unbounded retry ----------------------------------------------------------------------


async def test_res05_retry_without_bound(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-05",
        {
            "systems": SYSTEMS,
            "flows": [_call("get-order", "billing", "orders")],
            "policies": [
                _retry("retry-forever", "get-order", backoff="exponential", jitter="full")
            ],
        },
    )
    assert found == [("retry-forever", ())]


async def test_res05_retry_bounded_by_attempts_or_time(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-05",
        {
            "systems": SYSTEMS,
            "flows": [
                _call("get-order", "billing", "orders"),
                _call("get-bill", "orders", "billing"),
            ],
            "policies": [
                _retry("retry-attempts", "get-order", max_attempts=3),
                _retry("retry-elapsed", "get-bill", max_elapsed_ms=10000),
            ],
        },
    )
    assert found == []


# --- RES-06 backoff and jitter -------------------------------------------------------------------


async def test_res06_retry_without_backoff_or_jitter(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-06",
        {
            "systems": SYSTEMS,
            "flows": [_call("get-order", "billing", "orders")],
            "policies": [
                _retry(
                    "fixed-jittered", "get-order", max_attempts=3, backoff="fixed", jitter="full"
                ),
                _retry(
                    "expo-no-jitter",
                    "get-order",
                    max_attempts=3,
                    backoff="exponential",
                    jitter="none",
                ),
                _retry(
                    "expo-times-one",
                    "get-order",
                    max_attempts=3,
                    backoff="exponential",
                    multiplier=1,
                    jitter="full",
                ),
                _retry("unset", "get-order", max_attempts=3),
            ],
        },
    )
    assert found == [
        ("expo-no-jitter", ()),
        ("expo-times-one", ()),
        ("fixed-jittered", ()),
        ("unset", ()),
    ]


async def test_res06_exponential_with_jitter(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-06",
        {
            "systems": SYSTEMS,
            "flows": [_call("get-order", "billing", "orders")],
            "policies": [
                _retry(
                    "expo-full", "get-order", max_attempts=3, backoff="exponential", jitter="full"
                ),
                _retry("decorrelated", "get-order", max_attempts=3, jitter="decorrelated"),
                _retry("no-retry", "get-order", max_attempts=1),
            ],
        },
    )
    assert found == []


# --- RES-08 retries without idempotency key ------------------------------------------------------


async def test_res08_retried_mutation_without_idempotency_key(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-08",
        {
            "systems": SYSTEMS,
            "components": [
                *COMPONENTS,
                {"id": "gateway", "kind": "api_gateway"},
                {"id": "orders-commands", "kind": "queue", "part_of": "kafka"},
            ],
            "flows": [
                _call("create-order", "billing", "orders", mutating=True),
                _call("refund", "orders", "billing", mutating=True, via=["gateway"]),
                {
                    "id": "ship-order",
                    "source": "orders",
                    "target": "billing",
                    "pattern": "command",
                    "via": ["orders-commands"],
                },
            ],
            "policies": [
                _retry("retry-create", "create-order", max_attempts=3),
                _retry("retry-gateway", "gateway", max_attempts=2),  # retries every flow via it
                _retry("retry-ship", "ship-order", max_elapsed_ms=60000),
                # An idempotency policy without a key does not let the server spot repeats.
                {"id": "idem-create", "kind": "idempotency", "applies_to": ["create-order"]},
            ],
        },
    )
    assert found == [("create-order", ()), ("refund", ()), ("ship-order", ())]


async def test_res08_idempotent_or_not_retried(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-08",
        {
            "systems": SYSTEMS,
            "flows": [
                _call("create-order", "billing", "orders", mutating=True),
                _call("get-order", "billing", "orders"),  # reads are safe to retry
                _call("cancel-order", "billing", "orders", mutating=True),
            ],
            "policies": [
                _retry("retry-create", "create-order", "get-order", max_attempts=3),
                _retry("no-retry", "cancel-order", max_attempts=1),
                {
                    "id": "idem-create",
                    "kind": "idempotency",
                    "applies_to": ["create-order"],
                    "key": "Idempotency-Key",
                    "key_source": "header",
                },
            ],
        },
    )
    assert found == []


# --- RES-09 at-least-once consumer without idempotency -------------------------------------------


async def test_res09_at_least_once_consumer_without_idempotency(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-09",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                _event("order-placed", delivery="at_least_once"),
                _event("order-cancelled"),  # no delivery declared: at-least-once is assumed
            ],
        },
    )
    assert found == [("order-cancelled", ()), ("order-placed", ())]


async def test_res09_idempotent_receiver_or_other_guarantee(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-09",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                _event("order-placed", delivery="at_least_once"),
                _event("order-cancelled", delivery="at_least_once"),
                _event("order-viewed", delivery="at_most_once"),
                _call("get-order", "billing", "orders"),
            ],
            "policies": [
                {
                    "id": "idem-placed",
                    "kind": "idempotency",
                    "applies_to": ["order-placed"],
                    "key": "/orderId",
                    "key_source": "field",
                },
                # Deduplication by message id on the topic covers every flow through it.
                {
                    "id": "idem-topic",
                    "kind": "idempotency",
                    "applies_to": ["orders-topic"],
                    "key_source": "message_id",
                },
            ],
        },
    )
    assert found == []


# --- RES-10 synchronous flow without timeout -----------------------------------------------------


async def test_res10_sync_flow_without_timeouts(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-10",
        {
            "systems": SYSTEMS,
            "flows": [
                _call("get-order", "billing", "orders"),
                _call("get-bill", "orders", "billing"),
                _call("get-invoice", "orders", "billing"),
            ],
            "policies": [
                _timeout("connect-only", "get-bill", connect_timeout_ms=500),
                _timeout("zero", "get-invoice", connect_timeout_ms=500, request_timeout_ms=0),
            ],
        },
    )
    assert found == [("get-bill", ()), ("get-invoice", ()), ("get-order", ())]


async def test_res10_timeouts_on_flow_or_gateway(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-10",
        {
            "systems": SYSTEMS,
            "components": [*COMPONENTS, {"id": "gateway", "kind": "api_gateway"}],
            "flows": [
                _call("get-order", "billing", "orders"),
                _call("get-bill", "orders", "billing", via=["gateway"]),
                _event("order-placed"),
            ],
            "policies": [
                _timeout("t-order", "get-order", connect_timeout_ms=500, request_timeout_ms=2000),
                _timeout("t-gateway", "gateway", connect_timeout_ms=500, total_budget_ms=5000),
            ],
        },
    )
    assert found == []


# --- RES-14 external call without circuit breaker ------------------------------------------------

EXTERNALS = [
    *SYSTEMS,
    _system("card-network", "partner"),
    _system("tax-saas", "internal", external=True),
    _system("maps", "public"),
]


async def test_res14_external_call_without_breaker(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-14",
        {
            "systems": EXTERNALS,
            "flows": [
                _call("authorise", "billing", "card-network"),
                _call("tax", "billing", "tax-saas"),
                _call("geocode", "orders", "maps"),
                _call("get-order", "billing", "orders"),  # internal: not checked
            ],
            # A breaker on another flow protects nothing here.
            "policies": [
                {"id": "cb-orders", "kind": "circuit_breaker", "applies_to": ["get-order"]}
            ],
        },
    )
    assert found == [("authorise", ()), ("geocode", ()), ("tax", ())]


async def test_res14_breaker_on_flow_or_gateway(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-14",
        {
            "systems": EXTERNALS,
            "components": [{"id": "partner-gateway", "kind": "api_gateway"}],
            "flows": [
                _call("authorise", "billing", "card-network", via=["partner-gateway"]),
                _call("tax", "billing", "tax-saas"),
                {"id": "geo-export", "source": "orders", "target": "maps", "pattern": "batch"},
            ],
            "policies": [
                {"id": "cb-gateway", "kind": "circuit_breaker", "applies_to": ["partner-gateway"]},
                {"id": "cb-tax", "kind": "circuit_breaker", "applies_to": ["tax"]},
            ],
        },
    )
    assert found == []


# --- RES-15 circuit breaker that can never open --------------------------------------------------


def _breaker(policy_id: str, *applies_to: str, **extra: object) -> dict[str, object]:
    return {"id": policy_id, "kind": "circuit_breaker", "applies_to": list(applies_to), **extra}


async def test_res15_breaker_never_opens(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-15",
        {
            "systems": SYSTEMS,
            "flows": [
                # 0.05 calls/s x 60 s = 3 calls per window, fewer than 20.
                _call("get-order", "billing", "orders", peak_per_second=0.05),
                # 8,640 calls/day = 0.1/s x 60 s = 6 calls per window; the default minimum is 100.
                _call("get-bill", "orders", "billing", volume_per_day=8640),
                _call("get-invoice", "orders", "billing"),
            ],
            "policies": [
                _breaker(
                    "cb-order",
                    "get-order",
                    sliding_window_type="time",
                    sliding_window_size=60,
                    minimum_calls=20,
                ),
                _breaker("cb-bill", "get-bill", sliding_window_type="time", sliding_window_size=60),
                _breaker("cb-count", "get-invoice", sliding_window_size=10, minimum_calls=50),
                _breaker(
                    "cb-expected", "get-invoice", minimum_calls=50, expected_calls_per_window=10
                ),
            ],
        },
    )
    assert found == [("cb-bill", ()), ("cb-count", ()), ("cb-expected", ()), ("cb-order", ())]


async def test_res15_breaker_that_can_open(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-15",
        {
            "systems": SYSTEMS,
            "flows": [
                _call("get-order", "billing", "orders", peak_per_second=5),
                _call("get-bill", "orders", "billing"),  # no rate: a time window cannot be judged
                _call("get-invoice", "orders", "billing"),
            ],
            "policies": [
                _breaker(
                    "cb-order",
                    "get-order",
                    sliding_window_type="time",
                    sliding_window_size=60,
                    minimum_calls=20,
                ),
                _breaker("cb-bill", "get-bill", sliding_window_type="time", sliding_window_size=60),
                _breaker("cb-defaults", "get-invoice"),  # 100 calls in a window of 100
            ],
        },
    )
    assert found == []


# --- RES-16 consistency requirement --------------------------------------------------------------


async def test_res16_staleness_and_strong_async(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-16",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                {
                    "id": "nightly-export",
                    "source": "orders",
                    "target": "billing",
                    "pattern": "batch",
                    "consistency": "eventual",
                    "max_staleness_seconds": 3600,
                    "schedule_interval_seconds": 86400,
                },
                _event("order-placed", consistency="strong"),
            ],
        },
    )
    assert found == [("nightly-export", ()), ("order-placed", ())]


async def test_res16_requirements_met(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-16",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                {
                    "id": "nightly-export",
                    "source": "orders",
                    "target": "billing",
                    "pattern": "batch",
                    "consistency": "eventual",
                    "max_staleness_seconds": 172800,
                    "schedule_interval_seconds": 86400,
                },
                {
                    "id": "hourly-export",
                    "source": "orders",
                    "target": "billing",
                    "pattern": "batch",
                    "consistency": "eventual",
                    "max_staleness_seconds": 3600,
                },  # no interval known
                _event("order-placed", consistency="eventual", max_staleness_seconds=60),
                _call("get-order", "billing", "orders", consistency="strong"),
            ],
        },
    )
    assert found == []


async def test_res16_batch_declared_only_with_a_cron_schedule(graph: Store, tmp_path: Path) -> None:
    # The interval is derived from the cron expression when the flow gives only `schedule`.
    def batch(flow_id: str, schedule: str, staleness: int) -> dict[str, object]:
        return {
            "id": flow_id,
            "source": "orders",
            "target": "billing",
            "pattern": "batch",
            "consistency": "eventual",
            "max_staleness_seconds": staleness,
            "schedule": schedule,
        }

    report = await lint_blueprint(
        graph,
        tmp_path / "bp",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [
                batch("daily-export", "0 2 * * *", 3600),  # daily, but data must be 1 h fresh
                batch("weekday-export", "0 20 * * 1-5", 86400 * 2),  # 3 days old by Monday
                batch("fresh-enough", "*/30 * * * *", 3600),
            ],
        },
        ["RES-16"],
    )
    assert not report.rule_errors, report.rule_errors
    found = {short(f.element): f for f in report.findings}
    assert sorted(found) == ["daily-export", "weekday-export"]
    assert found["daily-export"].details["schedule_interval_seconds"] == 86400
    assert "runs only every 86400" in found["daily-export"].message
    assert found["weekday-export"].details["schedule_interval_seconds"] == 259200


# --- RES-17 alert without route ------------------------------------------------------------------


async def test_res17_alert_without_route(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-17",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_call("get-order", "billing", "orders")],
            "policies": [
                _alert("alert-dlq", "orders-dlq"),
                _alert(
                    "alert-errors",
                    "get-order",
                    metric="error_rate_percent",
                    threshold=5,
                    route="  ",
                ),
            ],
        },
    )
    assert found == [("alert-dlq", ()), ("alert-errors", ())]


async def test_res17_routed_alerts(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-17",
        {
            "systems": SYSTEMS,
            "components": COMPONENTS,
            "flows": [_call("get-order", "billing", "orders")],
            "policies": [
                _alert("alert-dlq", "orders-dlq", route="pagerduty://orders-oncall"),
                _alert(
                    "alert-errors",
                    "get-order",
                    metric="error_rate_percent",
                    threshold=5,
                    route="slack://orders-alerts",
                ),
            ],
        },
    )
    assert found == []
