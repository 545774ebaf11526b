"""Blast radius on small hand-made graphs whose answers are worked out by hand.

Each test runs twice: with the walk over the in-memory dependency graph (`blast_radius`) and
with the walk in the database (`blast_radius_in`, what a what-if uses inside its transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from integraph.impact.blast import BlastRadius, Direction, Effect, blast_radius, blast_radius_in
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.lint.harness import write_blueprint


def system(sid: str, **extra: object) -> dict[str, object]:
    return {"id": sid, "name": sid.title(), "trust_zone": "internal", **extra}


def flow(fid: str, source: str, target: str, pattern: str, **extra: object) -> dict[str, object]:
    return {"id": fid, "source": source, "target": target, "pattern": pattern, **extra}


# web --sync--> orders --sync--> stock ; orders --event(kafka, DLQ)--> billing
# billing --batch--> ledger ; orders --event(no DLQ)--> mailer ; ledger --sync--> fx (partner)
# fx --event(no DLQ)--> web  (closes a cycle web -> orders -> ... -> fx -> web)
LANDSCAPE = {
    "teams": [{"id": "team-core", "name": "Core"}],
    "systems": [
        system("web", owner="team-core", tier=2),
        system("orders", owner="team-core", tier=1),
        system("stock", tier=1),
        system("billing", tier=1),
        system("ledger", tier=1),
        system("mailer", tier=3),
        system("fx", trust_zone="partner", external=True),
    ],
    "components": [
        {"id": "kafka", "kind": "broker"},
        {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
        {"id": "mail-topic", "kind": "topic", "part_of": "kafka"},
        {"id": "orders-dlq", "kind": "dead_letter_queue", "part_of": "kafka"},
        {"id": "gateway", "kind": "api_gateway"},
    ],
    "flows": [
        flow("web-orders", "web", "orders", "request_response", via=["gateway"]),
        flow("orders-stock", "orders", "stock", "request_response"),
        flow("order-placed", "orders", "billing", "event", via=["orders-topic"]),
        flow("order-mail", "orders", "mailer", "event", via=["mail-topic"]),
        flow("billing-batch", "billing", "ledger", "batch", schedule_interval_seconds=86400),
        flow("ledger-fx", "ledger", "fx", "request_response"),
        flow("fx-rates", "fx", "web", "stream"),
    ],
    "policies": [
        {
            "id": "dlq-orders",
            "kind": "dead_letter",
            "dlq": "orders-dlq",
            "applies_to": ["orders-topic"],
            "max_deliveries": 5,
        },
    ],
    "credentials": [
        {"id": "cred-web", "kind": "mtls", "secret_ref": "vault://kv/web", "held_by": ["web"]},
    ],
}
LANDSCAPE["flows"][0]["credential"] = "cred-web"


Radius = Callable[..., Awaitable[BlastRadius]]


@pytest.fixture(params=["in-memory", "in-database"])
def radius(request: pytest.FixtureRequest) -> Radius:
    if request.param == "in-memory":
        return blast_radius

    async def in_database(
        store: Store, element: str, *, direction: Direction = Direction.DOWNSTREAM, depth: int = 6
    ) -> BlastRadius:
        return await store.read_transaction(
            lambda tx: blast_radius_in(tx, element, direction, depth)
        )

    return in_database


async def _load(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])


# The graph holds full identifiers (`test-bp:stock`): the service takes them and answers
# with them, systems, flows and paths alike.


def _effects(result: BlastRadius) -> dict[str, tuple[str, int, list[str]]]:
    return {a.id: (str(a.effect), a.depth, [s.flow for s in a.path]) for a in result.affected}


async def test_stock_outage_propagates_through_sync_calls_only(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "test-bp:stock")
    assert (result.element, result.kind) == ("test-bp:stock", "System")
    # orders calls stock (outage); web calls orders (outage); fx streams to web? no: web
    # receives from fx, fx does not depend on web. Billing and mailer receive from orders,
    # which is down: delayed (DLQ) and data_loss_risk (no DLQ); ledger gets billing's batch.
    assert _effects(result) == {
        "test-bp:orders": ("outage", 1, ["test-bp:orders-stock"]),
        "test-bp:web": ("outage", 2, ["test-bp:orders-stock", "test-bp:web-orders"]),
        "test-bp:billing": ("delayed", 2, ["test-bp:orders-stock", "test-bp:order-placed"]),
        "test-bp:mailer": ("data_loss_risk", 2, ["test-bp:orders-stock", "test-bp:order-mail"]),
        "test-bp:ledger": (
            "deferred",
            3,
            ["test-bp:orders-stock", "test-bp:order-placed", "test-bp:billing-batch"],
        ),
    }
    web = next(a for a in result.affected if a.id == "test-bp:web")
    assert [(s.source, s.target) for s in web.path] == [
        ("test-bp:stock", "test-bp:orders"),
        ("test-bp:orders", "test-bp:web"),
    ]
    summary = result.summary()
    assert summary["effect"] == {
        "data_loss_risk": 1,
        "deferred": 1,
        "delayed": 1,
        "outage": 2,
    }
    assert summary["team"] == {"(no owner)": 3, "test-bp:team-core": 2}


async def test_cycle_visits_each_system_once_and_depth_limits(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    # ledger -> fx is sync: ledger depends on fx. fx streams to web; web depends on fx.
    result = await radius(graph, "test-bp:fx", depth=6)
    ids = [a.id for a in result.affected]
    assert len(ids) == len(set(ids))
    assert _effects(result)["test-bp:ledger"] == ("outage", 1, ["test-bp:ledger-fx"])
    assert _effects(result)["test-bp:web"] == ("data_loss_risk", 1, ["test-bp:fx-rates"])
    assert "test-bp:fx" not in ids  # the changed system itself is not listed
    shallow = await radius(graph, "test-bp:fx", depth=1)
    assert sorted(a.id for a in shallow.affected) == ["test-bp:ledger", "test-bp:web"]


async def test_upstream_lists_providers(graph: Store, tmp_path: Path, radius: Radius) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "test-bp:web", direction=Direction.UPSTREAM, depth=2)
    assert _effects(result) == {
        "test-bp:orders": ("outage", 1, ["test-bp:web-orders"]),
        "test-bp:fx": ("data_loss_risk", 1, ["test-bp:fx-rates"]),
        "test-bp:stock": ("outage", 2, ["test-bp:web-orders", "test-bp:orders-stock"]),
    }  # ledger calls fx, so fx does not depend on ledger: not upstream of web


async def test_broker_outage_affects_flows_through_its_topics(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "test-bp:kafka", depth=2)
    assert (result.element, result.kind) == ("test-bp:kafka", "Component")
    effects = _effects(result)
    assert effects["test-bp:order-placed"][0] == "delayed"
    assert effects["test-bp:order-mail"][0] == "data_loss_risk"
    assert effects["test-bp:billing"] == ("delayed", 1, ["test-bp:order-placed"])
    assert effects["test-bp:mailer"] == ("data_loss_risk", 1, ["test-bp:order-mail"])
    assert effects["test-bp:ledger"] == (
        "deferred",
        2,
        ["test-bp:order-placed", "test-bp:billing-batch"],
    )
    assert "test-bp:orders" not in effects and "test-bp:web" not in effects


async def test_credential_revocation_breaks_the_flows_it_authenticates(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "test-bp:cred-web", depth=3)
    effects = _effects(result)
    assert effects["test-bp:web-orders"] == ("outage", 1, [])
    assert effects["test-bp:web"] == ("outage", 1, ["test-bp:web-orders"])
    assert [a.id for a in result.affected if a.kind == "System"] == ["test-bp:web"]


async def test_unknown_element_is_a_clear_error(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    from integraph.errors import IntegraphError

    with pytest.raises(IntegraphError, match="no element 'nope'"):
        await radius(graph, "nope")
    # The service takes full identifiers: a short id (resolved by the CLI, not here) is an
    # unknown element, never an empty answer, for systems and other elements alike.
    await _load(graph, tmp_path)
    for short_id in ("stock", "kafka"):
        with pytest.raises(IntegraphError, match=f"no element '{short_id}'"):
            await radius(graph, short_id)


def test_effect_vocabulary_is_stable() -> None:
    assert [str(e) for e in Effect] == [
        "outage",
        "contract_break",
        "data_loss_risk",
        "degraded",
        "delayed",
        "deferred",
    ]
