"""The in-memory blast radius answers exactly as the walk in the database does.

`blast_radius` walks an in-process adjacency (`integraph.impact.adjacency`); `blast_radius_in`
walks Neo4j one Cypher query per level. On generated landscapes of both shapes, for systems
(hubs included), for every other kind of element that can change, in every direction and at
two depths, both must give the same answer: every affected element with its effect, depth,
path (flows, ends, patterns, effects), name, team and tier, in the same order, and the same
counts.
"""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from integraph.generate import Shape, generate_landscape
from integraph.impact.blast import Direction, Effect, blast_radius, blast_radius_in
from integraph.knowledge.load import load_landscape
from integraph.store.driver import Store

SIZES = {Shape.LAYERED: 300, Shape.RANDOM: 200}
KINDS = ["Component", "Flow", "Contract", "ContractVersion", "Field", "Credential", "Policy"]
OTHERS_PER_KIND = 3


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
    picked = hubs + chosen.sample(systems, 12)
    for kind in KINDS:
        of_kind = [row["id"] for row in rows if row["kind"] == kind]
        assert of_kind, f"the generated landscape has no {kind}"
        picked += chosen.sample(of_kind, min(OTHERS_PER_KIND, len(of_kind)))
    return picked


@pytest.mark.parametrize("shape", list(Shape))
async def test_in_memory_walk_gives_the_database_walks_answers(graph: Store, shape: Shape) -> None:
    await load_landscape(graph, generate_landscape(SIZES[shape], 11, shape=shape))
    effects: set[str] = set()
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
    # Not a comparison of empty answers: every effect occurs, and some radii are large.
    assert effects == {str(e) for e in Effect}
    assert largest >= SIZES[shape] // 10
