"""Operations, named types and the new field facts, loaded into Neo4j and read back: through
the export (the round trip via the database), and through the GraphQL API."""

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

INTERFACES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints" / "interfaces"


async def cypher(graph: Store, text: str) -> list[dict]:
    """A test's own question to the graph (not a query of the product's)."""
    return await graph.read_transaction(lambda tx: tx.run_text(text))


async def test_a_load_and_its_export_give_back_operations_types_and_field_facts(
    graph: Store, tmp_path: Path
) -> None:
    await load_blueprint(graph, [INTERFACES])
    await export_blueprint(graph, tmp_path, blueprint="interfaces")
    exported = load_blueprint_files([tmp_path])
    written = load_blueprint_files([INTERFACES])
    assert exported.model_copy(update={"sources": {}}) == written.model_copy(update={"sources": {}})
    rows = await cypher(
        graph,
        "MATCH (v:ContractVersion {id: 'interfaces:checkout-api@1.0.0'})-[h:HAS_OPERATION]->(o) "
        "RETURN o.id AS id, o.grpc AS grpc, h.position AS position ORDER BY position",
    )
    assert [(r["id"], r["grpc"]) for r in rows] == [
        ("interfaces:checkout-api@1.0.0#place-order", "hipstershop.CheckoutService/PlaceOrder"),
        ("interfaces:checkout-api@1.0.0#get-order", "hipstershop.CheckoutService/GetOrder"),
    ]


async def test_fields_of_named_types_are_fields_of_the_version_in_the_graph(graph: Store) -> None:
    await load_blueprint(graph, [INTERFACES])
    rows = await cypher(
        graph,
        "MATCH (:ContractVersion {id: 'interfaces:checkout-api@1.0.0'})-[:HAS_FIELD]->(f:Field) "
        "WHERE f.expanded_from IS NOT NULL "
        "RETURN f.id AS id, f.expanded_from AS type, f.type AS t ORDER BY f.position",
    )
    base = "interfaces:checkout-api@1.0.0#place-order/"
    assert [(r["id"].removeprefix(base), r["type"], r["t"]) for r in rows] == [
        ("request/address/street", "shop-types@1.0.0#Address", "string"),
        ("request/address/city", "shop-types@1.0.0#Address", "string"),
        ("request/address/country", "shop-types@1.0.0#Address", "string"),
        ("request/items/*/product_id", "CartItem", "string"),
        ("request/items/*/quantity", "CartItem", "integer"),
        ("request/items/*/price", "CartItem", "object"),
        ("request/items/*/price/currency_code", "shop-types@1.0.0#Money", "string"),
        ("request/items/*/price/units", "shop-types@1.0.0#Money", "long"),
        ("request/items/*/price/nanos", "shop-types@1.0.0#Money", "integer"),
        ("response/shipping_cost/currency_code", "shop-types@1.0.0#Money", "string"),
        ("response/shipping_cost/units", "shop-types@1.0.0#Money", "long"),
        ("response/shipping_cost/nanos", "shop-types@1.0.0#Money", "integer"),
    ]


async def test_the_api_reads_operations_flows_and_entitled_recipients(graph: Store) -> None:
    await load_blueprint(graph, [INTERFACES])
    app = AppContext(settings=load_settings(), lint_config=LintConfig(), store=graph)
    result = await build_schema().execute(
        """{ flow(id: "interfaces:frontend-places-order") {
               operations { id name grpc mutating calls { id } flows { id } }
             }
             field: element(id: "interfaces:email-api@3#send/request/to") {
               ... on Field { operation part path format clearFor { id } classification { id } }
             }
             version: element(id: "interfaces:order-events@1") {
               ... on ContractVersion {
                 headersFormat payloadFormat headers { path operation }
                 operations { name action channel }
               }
             }
             types: element(id: "interfaces:shop-types@1.0.0") {
               ... on ContractVersion { types { name fields { path type format } } }
             } }""",
        context_value=RequestContext(app=app, principal=LOCAL_ADMIN),
    )
    assert result.errors is None, result.errors
    operations = {o["name"]: o for o in result.data["flow"]["operations"]}
    assert operations["place-order"] == {
        "id": "interfaces:checkout-api@1.0.0#place-order",
        "name": "place-order",
        "grpc": "hipstershop.CheckoutService/PlaceOrder",
        "mutating": True,
        "calls": [
            {"id": "interfaces:checkout-charges-payment"},
            {"id": "interfaces:checkout-sends-email"},
        ],
        "flows": [{"id": "interfaces:frontend-places-order"}],
    }
    assert operations["get-order"]["mutating"] is None
    assert result.data["field"] == {
        "operation": "send",
        "part": "request",
        "path": "/to",
        "format": "email",
        "clearFor": [{"id": "interfaces:email"}],
        "classification": {"id": "interfaces:pii-contact"},
    }
    version = result.data["version"]
    assert version["headersFormat"] == "JSON_SCHEMA" and version["payloadFormat"] == "AVRO"
    assert version["headers"] == [{"path": "/correlation_id", "operation": None}]
    money = result.data["types"]["types"][0]
    assert money["name"] == "Money"
    assert money["fields"][0] == {"path": "/currency_code", "type": "STRING", "format": "iso-4217"}
    assert version["operations"] == [
        {"name": "order-placed", "action": "SEND", "channel": "shop.orders.placed"}
    ]
