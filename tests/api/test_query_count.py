"""No N+1 between GraphQL and Neo4j: the queries a request runs do not grow with its answer."""

from __future__ import annotations

from integraph.generate import generate_landscape
from integraph.knowledge.load import load_landscape

DOCUMENT = """query($n: Int!) { systems(first: $n, where: {kind: "service"}) { totalCount nodes {
    id name tier owner { id name }
    outgoingFlows { id pattern target { id }
      contract { id versions { version fields { path type classification { id } } } }
      credential { id } policies { id __typename } via { id } }
    incomingFlows { id source { id owner { id } } } } } }"""


async def _queries_for(run, graph, systems: int) -> tuple[int, int]:
    await graph.write("queries/db/clear")
    landscape = generate_landscape(systems, 5)
    await load_landscape(graph, landscape)
    data = await run(DOCUMENT, {"n": systems})  # the services (no data stores, no actors)
    nodes = data["systems"]["nodes"]
    assert len(nodes) == systems == data["systems"]["totalCount"]
    return run.context.queries, sum(len(n["outgoingFlows"]) for n in nodes)


async def test_the_query_count_is_the_same_for_10_and_1000_systems(run, graph) -> None:
    small, small_flows = await _queries_for(run, graph, 10)
    large, large_flows = await _queries_for(run, graph, 1_000)
    assert large_flows > 50 * small_flows > 0  # the answers differ a lot in size...
    assert large == small  # ...the number of queries does not
    assert small <= 20
