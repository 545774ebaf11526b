"""The JSON Schema for editors validates real blueprint files and rejects broken ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
from ruamel.yaml import YAML

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.blueprint.schema import blueprint_json_schema
from integraph.model import BlueprintFile
from tests.blueprint.conftest import BLUEPRINTS, MINIMAL


def as_json(path: Path) -> Any:
    # Editors see unquoted YAML dates as strings; so does JSON.
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(path.read_text()), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = blueprint_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12() -> None:
    schema = blueprint_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == {
        "blueprint",
        "environments",
        "teams",
        "systems",
        "components",
        "contracts",
        "flows",
        "policies",
        "credentials",
        "classifications",
        "decisions",
        "waivers",
    }
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("path", sorted(MINIMAL.rglob("*.yaml")), ids=lambda p: p.name)
def test_minimal_fixture_files_validate(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = list(validator.iter_errors(as_json(path)))
    assert errors == []


@pytest.mark.parametrize(
    "document",
    [
        {"sytems": []},
        {"flows": [{"id": "f", "source": "a", "target": "b", "pattern": "evnt"}]},
        {"flows": [{"id": "f", "source": "a", "pattern": "event"}]},
        {"teams": [{"id": "Bad Id"}]},
        {"policies": [{"id": "p", "kind": "retry", "jitter": "half"}]},
        {"credentials": [{"id": "c", "kind": "api_key", "secret_ref": "plain"}]},
    ],
)
def test_broken_documents_are_rejected(
    validator: jsonschema.Draft202012Validator, document: dict[str, Any]
) -> None:
    assert list(validator.iter_errors(document)) != []


def test_field_descriptions_reach_the_schema() -> None:
    flow = blueprint_json_schema()["$defs"]["Flow"]["properties"]
    assert "initiator" in flow["source"]["description"]


SEED = Path(__file__).resolve().parents[2] / "seed"
INTERFACES = BLUEPRINTS / "interfaces"


def yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")])


def relative(path: Path) -> str:
    return str(path.relative_to(BLUEPRINTS.parents[2]))


@pytest.mark.parametrize("path", yaml_files(SEED), ids=relative)
def test_seed_files_validate(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(as_json(path))]
    assert errors == []


@pytest.mark.parametrize("path", yaml_files(INTERFACES), ids=lambda p: p.name)
def test_interfaces_fixture_files_validate(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(as_json(path))]
    assert errors == []


def test_the_checked_files_use_the_interface_constructs() -> None:
    # Guards the two tests above: the files they validate hold what the schema must cover.
    text = "\n".join(p.read_text() for p in [*yaml_files(SEED), *yaml_files(INTERFACES)])
    for construct in (
        "operations:",
        "types:",
        "ref:",
        "headers:",
        "headers_format:",
        "payload_format:",
        "idempotency_key:",
        "calls:",
        "clear_for:",
        "nullable:",
        "sunset:",
        "replaced_by:",
        "exclusive_minimum:",
        "min_items:",
        "format:",
        "grpc:",
        "http_path:",
        "action:",
        "channel:",
        "kind: ssh_key",
    ):
        assert construct in text, construct


def interface_document() -> dict[str, Any]:
    """A small file with an operation, a named type and a flow naming the operation."""
    return {
        "contracts": [
            {
                "id": "orders-api",
                "kind": "openapi",
                "versions": [
                    {
                        "version": "1.0.0",
                        "headers_format": "json_schema",
                        "payload_format": "json_schema",
                        "types": [
                            {
                                "name": "Money",
                                "fields": [
                                    {"path": "/currency", "type": "string", "format": "iso-4217"},
                                    {"path": "/amount", "type": "decimal", "exclusive_minimum": 0},
                                ],
                            }
                        ],
                        "operations": [
                            {
                                "name": "place-order",
                                "method": "POST",
                                "http_path": "/orders",
                                "idempotency_key": "headers/Idempotency-Key",
                                "calls": ["orders-to-payments"],
                                "headers": [
                                    {"path": "/Idempotency-Key", "type": "string", "format": "uuid"}
                                ],
                                "request": [
                                    {"path": "/total", "type": "object", "ref": "Money"},
                                    {
                                        "path": "/email",
                                        "type": "string",
                                        "nullable": True,
                                        "clear_for": ["mailer"],
                                    },
                                ],
                                "response": [
                                    {
                                        "path": "/legacy_id",
                                        "type": "string",
                                        "deprecated": True,
                                        "deprecated_on": "2024-01-01",
                                        "sunset": "2025-01-01",
                                        "replaced_by": "/id",
                                    }
                                ],
                            },
                            {
                                "name": "order-placed",
                                "action": "send",
                                "channel": "orders.placed",
                                "message": [{"path": "/id", "type": "string"}],
                            },
                        ],
                    }
                ],
            }
        ],
        "flows": [
            {
                "id": "shop-to-orders",
                "source": "shop",
                "target": "orders",
                "pattern": "request_response",
                "contract": "orders-api",
                "producer_version": "1.0.0",
                "operations": ["place-order"],
                "masking": [{"field": "place-order/request/email", "method": "hashed"}],
            }
        ],
        "credentials": [
            {"id": "cred-sftp", "kind": "ssh_key", "secret_ref": "vault://kv/shop/sftp-key"}
        ],
    }


def operation(document: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return document["contracts"][0]["versions"][0]["operations"][index]


def named_type(document: dict[str, Any]) -> dict[str, Any]:
    return document["contracts"][0]["versions"][0]["types"][0]


def test_the_interface_document_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    document = interface_document()
    assert list(validator.iter_errors(document)) == []
    BlueprintFile.model_validate(document)  # the model agrees


def _unknown_operation_key(d: dict[str, Any]) -> None:
    operation(d)["verb"] = "POST"


def _misspelt_field_key(d: dict[str, Any]) -> None:
    operation(d)["headers"][0]["formt"] = operation(d)["headers"][0].pop("format")


def _misspelt_key_in_a_named_type(d: dict[str, Any]) -> None:
    named_type(d)["fields"][0]["fromat"] = named_type(d)["fields"][0].pop("format")


def _misspelt_key_in_a_named_type_itself(d: dict[str, Any]) -> None:
    named_type(d)["field"] = named_type(d).pop("fields")


def _unknown_http_method(d: dict[str, Any]) -> None:
    operation(d)["method"] = "FETCH"


def _lower_case_http_method(d: dict[str, Any]) -> None:
    operation(d)["method"] = "post"


def _unknown_message_action(d: dict[str, Any]) -> None:
    operation(d, 1)["action"] = "publish"


def _unknown_headers_format(d: dict[str, Any]) -> None:
    d["contracts"][0]["versions"][0]["headers_format"] = "yaml"


def _unknown_payload_format_of_an_operation(d: dict[str, Any]) -> None:
    operation(d)["payload_format"] = "jsonschema"


def _operation_name_not_an_id(d: dict[str, Any]) -> None:
    operation(d)["name"] = "PlaceOrder"


def _operation_without_a_name(d: dict[str, Any]) -> None:
    del operation(d)["name"]


def _idempotency_key_not_a_field_key(d: dict[str, Any]) -> None:
    operation(d)["idempotency_key"] = "Idempotency-Key"


def _calls_not_a_list(d: dict[str, Any]) -> None:
    operation(d)["calls"] = "orders-to-payments"


def _type_name_not_a_name(d: dict[str, Any]) -> None:
    named_type(d)["name"] = "1Money"


def _ref_not_a_type_reference(d: dict[str, Any]) -> None:
    operation(d)["request"][0]["ref"] = "orders-api#Money"


def _clear_for_not_ids(d: dict[str, Any]) -> None:
    operation(d)["request"][1]["clear_for"] = ["Mail Provider"]


def _nullable_not_a_bool(d: dict[str, Any]) -> None:
    operation(d)["request"][1]["nullable"] = "maybe"


def _negative_min_items(d: dict[str, Any]) -> None:
    operation(d)["request"][0]["min_items"] = -1


def _operation_named_like_a_part(d: dict[str, Any]) -> None:
    operation(d)["name"] = "request"


def _flow_operation_not_an_id(d: dict[str, Any]) -> None:
    d["flows"][0]["operations"] = ["Place Order"]


def _masking_an_unknown_part(d: dict[str, Any]) -> None:
    d["flows"][0]["masking"][0]["field"] = "place-order/body/email"


def _unknown_credential_kind(d: dict[str, Any]) -> None:
    d["credentials"][0]["kind"] = "ssh"


BROKEN_INTERFACES: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (_unknown_operation_key, "$.contracts[0].versions[0].operations[0]"),
    (_misspelt_field_key, "$.contracts[0].versions[0].operations[0].headers[0]"),
    (_misspelt_key_in_a_named_type, "$.contracts[0].versions[0].types[0].fields[0]"),
    (_misspelt_key_in_a_named_type_itself, "$.contracts[0].versions[0].types[0]"),
    (_unknown_http_method, "$.contracts[0].versions[0].operations[0].method"),
    (_lower_case_http_method, "$.contracts[0].versions[0].operations[0].method"),
    (_unknown_message_action, "$.contracts[0].versions[0].operations[1].action"),
    (_unknown_headers_format, "$.contracts[0].versions[0].headers_format"),
    (
        _unknown_payload_format_of_an_operation,
        "$.contracts[0].versions[0].operations[0].payload_format",
    ),
    (_operation_name_not_an_id, "$.contracts[0].versions[0].operations[0].name"),
    (_operation_without_a_name, "$.contracts[0].versions[0].operations[0]"),
    (_operation_named_like_a_part, "$.contracts[0].versions[0].operations[0].name"),
    (
        _idempotency_key_not_a_field_key,
        "$.contracts[0].versions[0].operations[0].idempotency_key",
    ),
    (_calls_not_a_list, "$.contracts[0].versions[0].operations[0].calls"),
    (_type_name_not_a_name, "$.contracts[0].versions[0].types[0].name"),
    (_ref_not_a_type_reference, "$.contracts[0].versions[0].operations[0].request[0].ref"),
    (
        _clear_for_not_ids,
        "$.contracts[0].versions[0].operations[0].request[1].clear_for[0]",
    ),
    (_nullable_not_a_bool, "$.contracts[0].versions[0].operations[0].request[1].nullable"),
    (_negative_min_items, "$.contracts[0].versions[0].operations[0].request[0].min_items"),
    (_flow_operation_not_an_id, "$.flows[0].operations[0]"),
    (_masking_an_unknown_part, "$.flows[0].masking[0].field"),
    (_unknown_credential_kind, "$.credentials[0].kind"),
]
"""How each change breaks the valid interface document, and where the schema says so."""


@pytest.mark.parametrize(
    ("break_it", "where"),
    BROKEN_INTERFACES,
    ids=[break_it.__name__.strip("_") for break_it, _ in BROKEN_INTERFACES],
)
def test_broken_interface_constructs_are_rejected(
    validator: jsonschema.Draft202012Validator,
    break_it: Callable[[dict[str, Any]], None],
    where: str,
) -> None:
    document = interface_document()
    break_it(document)
    errors = list(validator.iter_errors(document))
    assert [e.json_path for e in errors] == [where], [e.message for e in errors]
    with pytest.raises(pydantic.ValidationError):  # the model rejects it too
        BlueprintFile.model_validate(document)


def test_exported_interfaces_files_validate_and_load_back(
    validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    # What `integraph export` writes for the new constructs is what editors are told is valid.
    # (The graph round trip of this fixture is in tests/test_graph.py, the one through Neo4j
    # in tests/store/test_interfaces.py.)
    landscape = load_blueprint_files([INTERFACES])
    written = write_blueprint_files(landscape, tmp_path)
    assert {p.name for p in written} >= {"contracts.yaml", "flows.yaml", "credentials.yaml"}
    for path in written:
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(as_json(path))]
        assert errors == [], path.name
    again = load_blueprint_files([tmp_path])
    assert again.model_dump(exclude={"sources"}) == landscape.model_dump(exclude={"sources"})


TOPOLOGY = BLUEPRINTS / "topology"


@pytest.mark.parametrize("path", yaml_files(TOPOLOGY), ids=lambda p: p.name)
def test_topology_fixture_files_validate(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(as_json(path))]
    assert errors == []


def test_the_topology_fixture_uses_the_topology_constructs() -> None:
    # Guards the test above: the file it validates holds what the schema must cover.
    text = "\n".join(p.read_text() for p in yaml_files(TOPOLOGY))
    for construct in (
        "environments:",
        "production: true",
        "kind: actor",
        "actor_type:",
        "channel: internet",
        "kind: data_store",
        "store_type:",
        "engine:",
        "persistence:",
        "replicas:",
        "instance_of:",
        "kind: schema_registry",
        "partitions:",
        "retention_ms:",
        "replication_factor:",
        "min_insync_replicas:",
        "cleanup_policy:",
        "max_message_bytes:",
        "required: false",
        "fallback:",
        "reply:",
        "correlation_key:",
        "timeout_ms:",
        "receiver_credential:",
        "compensated_by:",
        "kind: sasl_scram",
        "towards:",
        "permissions:",
        "consumer_group:",
        "redrive_within_seconds:",
        "response_seconds:",
        "endpoints:",
    ):
        assert construct in text, construct


def topology_document() -> dict[str, Any]:
    """One small file with each topology construct."""
    return {
        "environments": [{"id": "dev"}, {"id": "prod", "production": True}],
        "systems": [
            {
                "id": "shopper",
                "kind": "actor",
                "actor_type": "anonymous",
                "channel": "internet",
                "trust_zone": "public",
            },
            {
                "id": "cart-store",
                "kind": "data_store",
                "store_type": "cache",
                "persistence": "none",
                "replicas": 1,
                "trust_zone": "internal",
            },
        ],
        "components": [
            {"id": "kafka-dev", "kind": "broker", "instance_of": "kafka", "environments": ["dev"]},
            {"id": "orders", "kind": "topic", "partitions": 6, "retention_ms": -1},
        ],
        "flows": [
            {
                "id": "ask",
                "source": "a",
                "target": "b",
                "pattern": "command",
                "required": False,
                "fallback": "queued for later",
                "reply": {"via": ["replies"], "timeout_ms": 500},
            }
        ],
        "credentials": [
            {
                "id": "cred",
                "kind": "sasl_scram",
                "towards": ["kafka-dev"],
                "permissions": [{"channel": "orders.*", "access": ["read"]}],
            }
        ],
    }


def _unknown_system_kind(d: dict[str, Any]) -> None:
    d["systems"][0]["kind"] = "robot"


def _zero_replicas(d: dict[str, Any]) -> None:
    d["systems"][1]["replicas"] = 0


def _retention_below_forever(d: dict[str, Any]) -> None:
    d["components"][1]["retention_ms"] = -5


def _production_not_a_bool(d: dict[str, Any]) -> None:
    d["environments"][1]["production"] = "maybe"


def _reply_timeout_zero(d: dict[str, Any]) -> None:
    d["flows"][0]["reply"]["timeout_ms"] = 0


def _permission_without_access(d: dict[str, Any]) -> None:
    d["credentials"][0]["permissions"][0]["access"] = []


def _permission_channel_not_an_id(d: dict[str, Any]) -> None:
    d["credentials"][0]["permissions"][0]["channel"] = "Orders/*"


def _unknown_access(d: dict[str, Any]) -> None:
    d["credentials"][0]["permissions"][0]["access"] = ["own"]


BROKEN_TOPOLOGY = [
    (_unknown_system_kind, "$.systems[0].kind"),
    (_zero_replicas, "$.systems[1].replicas"),
    (_retention_below_forever, "$.components[1].retention_ms"),
    (_production_not_a_bool, "$.environments[1].production"),
    (_reply_timeout_zero, "$.flows[0].reply"),  # reply is optional: anyOf with null
    (_permission_without_access, "$.credentials[0].permissions[0].access"),
    (_permission_channel_not_an_id, "$.credentials[0].permissions[0].channel"),
    (_unknown_access, "$.credentials[0].permissions[0].access[0]"),
]


def test_the_topology_document_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    document = topology_document()
    assert list(validator.iter_errors(document)) == []
    BlueprintFile.model_validate(document)


@pytest.mark.parametrize(
    ("break_it", "where"),
    BROKEN_TOPOLOGY,
    ids=[break_it.__name__.strip("_") for break_it, _ in BROKEN_TOPOLOGY],
)
def test_broken_topology_constructs_are_rejected(
    validator: jsonschema.Draft202012Validator,
    break_it: Callable[[dict[str, Any]], None],
    where: str,
) -> None:
    document = topology_document()
    break_it(document)
    errors = list(validator.iter_errors(document))
    assert [e.json_path for e in errors] == [where], [e.message for e in errors]
    with pytest.raises(pydantic.ValidationError):
        BlueprintFile.model_validate(document)


def test_exported_topology_files_validate_and_load_back(
    validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    landscape = load_blueprint_files([TOPOLOGY])
    written = write_blueprint_files(landscape, tmp_path)
    assert {p.name for p in written} >= {"environments.yaml", "systems.yaml", "credentials.yaml"}
    for path in written:
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(as_json(path))]
        assert errors == [], path.name
    again = load_blueprint_files([tmp_path])
    assert again.model_dump(exclude={"sources"}) == landscape.model_dump(exclude={"sources"})
