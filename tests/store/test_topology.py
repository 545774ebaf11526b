"""The runtime topology loaded into Neo4j and read back: through the export (the round trip
via the database), as the relationships and properties the rules read, and through the
GraphQL API."""

from __future__ import annotations

from pathlib import Path

from integraph.api.graphql.context import RequestContext
from integraph.api.graphql.schema import build_schema
from integraph.auth.principal import LOCAL_ADMIN
from integraph.blueprint.parse import load_blueprint_files
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.knowledge.load import export_blueprint, load_blueprint
from integraph.lint.config import LintConfig
from integraph.store.driver import Store

TOPOLOGY = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints" / "topology"


async def cypher(graph: Store, text: str) -> list[dict]:
    """A test's own question to the graph (not a query of the product's)."""
    return await graph.read_transaction(lambda tx: tx.run_text(text))


async def test_a_load_and_its_export_give_back_the_topology(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    await export_blueprint(graph, tmp_path, blueprint="topology")
    exported = load_blueprint_files([tmp_path])
    written = load_blueprint_files([TOPOLOGY])
    assert exported.model_copy(update={"sources": {}}) == written.model_copy(update={"sources": {}})
    charge = next(f for f in exported.flows if f.id == "checkout-charges-card")
    assert charge.reply is not None and charge.reply.via == ["payment-replies"]
    assert charge.reply.timeout_ms == 5000
    assert charge.compensated_by == "checkout-refunds-card"
    assert charge.receiver_credential == "cred-payments-kafka"
    [place_order] = exported.contracts_by_id["checkout-api"].versions[0].operations
    assert place_order.calls == ["checkout-charges-card", "checkout-sends-email"]


async def test_the_graph_holds_what_the_rules_read(graph: Store) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    [store] = await cypher(
        graph,
        "MATCH (s:System {id: 'topology:cart-store'}) "
        "RETURN s.kind AS kind, s.store_type AS type, s.engine AS engine, "
        "s.persistence AS persistence, s.replicas AS replicas",
    )
    assert store == {
        "kind": "data_store",
        "type": "cache",
        "engine": "redis",
        "persistence": "none",
        "replicas": 1,
    }
    [flow] = await cypher(
        graph,
        "MATCH (f:Flow {id: 'topology:checkout-charges-card'}) "
        "OPTIONAL MATCH (f)-[r:REPLIES_VIA]->(c:Component) "
        "OPTIONAL MATCH (f)-[:COMPENSATED_BY]->(u:Flow) "
        "OPTIONAL MATCH (rc:Credential)-[:AUTHENTICATES_RECEIVER]->(f) "
        "RETURN f.has_reply AS has_reply, f.reply_timeout_ms AS timeout, "
        "f.reply_correlation_key AS correlation, f.required AS required, "
        "collect(c.id) AS reply_via, u.id AS undo, rc.id AS receiver",
    )
    assert flow == {
        "has_reply": True,
        "timeout": 5000.0,
        "correlation": "correlation-id",
        "required": True,
        "reply_via": ["topology:payment-replies"],
        "undo": "topology:checkout-refunds-card",
        "receiver": "topology:cred-payments-kafka",
    }
    [optional] = await cypher(
        graph,
        "MATCH (f:Flow {id: 'topology:storefront-shows-ads'}) "
        "RETURN f.required AS required, f.fallback AS fallback",
    )
    assert optional == {"required": False, "fallback": "The page renders without the ads slot."}
    bound = await cypher(
        graph,
        "MATCH (n)-[:BOUND_TO]->(e:Environment) "
        "RETURN n.id AS element, collect(e.id) AS environments, "
        "collect(e.production) AS production ORDER BY element",
    )
    assert [(r["element"], sorted(r["environments"])) for r in bound] == [
        ("topology:cred-checkout-kafka", ["topology:prod"]),
        ("topology:cred-payments-kafka", ["topology:prod"]),
        ("topology:kafka-nonprod", ["topology:dev", "topology:staging"]),
        ("topology:kafka-prod", ["topology:prod"]),
        ("topology:registry", ["topology:prod"]),
    ]
    [credential] = await cypher(
        graph,
        "MATCH (c:Credential {id: 'topology:cred-payments-kafka'})-[:AUTHENTICATES_TO]->(x) "
        "WITH c, x ORDER BY x.id "
        "RETURN collect(x.id) AS towards, c.permission_channels AS channels, "
        "c.permission_groups AS groups, c.permission_access AS access",
    )
    assert credential == {
        "towards": ["topology:kafka-prod", "topology:registry"],
        "channels": ["", "payment-*", "payment-requests"],
        "groups": ["payments", "", ""],
        "access": ["read", "write", "read"],
    }
    [topic] = await cypher(
        graph,
        "MATCH (t:Component {id: 'topology:payment-requests'}) "
        "RETURN t.partitions AS partitions, t.retention_ms AS retention, "
        "t.replication_factor AS replicas, t.min_insync_replicas AS in_sync, "
        "t.cleanup_policy AS cleanup, t.max_message_bytes AS max_bytes",
    )
    assert topic == {
        "partitions": 12,
        "retention": 604800000,
        "replicas": 3,
        "in_sync": 2,
        "cleanup": "delete",
        "max_bytes": 1048576,
    }
    calls = await cypher(
        graph,
        "MATCH (:Operation {id: 'topology:checkout-api@1.0.0#place-order'})-[c:CALLS]->(f) "
        "RETURN f.id AS flow, c.position AS position ORDER BY position",
    )
    assert [r["flow"] for r in calls] == [
        "topology:checkout-charges-card",
        "topology:checkout-sends-email",
    ]


async def test_the_api_reads_the_topology(graph: Store) -> None:
    await load_blueprint(graph, [TOPOLOGY])
    app = AppContext(settings=load_settings(), lint_config=LintConfig(), store=graph)
    result = await build_schema().execute(
        """{ flow(id: "topology:checkout-charges-card") {
               required fallback
               reply { correlationKey timeoutMs addressHeader }
               replyVia { id }
               compensatedBy { id }
               receiverCredential { id heldBy { id } }
             }
             ads: flow(id: "topology:storefront-shows-ads") {
               required fallback reply { timeoutMs }
             }
             store: system(id: "topology:cart-store") {
               kind storeType engine persistence replicas
             }
             payments: system(id: "topology:payments") { endpoints { environment url } }
             shopper: system(id: "topology:shopper") { kind actorType channel }
             prod: element(id: "topology:prod") {
               ... on Environment {
                 production components { id } credentials { id } systems { id }
               }
             }
             cluster: component(id: "topology:kafka-nonprod") {
               instanceOf { id } environments { id }
             }
             broker: component(id: "topology:kafka") { instances { id } }
             credential: element(id: "topology:cred-checkout-kafka") {
               ... on Credential {
                 kind towards { id } environments { id } receivingFlows { id }
                 permissions { channel consumerGroup access }
               }
             } }""",
        context_value=RequestContext(app=app, principal=LOCAL_ADMIN),
    )
    assert result.errors is None, result.errors
    data = result.data
    assert data["flow"] == {
        "required": True,
        "fallback": None,
        "reply": {"correlationKey": "correlation-id", "timeoutMs": 5000.0, "addressHeader": None},
        "replyVia": [{"id": "topology:payment-replies"}],
        "compensatedBy": {"id": "topology:checkout-refunds-card"},
        "receiverCredential": {
            "id": "topology:cred-payments-kafka",
            "heldBy": [{"id": "topology:payments"}],
        },
    }
    assert data["ads"] == {
        "required": False,
        "fallback": "The page renders without the ads slot.",
        "reply": None,
    }
    assert data["store"] == {
        "kind": "DATA_STORE",
        "storeType": "CACHE",
        "engine": "redis",
        "persistence": "NONE",
        "replicas": 1,
    }
    assert data["payments"]["endpoints"] == [
        {"environment": "dev", "url": "https://payments.dev.shop.example"},
        {"environment": "prod", "url": "https://payments.shop.example"},
        {"environment": "staging", "url": "https://payments.staging.shop.example"},
    ]
    assert data["prod"]["systems"] == [{"id": "topology:payments"}]
    assert data["shopper"] == {"kind": "ACTOR", "actorType": "ANONYMOUS", "channel": "INTERNET"}
    prod = data["prod"]
    assert prod["production"] is True
    assert sorted(c["id"] for c in prod["components"]) == [
        "topology:kafka-prod",
        "topology:registry",
    ]
    assert sorted(c["id"] for c in prod["credentials"]) == [
        "topology:cred-checkout-kafka",
        "topology:cred-payments-kafka",
    ]
    assert data["cluster"]["instanceOf"] == {"id": "topology:kafka"}
    assert sorted(e["id"] for e in data["cluster"]["environments"]) == [
        "topology:dev",
        "topology:staging",
    ]
    assert sorted(i["id"] for i in data["broker"]["instances"]) == [
        "topology:kafka-nonprod",
        "topology:kafka-prod",
    ]
    credential = data["credential"]
    assert credential["kind"] == "SASL_SCRAM"
    assert credential["towards"] == [{"id": "topology:kafka-prod"}]
    assert credential["receivingFlows"] == []
    assert credential["permissions"] == [
        {"channel": None, "consumerGroup": "checkout-replies", "access": ["READ"]},
        {"channel": "payment-replies", "consumerGroup": None, "access": ["READ"]},
        {"channel": "payment-requests", "consumerGroup": None, "access": ["WRITE"]},
    ]
