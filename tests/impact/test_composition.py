"""Blast radius composes hops: the worst effect that actually reaches a system, and why.

Small hand-made graphs (and the topology fixture) whose answers are worked out by hand: an
outage travels only along required synchronous dependencies, a degradable dependency
(``required: false``) degrades its dependents, a delayed consumer's callers are delayed, what
lies beyond a batch is deferred, the worst effect over a longer path beats a milder one over a
shorter path, a request-reply flow makes its requester depend on its replier, and a broker
instance bound to environments reaches the systems its logical broker does, in those
environments only.

Each test of a walk runs twice: over the in-memory dependency graph (`blast_radius`) and in
the database (`blast_radius_in`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from integraph.api.graphql.context import RequestContext
from integraph.api.graphql.schema import build_schema
from integraph.auth.principal import LOCAL_ADMIN
from integraph.cli.impact import render_blast_text
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.impact.blast import BlastRadius, Direction, blast_radius, blast_radius_in
from integraph.impact.effects import Effect, hop_effect
from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.store.driver import Store
from tests.conftest import ROOT, run_cli
from tests.impact.test_blast import flow, system
from tests.lint.harness import write_blueprint

TOPOLOGY = ROOT / "tests" / "fixtures" / "blueprints" / "topology"

Radius = Callable[..., Awaitable[BlastRadius]]


@pytest.fixture(params=["in-memory", "in-database"])
def radius(request: pytest.FixtureRequest) -> Radius:
    if request.param == "in-memory":
        return blast_radius

    async def in_database(
        store: Store, element: str, *, direction: Direction = Direction.DOWNSTREAM, depth: int = 6
    ) -> BlastRadius:
        return await store.read_transaction(
            lambda tx: blast_radius_in(tx, element, direction, depth, limit=None)
        )

    return in_database


async def _load(graph: Store, tmp_path: Path, sections: dict[str, Any]) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", sections)])


def _t(local: str) -> str:
    return f"test-bp:{local}"


def _answer(result: BlastRadius) -> list[tuple[str, str, str, int, list[tuple[str, ...]]]]:
    """Every affected element in order: kind, id, effect, depth, and each step as
    (flow, source, target, pattern, effect), ids without the blueprint."""

    def local(full: str) -> str:
        return full.removeprefix("test-bp:").removeprefix("topology:")

    return [
        (
            a.kind,
            local(a.id),
            str(a.effect),
            a.depth,
            [
                (local(s.flow), local(s.source), local(s.target), s.pattern, str(s.effect))
                for s in a.path
            ],
        )
        for a in result.affected
    ]


def degradable(fid: str, source: str, target: str, pattern: str, **extra: object) -> dict:
    return flow(fid, source, target, pattern, required=False, fallback="Works without.", **extra)


def test_the_caps_of_a_hop() -> None:
    assert hop_effect("request_response", False) == Effect.OUTAGE
    assert hop_effect("request_response", False, required=False) == Effect.DEGRADED
    assert hop_effect("event", True) == Effect.DELAYED
    assert hop_effect("event", True, required=False) == Effect.DELAYED  # already milder
    assert hop_effect("stream", False) == Effect.DATA_LOSS_RISK
    assert hop_effect("command", False, required=False) == Effect.DEGRADED
    assert hop_effect("batch", False) == Effect.DEFERRED
    assert hop_effect("batch", False, required=False) == Effect.DEFERRED
    assert hop_effect("command", False, reply=True) == Effect.OUTAGE
    assert hop_effect("command", True, required=False, reply=True) == Effect.DEGRADED


# b calls a; c calls b but can do without it (required: false); d calls c.
# a sends e events e can do without (no dead letter: data loss risk, capped at degraded).
DEGRADABLE = {
    "systems": [system(s) for s in ("a", "b", "c", "d", "e")],
    "flows": [
        flow("b-calls-a", "b", "a", "request_response"),
        degradable("c-calls-b", "c", "b", "request_response"),
        flow("d-calls-c", "d", "c", "request_response"),
        degradable("a-tells-e", "a", "e", "event"),
    ],
}


async def test_a_degradable_dependency_degrades_its_dependents(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path, DEGRADABLE)
    result = await radius(graph, _t("a"))
    b_a = ("b-calls-a", "a", "b", "request_response", "outage")
    assert _answer(result) == [
        ("System", "b", "outage", 1, [b_a]),
        ("System", "e", "degraded", 1, [("a-tells-e", "a", "e", "event", "degraded")]),
        (
            "System",
            "c",
            "degraded",
            2,
            [b_a, ("c-calls-b", "b", "c", "request_response", "degraded")],
        ),
        # c's callers are degraded too, not outage: c itself still works.
        (
            "System",
            "d",
            "degraded",
            3,
            [
                b_a,
                ("c-calls-b", "b", "c", "request_response", "degraded"),
                ("d-calls-c", "c", "d", "request_response", "degraded"),
            ],
        ),
    ]
    assert result.summary()["effect"] == {"degraded": 3, "outage": 1}
    assert (result.environments, result.production) == ([], True)

    # Upstream composes the same way: d relies on c outright, on b and a only degradably.
    up = await radius(graph, _t("d"), direction=Direction.UPSTREAM)
    d_c = ("d-calls-c", "d", "c", "request_response", "outage")
    c_b = ("c-calls-b", "c", "b", "request_response", "degraded")
    assert _answer(up) == [
        ("System", "c", "outage", 1, [d_c]),
        ("System", "b", "degraded", 2, [d_c, c_b]),
        (
            "System",
            "a",
            "degraded",
            3,
            [d_c, c_b, ("b-calls-a", "b", "a", "request_response", "degraded")],
        ),
    ]


async def test_a_changed_degradable_flow_degrades_its_caller(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path, DEGRADABLE)
    result = await radius(graph, _t("c-calls-b"))
    c_b = ("c-calls-b", "b", "c", "request_response", "degraded")
    assert _answer(result) == [
        ("System", "c", "degraded", 1, [c_b]),
        ("Flow", "c-calls-b", "degraded", 1, []),
        (
            "System",
            "d",
            "degraded",
            2,
            [c_b, ("d-calls-c", "c", "d", "request_response", "degraded")],
        ),
    ]


async def test_the_callers_of_a_delayed_consumer_are_delayed(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    # src sends consumer events through a dead-letter queue; caller calls consumer; top calls
    # caller. consumer only lags behind: its callers get late answers, not none.
    await _load(
        graph,
        tmp_path,
        {
            "systems": [system(s) for s in ("src", "consumer", "caller", "top")],
            "components": [{"id": "dlq", "kind": "dead_letter_queue"}],
            "flows": [
                flow("src-event", "src", "consumer", "event"),
                flow("caller-asks", "caller", "consumer", "request_response"),
                flow("top-asks", "top", "caller", "request_response"),
            ],
            "policies": [
                {
                    "id": "dl-src",
                    "kind": "dead_letter",
                    "dlq": "dlq",
                    "applies_to": ["src-event"],
                    "max_deliveries": 5,
                }
            ],
        },
    )
    result = await radius(graph, _t("src"))
    event = ("src-event", "src", "consumer", "event", "delayed")
    ask = ("caller-asks", "consumer", "caller", "request_response", "delayed")
    assert _answer(result) == [
        ("System", "consumer", "delayed", 1, [event]),
        ("System", "caller", "delayed", 2, [event, ask]),
        (
            "System",
            "top",
            "delayed",
            3,
            [event, ask, ("top-asks", "caller", "top", "request_response", "delayed")],
        ),
    ]


async def test_what_lies_beyond_a_batch_is_deferred(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    # a copies to b nightly; b sends c events without a dead letter. a failing only defers
    # b's next run: c risks no data loss from it.
    await _load(
        graph,
        tmp_path,
        {
            "systems": [system(s) for s in ("a", "b", "c")],
            "flows": [
                flow("a-batch", "a", "b", "batch", schedule_interval_seconds=86400),
                flow("b-event", "b", "c", "event"),
            ],
        },
    )
    result = await radius(graph, _t("a"))
    batch = ("a-batch", "a", "b", "batch", "deferred")
    assert _answer(result) == [
        ("System", "b", "deferred", 1, [batch]),
        ("System", "c", "deferred", 2, [batch, ("b-event", "b", "c", "event", "deferred")]),
    ]
    # From b itself the event hop carries its own cap.
    assert _answer(await radius(graph, _t("b"))) == [
        ("System", "c", "data_loss_risk", 1, [("b-event", "b", "c", "event", "data_loss_risk")])
    ]


async def test_the_worst_effect_over_a_longer_path_wins(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    # x gets a's nightly batch (deferred, one hop), but x also calls b and c, which call a:
    # x is down with a (outage, two hops). Of the two outage paths the smaller list of flow
    # ids explains it: [b-calls-a, z-x-calls-b] < [c-calls-a, m-x-calls-c], although its
    # last hop's id is the larger one.
    await _load(
        graph,
        tmp_path,
        {
            "systems": [system(s) for s in ("a", "b", "c", "x")],
            "flows": [
                flow("a-feeds-x", "a", "x", "batch", schedule_interval_seconds=86400),
                flow("b-calls-a", "b", "a", "request_response"),
                flow("c-calls-a", "c", "a", "request_response"),
                flow("z-x-calls-b", "x", "b", "request_response"),
                flow("m-x-calls-c", "x", "c", "request_response"),
            ],
        },
    )
    b_a = ("b-calls-a", "a", "b", "request_response", "outage")
    c_a = ("c-calls-a", "a", "c", "request_response", "outage")
    result = await radius(graph, _t("a"))
    assert _answer(result) == [
        ("System", "b", "outage", 1, [b_a]),
        ("System", "c", "outage", 1, [c_a]),
        (
            "System",
            "x",
            "outage",
            2,
            [b_a, ("z-x-calls-b", "b", "x", "request_response", "outage")],
        ),
    ]
    # Within one hop only the batch reaches x.
    shallow = await radius(graph, _t("a"), depth=1)
    assert _answer(shallow) == [
        ("System", "b", "outage", 1, [b_a]),
        ("System", "c", "outage", 1, [c_a]),
        ("System", "x", "deferred", 1, [("a-feeds-x", "a", "x", "batch", "deferred")]),
    ]


def _request_reply(required: bool) -> dict[str, Any]:
    ask = flow(
        "ask",
        "requester",
        "replier",
        "command",
        via=["requests"],
        reply={"via": ["replies"], "correlation_key": "correlation-id", "timeout_ms": 2000},
    )
    if not required:
        ask |= {"required": False, "fallback": "Answers from its cache."}
    return {
        "systems": [system(s) for s in ("requester", "replier", "front")],
        "components": [{"id": "requests", "kind": "topic"}, {"id": "replies", "kind": "topic"}],
        "flows": [ask, flow("front-calls", "front", "requester", "request_response")],
    }


async def test_a_requester_depends_on_its_replier(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path, _request_reply(required=True))
    reply = ("ask", "replier", "requester", "command", "outage")
    front = ("front-calls", "requester", "front", "request_response", "outage")
    assert _answer(await radius(graph, _t("replier"))) == [
        ("System", "requester", "outage", 1, [reply]),
        ("System", "front", "outage", 2, [reply, front]),
    ]
    # The replier still receives the requester's commands (no dead letter: data loss risk).
    assert _answer(await radius(graph, _t("requester"))) == [
        ("System", "front", "outage", 1, [front]),
        (
            "System",
            "replier",
            "data_loss_risk",
            1,
            [("ask", "requester", "replier", "command", "data_loss_risk")],
        ),
    ]
    up = await radius(graph, _t("requester"), direction=Direction.UPSTREAM)
    assert _answer(up) == [
        ("System", "replier", "outage", 1, [("ask", "requester", "replier", "command", "outage")])
    ]
    # The reply topic alone: the requester waits for replies in vain (outage); the replier
    # is affected only as the receiver of a requester that is down, like any receiver.
    assert _answer(await radius(graph, _t("replies"))) == [
        ("Flow", "ask", "outage", 1, []),
        ("System", "requester", "outage", 1, [reply]),
        ("System", "front", "outage", 2, [reply, front]),
        (
            "System",
            "replier",
            "data_loss_risk",
            2,
            [reply, ("ask", "requester", "replier", "command", "data_loss_risk")],
        ),
    ]
    # The request topic: both sides.
    assert _answer(await radius(graph, _t("requests"))) == [
        ("Flow", "ask", "outage", 1, []),
        ("System", "requester", "outage", 1, [reply]),
        (
            "System",
            "replier",
            "data_loss_risk",
            1,
            [("ask", "requester", "replier", "command", "data_loss_risk")],
        ),
        ("System", "front", "outage", 2, [reply, front]),
    ]


async def test_a_requester_that_can_do_without_the_reply_is_degraded(
    graph: Store, tmp_path: Path, radius: Radius
) -> None:
    await _load(graph, tmp_path, _request_reply(required=False))
    reply = ("ask", "replier", "requester", "command", "degraded")
    assert _answer(await radius(graph, _t("replier"))) == [
        ("System", "requester", "degraded", 1, [reply]),
        (
            "System",
            "front",
            "degraded",
            2,
            [reply, ("front-calls", "requester", "front", "request_response", "degraded")],
        ),
    ]
    assert _answer(await radius(graph, _t("requester")))[1] == (
        "System",
        "replier",
        "degraded",
        1,
        [("ask", "requester", "replier", "command", "degraded")],
    )


# The topology fixture's broker outage: checkout waits for payments' replies (outage), and
# with checkout the storefront and the shopper are down; payments only gets its commands late
# (a dead letter covers them). The charge flow carries the worse of its two sides.
BROKER = [
    (
        "System",
        "checkout",
        "outage",
        1,
        [("checkout-charges-card", "payments", "checkout", "command", "outage")],
    ),
    ("Flow", "checkout-charges-card", "outage", 1, []),
    ("Flow", "checkout-refunds-card", "delayed", 1, []),
    (
        "System",
        "payments",
        "delayed",
        1,
        [("checkout-charges-card", "checkout", "payments", "command", "delayed")],
    ),
    (
        "System",
        "storefront",
        "outage",
        2,
        [
            ("checkout-charges-card", "payments", "checkout", "command", "outage"),
            ("storefront-places-order", "checkout", "storefront", "request_response", "outage"),
        ],
    ),
    (
        "System",
        "shopper",
        "outage",
        3,
        [
            ("checkout-charges-card", "payments", "checkout", "command", "outage"),
            ("storefront-places-order", "checkout", "storefront", "request_response", "outage"),
            ("shopper-browses", "storefront", "shopper", "request_response", "outage"),
        ],
    ),
]


async def test_a_broker_instance_reaches_what_its_broker_does_in_its_environments(
    graph: Store, radius: Radius
) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    logical = await radius(graph, "topology:kafka")
    assert _answer(logical) == BROKER
    assert (logical.environments, logical.production) == ([], True)
    assert logical.summary()["effect"] == {"delayed": 1, "outage": 3}

    nonprod = await radius(graph, "topology:kafka-nonprod")
    assert (nonprod.element, nonprod.kind) == ("topology:kafka-nonprod", "Component")
    assert _answer(nonprod) == BROKER
    assert nonprod.summary() == logical.summary()
    assert (nonprod.environments, nonprod.production) == (
        ["topology:dev", "topology:staging"],
        False,
    )
    prod = await radius(graph, "topology:kafka-prod")
    assert _answer(prod) == BROKER
    assert (prod.environments, prod.production) == (["topology:prod"], True)

    # A credential bound to production, the sender's or the receiver's: the same flows.
    for credential in ("topology:cred-checkout-kafka", "topology:cred-payments-kafka"):
        revoked = await radius(graph, credential)
        assert _answer(revoked) == BROKER, credential
        assert (revoked.environments, revoked.production) == (["topology:prod"], True)
    # A component bound to production that no flow passes.
    registry = await radius(graph, "topology:registry")
    assert (registry.total, registry.environments, registry.production) == (
        0,
        ["topology:prod"],
        True,
    )
    # A system is bound to no environment: all of them, production included.
    payments = await radius(graph, "topology:payments")
    assert (payments.environments, payments.production) == ([], True)
    assert [(a.id, str(a.effect), a.depth) for a in payments.affected] == [
        ("topology:checkout", "outage", 1),
        ("topology:storefront", "outage", 2),
        ("topology:shopper", "outage", 3),
    ]


async def test_the_topology_fixtures_degradable_dependencies(graph: Store, radius: Radius) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    # Without ads the storefront renders without the ads slot: degraded, and so the shopper.
    assert _answer(await radius(graph, "topology:ads")) == [
        (
            "System",
            "storefront",
            "degraded",
            1,
            [("storefront-shows-ads", "ads", "storefront", "request_response", "degraded")],
        ),
        (
            "System",
            "shopper",
            "degraded",
            2,
            [
                ("storefront-shows-ads", "ads", "storefront", "request_response", "degraded"),
                ("shopper-browses", "storefront", "shopper", "request_response", "degraded"),
            ],
        ),
    ]
    # Without email checkout confirms by the nightly batch: degraded; payments, which gets
    # checkout's commands through a dead letter, at most delayed.
    email = ("checkout-sends-email", "email", "checkout", "request_response", "degraded")
    places = ("storefront-places-order", "checkout", "storefront", "request_response", "degraded")
    assert _answer(await radius(graph, "topology:email")) == [
        ("System", "checkout", "degraded", 1, [email]),
        ("System", "storefront", "degraded", 2, [email, places]),
        (
            "System",
            "payments",
            "delayed",
            2,
            [email, ("checkout-charges-card", "checkout", "payments", "command", "delayed")],
        ),
        (
            "System",
            "shopper",
            "degraded",
            3,
            [
                email,
                places,
                ("shopper-browses", "storefront", "shopper", "request_response", "degraded"),
            ],
        ),
    ]


async def test_the_environments_in_the_text_json_and_graphql_answers(
    graph: Store, cli_env: dict[str, str]
) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    nonprod = await blast_radius(graph, "topology:kafka-nonprod")
    lines = render_blast_text(nonprod).splitlines()
    assert lines[:2] == [
        "impact of a change to Component 'topology:kafka-nonprod' (downstream, depth 6): "
        "6 affected",
        "in environments topology:dev, topology:staging (no production)",
    ]
    prod = render_blast_text(await blast_radius(graph, "topology:kafka-prod")).splitlines()
    assert prod[1] == "in environments topology:prod (production included)"
    # Unbound: no line (every environment).
    assert "in environments" not in render_blast_text(await blast_radius(graph, "topology:kafka"))

    proc = run_cli("impact", "kafka-nonprod", "-f", "json", env=cli_env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["environments"], data["production"], data["total"]) == (
        ["topology:dev", "topology:staging"],
        False,
        6,
    )

    schema = build_schema()
    app = AppContext(settings=load_settings(), lint_config=LintConfig(), store=graph)
    answer = await schema.execute(
        """{ prod: blastRadius(element: "kafka-prod") { environments production total
               byEffect { key count } }
             shop: blastRadius(element: "topology:payments") { environments production } }""",
        context_value=RequestContext(app=app, principal=LOCAL_ADMIN),
    )
    assert answer.errors is None, answer.errors
    assert answer.data == {
        "prod": {
            "environments": ["topology:prod"],
            "production": True,
            "total": 6,
            "byEffect": [{"key": "delayed", "count": 1}, {"key": "outage", "count": 3}],
        },
        "shop": {"environments": [], "production": True},
    }
