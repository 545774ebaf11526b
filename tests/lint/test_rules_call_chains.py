"""Rules that follow synchronous call chains (RES-07, RES-11, RES-13): positive and negative
fixtures against the real Neo4j."""

from __future__ import annotations

from pathlib import Path

from integraph.lint.config import LintConfig
from integraph.store.driver import Store
from tests.lint.harness import findings_of, lint_blueprint, short
from tests.lint.test_rules_error_handling import COMPONENTS, _call, _retry, _system, _timeout

# --- RES-07 retry amplification ------------------------------------------------------------------

CHAIN = [_system(s) for s in ("web", "bff", "orders", "stock", "warehouse")]


async def test_res07_retries_at_two_hops_reported_at_the_outer_one(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": CHAIN,
            "components": [{"id": "mesh", "kind": "service_mesh"}],
            "flows": [
                _call("web-to-bff", "web", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock", via=["mesh"]),
                _call("stock-to-warehouse", "stock", "warehouse"),
            ],
            "policies": [
                _retry("r-bff", "bff-to-orders", max_attempts=3),
                # Retries through the mesh count for every flow passing through it.
                _retry("r-mesh", "mesh", max_attempts=4),
                _retry("r-warehouse", "stock-to-warehouse", max_attempts=2),
            ],
        },
        ["RES-07"],
    )
    assert report.rule_errors == []
    # One finding, at the outermost retried flow; the inner ones are related, nearest first.
    assert [(f.element, f.related) for f in report.findings] == [
        ("test-bp:bff-to-orders", ("test-bp:orders-to-stock", "test-bp:stock-to-warehouse")),
    ]
    finding = report.findings[0]
    assert finding.details["worst_case_attempts"] == 12
    assert finding.details["below"] == [
        {"flow": "test-bp:orders-to-stock", "hops": 1, "attempts": 4},
        {"flow": "test-bp:stock-to-warehouse", "hops": 2, "attempts": 2},
    ]


async def test_res07_single_hop_over_the_product_limit(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-07",
        {
            "systems": CHAIN,
            "flows": [_call("web-to-bff", "web", "bff"), _call("bff-to-orders", "bff", "orders")],
            "policies": [_retry("r-many", "web-to-bff", max_attempts=11)],
        },
    )
    assert found == [("web-to-bff", ())]


async def test_res07_one_retrying_layer_or_too_far_apart(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-07",
        {
            "systems": CHAIN,
            "components": COMPONENTS,
            "flows": [
                _call("web-to-bff", "web", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
                _call("stock-to-warehouse", "stock", "warehouse"),
                # An event below a retried call is not a synchronous hop.
                {
                    "id": "stock-events",
                    "source": "stock",
                    "target": "orders",
                    "pattern": "event",
                    "via": ["orders-topic"],
                },
            ],
            "policies": [
                _retry("r-web", "web-to-bff", max_attempts=3),
                # max_attempts 1 is no retry.
                _retry("r-once", "bff-to-orders", max_attempts=1),
                _retry("r-events", "stock-events", max_attempts=5),
                # A chain of four flows from web-to-bff: longer than max_depth (3 here).
                _retry("r-far", "stock-to-warehouse", max_attempts=3),
            ],
        },
        config=LintConfig(parameters={"RES-07": {"max_depth": 3}}),
    )
    assert found == []


# --- RES-11 timeout budget inverted --------------------------------------------------------------


async def test_res11_callee_time_reaches_caller_timeout(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": CHAIN,
            "components": [{"id": "gateway", "kind": "api_gateway"}],
            "flows": [
                _call("web-to-bff", "web", "bff", via=["gateway"]),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
                _call("stock-to-warehouse", "stock", "warehouse"),
            ],
            "policies": [
                # The gateway's 3000 ms is the smallest timeout on web-to-bff: it wins.
                _timeout("t-gateway", "gateway", request_timeout_ms=3000),
                _timeout("t-web", "web-to-bff", request_timeout_ms=9000),
                # 1500 ms x 2 attempts = 3000 ms: the caller has no time left.
                _timeout("t-bff", "bff-to-orders", request_timeout_ms=1500),
                _retry("r-bff", "bff-to-orders", max_attempts=2),
                _timeout("t-orders", "orders-to-stock", request_timeout_ms=1000),
                # A total budget caps the callee's time, whatever timeout x attempts gives.
                _timeout(
                    "t-stock", "stock-to-warehouse", request_timeout_ms=400, total_budget_ms=1000
                ),
                _retry("r-stock", "stock-to-warehouse", max_attempts=5),
            ],
        },
        ["RES-11"],
    )
    assert report.rule_errors == []
    assert [(f.element, f.related) for f in report.findings] == [
        ("test-bp:orders-to-stock", ("test-bp:stock-to-warehouse",)),
        ("test-bp:web-to-bff", ("test-bp:bff-to-orders",)),
    ]
    assert report.findings[1].details["callee_time_ms"] == 3000
    assert report.findings[1].details["caller_timeout_ms"] == 3000


async def test_res11_budgets_that_shrink_or_loops(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-11",
        {
            "systems": CHAIN,
            "flows": [
                _call("web-to-bff", "web", "bff"),
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-bff", "orders", "bff"),
                _call("bff-to-stock", "bff", "stock"),
            ],
            "policies": [
                _timeout("t-web", "web-to-bff", request_timeout_ms=5000),
                _timeout("t-bff", "bff-to-orders", request_timeout_ms=1000),
                _retry("r-bff", "bff-to-orders", max_attempts=3),
                # A loop back to the caller (bff -> orders -> bff) is RES-13's, not an inversion.
                _timeout("t-orders", "orders-to-bff", request_timeout_ms=9000),
                # No timeout on the callee: RES-10 reports it, RES-11 cannot judge it.
                _retry("r-stock", "bff-to-stock", max_attempts=3),
            ],
        },
    )
    assert found == []


# --- RES-13 cycle of synchronous calls -----------------------------------------------------------


async def test_res13_every_flow_on_a_cycle_with_its_shortest_cycle(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": CHAIN,
            "flows": [
                _call("b-bff-to-orders", "bff", "orders"),
                _call("c-orders-to-stock", "orders", "stock"),
                _call("a-stock-to-bff", "stock", "bff"),
                _call("d-orders-to-bff", "orders", "bff"),
                # Calls into the cycle without being on it.
                _call("e-web-to-bff", "web", "bff"),
            ],
        },
        ["RES-13"],
    )
    assert report.rule_errors == []
    found = {short(f.element): f.details["cycle_length"] for f in report.findings}
    # bff -> orders is on two cycles; the shortest (orders calls bff back directly) counts.
    assert found == {
        "a-stock-to-bff": 3,
        "b-bff-to-orders": 2,
        "c-orders-to-stock": 3,
        "d-orders-to-bff": 2,
    }
    assert [short(f.element) for f in report.findings] == sorted(found)


async def test_res13_no_cycle_without_a_way_back(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "RES-13",
        {
            "systems": CHAIN,
            "components": COMPONENTS,
            "flows": [
                _call("bff-to-orders", "bff", "orders"),
                _call("orders-to-stock", "orders", "stock"),
                # The way back is asynchronous: not a synchronous cycle.
                {
                    "id": "stock-events",
                    "source": "stock",
                    "target": "bff",
                    "pattern": "event",
                    "via": ["orders-topic"],
                },
                # A loop longer than max_length (2 here) is not reported.
                _call("stock-to-warehouse", "stock", "warehouse"),
                _call("warehouse-to-orders", "warehouse", "orders"),
            ],
        },
        config=LintConfig(parameters={"RES-13": {"max_length": 2}}),
    )
    assert found == []
