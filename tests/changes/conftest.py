"""Fixtures of the changes tests: the knowledge-base fixture loaded, principals, and views of
the graph and of the audit trail to compare before and after a change."""

from __future__ import annotations

from typing import Any

import pytest

from integraph.auth.principal import Principal, Role
from integraph.knowledge.load import load_knowledge
from integraph.store.driver import Store, Tx
from tests.conftest import ROOT

KNOWLEDGE = ROOT / "tests" / "fixtures" / "blueprints" / "knowledge"
"""landscape (approved), card-payments (in review, uses landscape), crm-sync (draft)."""

READER = Principal(name="rita", role=Role.READER)
EDITOR = Principal(name="eve", role=Role.EDITOR, blueprints=frozenset({"card-payments"}))
CRM_EDITOR = Principal(name="carl", role=Role.EDITOR, blueprints=frozenset({"crm-sync"}))
APPROVER = Principal(name="ada", role=Role.APPROVER, via="oidc")
ADMIN = Principal(name="root", role=Role.ADMIN)


@pytest.fixture
async def knowledge(graph: Store) -> Store:
    """The knowledge-base fixture loaded (without an audit entry: the trail starts empty)."""
    await load_knowledge(graph, [KNOWLEDGE])
    return graph


async def whole_graph(store: Store) -> dict[str, Any]:
    """Every node (labels, properties) and relationship of the database, comparable with ==:
    what a refused change must leave exactly as it was (graph version token included)."""

    async def work(tx: Tx) -> dict[str, Any]:
        nodes = await tx.run_text(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props"
        )
        rels = await tx.run_text(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
            "properties(r) AS props"
        )
        return {"nodes": nodes, "rels": rels}

    raw = await store.read_transaction(work)
    return {
        "nodes": sorted(
            (n["key"], sorted(n["labels"]), sorted(n["props"].items())) for n in raw["nodes"]
        ),
        "rels": sorted((r["a"], r["t"], r["b"], sorted(r["props"].items())) for r in raw["rels"]),
    }


async def audit_nodes(store: Store) -> int:
    rows = await store.read_transaction(
        lambda tx: tx.run_text("MATCH (n) WHERE n:AuditEntry OR n:AuditChange RETURN count(n) AS n")
    )
    return int(rows[0]["n"])


async def prop(store: Store, element: str, name: str) -> Any:
    rows = await store.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (n:Element {id: $id}) RETURN n[$name] AS v", {"id": element, "name": name}
        )
    )
    return rows[0]["v"] if rows else None
