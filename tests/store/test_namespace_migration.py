"""Migration 006: a graph stored before namespaces gets full identifiers, and loads on."""

from __future__ import annotations

from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store, Tx
from integraph.store.migrations import available_migrations, migrate
from tests.store.test_writer import MINIMAL, snapshot


async def test_short_ids_of_an_older_graph_become_full_identifiers(graph: Store) -> None:
    await load_blueprint(graph, [MINIMAL])
    ignore = ("content_hash",)
    loaded = await snapshot(graph, ignore=ignore)

    async def as_before_namespaces(tx: Tx) -> None:
        # What an older Integraph stored: element ids without their blueprint in front.
        await tx.run_text(
            "MATCH (n:Element) WHERE n.id STARTS WITH 'minimal:' "
            "SET n.id = substring(n.id, size('minimal:'))"
        )
        # ... and without the facts derived at load (they came later)
        await tx.run_text("MATCH (r:FlowResilience) DETACH DELETE r")

    await graph.write_transaction(as_before_namespaces)
    assert "web-shop" in (await snapshot(graph))["nodes"]
    (namespaces,) = [m for m in available_migrations() if m.name == "namespaces"]
    await graph.write("queries/schema/forget_migration", version=namespaces.version)

    report = await migrate(graph)
    assert report.applied == [namespaces.path.name]
    assert await snapshot(graph, ignore=ignore) == loaded
    missing = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (f:Flow) WHERE NOT (f)-[:HAS_RESILIENCE]->() RETURN count(f) AS n"
        )
    )
    assert missing == [{"n": 0}]  # derived again by the migration
    # the load records went with the old ids: the next load reads the files again
    again = await load_blueprint(graph, [MINIMAL])
    assert not again.files_unchanged and again.created == 0
    assert await snapshot(graph, ignore=ignore) == loaded
