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


def _effects(result: BlastRadius) -> dict[str, tuple[str, int, list[str]]]:
    return {a.id: (str(a.effect), a.depth, [s.flow for s in a.path]) for a in result.affected}


async def test_stock_outage_propagates_through_sync_calls_only(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "stock")
    # orders calls stock (outage); web calls orders (outage); fx streams to web? no: web
    # receives from fx, fx does not depend on web. Billing and mailer receive from orders,
    # which is down: delayed (DLQ) and data_loss_risk (no DLQ); ledger gets billing's batch.
    assert _effects(result) == {
        "orders": ("outage", 1, ["orders-stock"]),
        "web": ("outage", 2, ["orders-stock", "web-orders"]),
        "billing": ("delayed", 2, ["orders-stock", "order-placed"]),
        "mailer": ("data_loss_risk", 2, ["orders-stock", "order-mail"]),
        "ledger": ("deferred", 3, ["orders-stock", "order-placed", "billing-batch"]),
    }
    summary = result.summary()
    assert summary["effect"] == {
        "data_loss_risk": 1,
        "deferred": 1,
        "delayed": 1,
        "outage": 2,
    }
    assert summary["team"] == {"(no owner)": 3, "team-core": 2}


async def test_cycle_visits_each_system_once_and_depth_limits(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    # ledger -> fx is sync: ledger depends on fx. fx streams to web; web depends on fx.
    result = await radius(graph, "fx", depth=6)
    ids = [a.id for a in result.affected]
    assert len(ids) == len(set(ids))
    assert _effects(result)["ledger"] == ("outage", 1, ["ledger-fx"])
    assert _effects(result)["web"] == ("data_loss_risk", 1, ["fx-rates"])
    assert "fx" not in ids  # the changed system itself is not listed
    shallow = await radius(graph, "fx", depth=1)
    assert sorted(a.id for a in shallow.affected) == ["ledger", "web"]


async def test_upstream_lists_providers(graph: Store, tmp_path: Path, radius: Radius) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "web", direction=Direction.UPSTREAM, depth=2)
    assert _effects(result) == {
        "orders": ("outage", 1, ["web-orders"]),
        "fx": ("data_loss_risk", 1, ["fx-rates"]),
        "stock": ("outage", 2, ["web-orders", "orders-stock"]),
    }  # ledger calls fx, so fx does not depend on ledger: not upstream of web


async def test_broker_outage_affects_flows_through_its_topics(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "kafka", depth=2)
    effects = _effects(result)
    assert effects["order-placed"][0] == "delayed" and effects["order-mail"][0] == "data_loss_risk"
    assert effects["billing"] == ("delayed", 1, ["order-placed"])
    assert effects["mailer"] == ("data_loss_risk", 1, ["order-mail"])
    assert effects["ledger"] == ("deferred", 2, ["order-placed", "billing-batch"])
    assert "orders" not in effects and "web" not in effects


async def test_credential_revocation_breaks_the_flows_it_authenticates(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path)
    result = await radius(graph, "cred-web", depth=3)
    effects = _effects(result)
    assert effects["web-orders"] == ("outage", 1, [])
    assert effects["web"] == ("outage", 1, ["web-orders"])
    assert [a.id for a in result.affected if a.kind == "System"] == ["web"]


async def test_unknown_element_is_a_clear_error(graph: Store, radius: Radius) -> None:
    from integraph.errors import IntegraphError

    with pytest.raises(IntegraphError, match="no element 'nope'"):
        await radius(graph, "nope")


def test_effect_vocabulary_is_stable() -> None:
    assert [str(e) for e in Effect] == [
        "outage",
        "contract_break",
        "data_loss_risk",
        "delayed",
        "deferred",
    ]
