"""The in-memory blast radius answers exactly as the walk in the database does.

`blast_radius` walks an in-process adjacency (`integraph.impact.adjacency`); `blast_radius_in`
walks Neo4j one Cypher query per level. On generated landscapes of both shapes, for systems
(hubs included), for every other kind of element that can change, in every direction and at
two depths, both must give the same answer: every affected element with its effect, depth,
path (flows, ends, patterns, effects), name, team and tier, in the same order, and the same
counts, and the same environments.

The generated landscapes get degradable flows (``required: false``, of every pattern),
request-reply commands and events (some with a reply topic of their own, so that a component
may cut only a reply's way) and a broker instance bound to a production environment, so the
composition of caps, the requesters' dependencies and instances are compared too.
"""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from integraph.generate import Shape, generate_landscape
from integraph.impact.blast import Direction, Effect, blast_radius, blast_radius_in
from integraph.knowledge.load import load_landscape
from integraph.model import Component, Environment, Landscape, Reply
from integraph.store.driver import Store

SIZES = {Shape.LAYERED: 300, Shape.RANDOM: 200}
KINDS = ["Component", "Flow", "Contract", "ContractVersion", "Field", "Credential", "Policy"]
OTHERS_PER_KIND = 3


INSTANCE = "synthetic:broker-1-prod"
"""The broker instance the landscapes get (of the generated `broker-1`)."""


def _with_degradable_and_replies(landscape: Landscape, seed: int) -> Landscape:
    """The landscape with a seeded share of flows degradable and of commands and events
    request-reply, and an instance of its first broker bound to production (each added only
    where the generated landscape lacks it)."""
    chosen = random.Random(seed)
    topics = [c.id for c in landscape.components if c.kind == "topic"]
    flows = []
    for flow in landscape.flows:
        update: dict[str, object] = {}
        if chosen.random() < 0.2:
            update |= {"required": False, "fallback": "Works without it, less well."}
        if flow.pattern in ("command", "event") and flow.reply is None and chosen.random() < 0.3:
            via = [chosen.choice(topics)] if chosen.random() < 0.5 else []
            update["reply"] = Reply(via=via, address_header="reply-to", timeout_ms=2000)
        flows.append(flow.model_copy(update=update) if update else flow)
    components = {c.id: c for c in landscape.components}
    assert "broker-1" in components
    components.setdefault(
        "broker-1-prod",
        Component(id="broker-1-prod", kind="broker", instance_of="broker-1", environments=["prod"]),
    )
    environments = {e.id: e for e in landscape.environments}
    environments.setdefault("dev", Environment(id="dev"))
    environments.setdefault("prod", Environment(id="prod", production=True))
    return landscape.model_copy(
        update={
            "flows": flows,
            "components": sorted(components.values(), key=lambda c: c.id),
            "environments": sorted(environments.values(), key=lambda e: e.id),
        }
    )


async def _sample(graph: Store, seed: int) -> list[str]:
    """Random systems, the biggest hubs, and a few elements of every other kind."""
    systems = [row["id"] for row in await graph.read("queries/impact/system_ids")]
    hubs = [row["id"] for row in await graph.read("queries/impact/hubs", limit=4)]
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (e:Element) WHERE any(label IN labels(e) WHERE label IN $kinds) "
            "RETURN e.id AS id, [label IN labels(e) WHERE label <> 'Element'][0] AS kind "
            "ORDER BY id",
            {"kinds": KINDS},
        )
    )
    chosen = random.Random(seed)
    picked = [*hubs, *chosen.sample(systems, 12), INSTANCE]
    for kind in KINDS:
        of_kind = [row["id"] for row in rows if row["kind"] == kind]
        assert of_kind, f"the generated landscape has no {kind}"
        picked += chosen.sample(of_kind, min(OTHERS_PER_KIND, len(of_kind)))
    return picked


@pytest.mark.parametrize("shape", list(Shape))
async def test_in_memory_walk_gives_the_database_walks_answers(graph: Store, shape: Shape) -> None:
    landscape = _with_degradable_and_replies(generate_landscape(SIZES[shape], 11, shape=shape), 11)
    await load_landscape(graph, landscape)
    ends = {
        f"synthetic:{f.id}": (f"synthetic:{f.source}", f"synthetic:{f.target}")
        for f in landscape.flows
    }
    effects: set[str] = set()
    reply_steps = 0
    largest = 0
    cases = [(direction, 6) for direction in Direction] + [(Direction.DOWNSTREAM, 2)]
    for element in await _sample(graph, 11):
        for direction, depth in cases:
            fast = await blast_radius(graph, element, direction=direction, depth=depth, limit=None)
            reference = await graph.read_transaction(
                lambda tx, e=element, d=direction, n=depth: blast_radius_in(tx, e, d, n, limit=None)
            )
            assert asdict(fast) == asdict(reference), (element, direction, depth)
            effects.update(str(a.effect) for a in fast.affected)
            largest = max(largest, fast.total)
            # Steps from a replier to its requester (against an asynchronous flow's direction).
            reply_steps += sum(
                1
                for a in fast.affected
                for s in a.path
                if a.direction == Direction.DOWNSTREAM
                and s.pattern != "request_response"
                and (s.target, s.source) == ends[s.flow]
            )
    # Not a comparison of empty answers: every effect occurs, and some radii are large.
    assert effects == {str(e) for e in Effect}
    assert reply_steps > 0
    assert largest >= SIZES[shape] // 10
    instance = await blast_radius(graph, INSTANCE, limit=None)
    assert (instance.environments, instance.production) == (["synthetic:prod"], True)
    assert instance.total > 0
