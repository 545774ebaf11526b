"""OpenAPI and AsyncAPI documents compared operation by operation and message by message,
on the real reference documents in ../shared/fixtures, with variants derived in each test."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from integraph.compat import CompatError, diff_schemas, load_schema

PETS = "/paths/~1pets"
PET = "/paths/~1pets~1{id}"
JSON = "application~1json"
MEASURED = (
    "/channels/smartylighting~1streetlights~11~10~1event~1{streetlightId}~1lighting~1measured"
)
TURN_ON = "/channels/smartylighting~1streetlights~11~10~1action~1{streetlightId}~1turn~1on"
TURN_OFF = "/channels/smartylighting~1streetlights~11~10~1action~1{streetlightId}~1turn~1off"
DIM = "/channels/smartylighting~1streetlights~11~10~1action~1{streetlightId}~1dim"


def rows(report) -> list[tuple[str, str, bool]]:
    return [(d.kind.value, d.pointer, d.breaking) for d in report.differences]


@pytest.fixture
def petstore(shared_fixtures: Path) -> dict:
    return load_schema(shared_fixtures / "openapi" / "petstore-expanded.yaml")


@pytest.fixture
def streetlights2(shared_fixtures: Path) -> dict:
    return load_schema(shared_fixtures / "asyncapi" / "streetlights-2.0.0.yml")


@pytest.fixture
def streetlights3(shared_fixtures: Path) -> dict:
    return load_schema(shared_fixtures / "asyncapi" / "streetlights-kafka-asyncapi.yml")


# --- OpenAPI ----------------------------------------------------------------------------


def test_unchanged_document_has_no_differences(petstore: dict) -> None:
    assert diff_schemas(petstore, copy.deepcopy(petstore), mode="FULL").differences == ()


def test_removing_an_operation_breaks(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    del new["paths"]["/pets/{id}"]["delete"]
    new["paths"]["/pets/{petId}"] = new["paths"].pop("/pets/{id}")  # same template
    report = diff_schemas(petstore, new, mode="BACKWARD")
    assert rows(report) == [("operation_removed", f"{PET}/delete", True)]
    assert report.differences[0].old == "DELETE /pets/{id}"


def test_removing_a_deprecated_operation_after_the_window_is_reported_only(petstore) -> None:
    old = copy.deepcopy(petstore)
    old["paths"]["/pets/{id}"]["delete"].update(
        {"deprecated": True, "x-deprecated-since": date(2024, 1, 1)}
    )
    new = copy.deepcopy(old)
    del new["paths"]["/pets/{id}"]["delete"]
    report = diff_schemas(
        old, new, mode="FULL", deprecation_window_days=180, today=date(2024, 12, 1)
    )
    assert rows(report) == [("operation_removed", f"{PET}/delete", False)]
    assert report.compatible
    assert "deprecated since 2024-01-01" in report.differences[0].reason


def test_required_property_added_to_a_schema_used_in_requests_and_responses(petstore) -> None:
    new = copy.deepcopy(petstore)
    new_pet = new["components"]["schemas"]["NewPet"]
    new_pet["properties"]["species"] = {"type": "string"}
    new_pet["required"].append("species")
    report = diff_schemas(petstore, new, mode="BACKWARD")
    # the server must read requests from old clients; old clients can read the extra field
    assert rows(report) == [
        ("field_added", f"{PETS}/get/responses/200/{JSON}/[]/species", False),
        ("field_added", f"{PETS}/post/requestBody/{JSON}/species", True),
        ("field_added", f"{PETS}/post/responses/200/{JSON}/species", False),
        ("field_added", f"{PET}/get/responses/200/{JSON}/species", False),
    ]


def test_optional_property_removed_is_not_breaking(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    del new["components"]["schemas"]["NewPet"]["properties"]["tag"]
    report = diff_schemas(petstore, new, mode="BACKWARD")
    assert report.compatible
    assert {d.kind.value for d in report.differences} == {"field_removed"}


def test_parameters_follow_request_rules(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    params = new["paths"]["/pets"]["get"]["parameters"]
    params[1]["required"] = True  # limit
    params[1]["schema"]["maximum"] = 100
    params.append({"name": "sort", "in": "query", "schema": {"type": "string"}})
    params.append(
        {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}
    )
    report = diff_schemas(petstore, new, mode="BACKWARD")
    query = f"{PETS}/get/parameters/query"
    assert rows(report) == [
        ("optional_to_required", f"{query}/limit", True),
        ("constraint_tightened", f"{query}/limit", True),
        ("field_added", f"{query}/sort", False),
        ("field_added", f"{PETS}/get/parameters/header/x-tenant", True),
    ]


def test_response_changes_follow_client_rules(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    pet = new["components"]["schemas"]["Pet"]["allOf"][1]
    pet["properties"]["id"]["type"] = "number"  # widening a response field
    report = diff_schemas(petstore, new, mode="BACKWARD")
    assert rows(report) == [
        ("type_widened", f"{PETS}/get/responses/200/{JSON}/[]/id", True),
        ("type_widened", f"{PETS}/post/responses/200/{JSON}/id", True),
        ("type_widened", f"{PET}/get/responses/200/{JSON}/id", True),
    ]
    assert report.differences[0].reason.startswith(
        f"widening the type of {PETS}/get/responses/200/{JSON}/[]/id from integer to number "
        "breaks FORWARD for responses (clients read them): new data may hold number values "
        "that clients on the old contract cannot read"
    )


def test_error_format_changes_are_reported(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    new["components"]["schemas"]["Error"]["properties"]["code"]["type"] = "string"
    new["paths"]["/pets/{id}"]["delete"]["responses"]["default"]["content"] = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}
    }
    report = diff_schemas(petstore, new, mode="BACKWARD")
    assert rows(report) == [
        ("type_changed", f"{PETS}/get/responses/default/{JSON}/code", True),
        ("error_format_changed", f"{PETS}/get/responses/default", True),
        ("type_changed", f"{PETS}/post/responses/default/{JSON}/code", True),
        ("error_format_changed", f"{PETS}/post/responses/default", True),
        ("type_changed", f"{PET}/get/responses/default/{JSON}/code", True),
        ("error_format_changed", f"{PET}/get/responses/default", True),
        ("media_type_removed", f"{PET}/delete/responses/default/{JSON}", True),
        ("media_type_added", f"{PET}/delete/responses/default/application~1problem+json", False),
        ("error_format_changed", f"{PET}/delete/responses/default", True),
    ]


def test_success_response_replaced(petstore: dict) -> None:
    new = copy.deepcopy(petstore)
    responses = new["paths"]["/pets/{id}"]["delete"]["responses"]
    responses["200"] = responses.pop("204")
    report = diff_schemas(petstore, new, mode="BACKWARD")
    assert rows(report) == [
        ("response_removed", f"{PET}/delete/responses/204", True),
        ("response_added", f"{PET}/delete/responses/200", False),
    ]


def test_swagger_2_is_refused() -> None:
    with pytest.raises(CompatError, match=r"Swagger 2\.0"):
        diff_schemas({"swagger": "2.0"}, {"swagger": "2.0"}, mode="BACKWARD")


# --- AsyncAPI ---------------------------------------------------------------------------


def test_asyncapi_2_payloads_use_the_declared_mode(streetlights2: dict) -> None:
    new = copy.deepcopy(streetlights2)
    schemas = new["components"]["schemas"]
    schemas["lightMeasuredPayload"]["properties"]["lumens"]["minimum"] = 10
    schemas["turnOnOffPayload"]["properties"]["command"]["enum"].append("toggle")
    expected = [
        ("constraint_tightened", f"{MEASURED}/publish/message/payload/lumens"),
        ("enum_value_added", f"{TURN_ON}/subscribe/message/payload/command"),
        ("enum_value_added", f"{TURN_OFF}/subscribe/message/payload/command"),
    ]
    backward = diff_schemas(streetlights2, new, mode="BACKWARD")
    assert rows(backward) == [
        (*row, b) for row, b in zip(expected, (True, False, False), strict=True)
    ]
    forward = diff_schemas(streetlights2, new, mode="FORWARD")
    assert rows(forward) == [
        (*row, b) for row, b in zip(expected, (False, True, True), strict=True)
    ]


def test_asyncapi_2_operation_removed_and_message_alternatives(streetlights2: dict) -> None:
    old = copy.deepcopy(streetlights2)
    dim = old["channels"]["smartylighting/streetlights/1/0/action/{streetlightId}/dim"]
    dim["subscribe"]["message"] = {
        "oneOf": [
            {"$ref": "#/components/messages/dimLight"},
            {"$ref": "#/components/messages/turnOnOff"},
        ]
    }
    new = copy.deepcopy(old)
    new["channels"]["smartylighting/streetlights/1/0/action/{streetlightId}/dim"]["subscribe"][
        "message"
    ]["oneOf"].pop()
    del new["channels"]["smartylighting/streetlights/1/0/action/{streetlightId}/turn/off"]
    report = diff_schemas(old, new, mode="FORWARD")
    assert rows(report) == [
        ("operation_removed", f"{TURN_OFF}/subscribe", True),
        ("message_removed", f"{DIM}/subscribe/message/turnOnOff", False),
    ]
    assert rows(diff_schemas(old, new, mode="BACKWARD"))[1] == (
        "message_removed",
        f"{DIM}/subscribe/message/turnOnOff",
        True,
    )


def test_asyncapi_3_channels_messages_and_operations(streetlights3: dict) -> None:
    old = copy.deepcopy(streetlights3)
    old["operations"]["turnOff"].update({"deprecated": True, "x-deprecated-since": "2023-05-01"})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["dimLightPayload"]["properties"]["percentage"]["maximum"] = 255
    new["channels"]["lightsDim"]["messages"]["dimLightV2"] = {
        "$ref": "#/components/messages/dimLight"
    }
    del new["operations"]["turnOff"]
    del new["operations"]["turnOn"]
    report = diff_schemas(old, new, mode="FULL", deprecation_window_days=30, today=date(2024, 1, 1))
    assert rows(report) == [
        ("constraint_loosened", "/channels/lightsDim/messages/dimLight/payload/percentage", True),
        ("message_added", "/channels/lightsDim/messages/dimLightV2", True),
        ("operation_removed", "/operations/turnOn", True),
        ("operation_removed", "/operations/turnOff", False),
    ]


def test_asyncapi_mqtt_example_against_itself(shared_fixtures: Path) -> None:
    doc = load_schema(shared_fixtures / "asyncapi" / "streetlights-mqtt-asyncapi.yml")
    assert diff_schemas(doc, copy.deepcopy(doc), mode="FULL_TRANSITIVE").differences == ()


def test_asyncapi_major_versions_cannot_be_mixed(streetlights2, streetlights3) -> None:
    with pytest.raises(CompatError, match="same major version"):
        diff_schemas(streetlights2, streetlights3, mode="BACKWARD")


def test_avro_payloads_in_asyncapi_are_compared_as_avro(streetlights3: dict) -> None:
    old = copy.deepcopy(streetlights3)
    old["components"]["messages"]["dimLight"]["payload"] = {
        "schemaFormat": "application/vnd.apache.avro;version=1.9.0",
        "schema": {"type": "record", "name": "Dim", "fields": [{"name": "pct", "type": "int"}]},
    }
    new = copy.deepcopy(old)
    new["components"]["messages"]["dimLight"]["payload"]["schema"]["fields"][0]["type"] = "long"
    report = diff_schemas(old, new, mode="BACKWARD")
    assert rows(report) == [
        ("type_widened", "/channels/lightsDim/messages/dimLight/payload/pct", False)
    ]
