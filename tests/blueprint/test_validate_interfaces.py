"""Validation of operations, named types and the field facts that refer to other elements:
each mistake at its file, line and field, with a message saying what to do."""

from __future__ import annotations

from pathlib import Path

from tests.blueprint.test_validate import issues_of

SYSTEMS = """\
systems:
  - {id: a, trust_zone: internal}
  - {id: b, trust_zone: internal}
"""


def test_operations_and_named_types_are_checked_where_they_are_written(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems=SYSTEMS,
        contracts="""\
        contracts:
          - id: api
            kind: openapi
            versions:
              - version: "1"
                types:
                  - name: Money
                    fields:
                      - {path: /units, type: long}
                      - {path: /rate, type: object, ref: Rate}
                  - name: Money
                operations:
                  - name: pay
                    method: POST
                    idempotency_key: headers/Idempotency-Key
                    calls: [nowhere]
                    request:
                      - {path: /amount, type: object, ref: Money}
                      - {path: /amount/units, type: long}
                      - {path: /other, type: object, ref: types@1#Money}
                      - {path: /to, type: string, clear_for: [nobody]}
                  - name: pay
          - id: types
            kind: json_schema
            versions:
              - version: "2"
        """,
    )
    assert [(i.file.rsplit("/", 1)[-1], i.line, i.field, i.kind) for i in issues] == [
        ("contracts.yaml", 10, "versions[0].types[0].fields[1].ref", "dangling_reference"),
        ("contracts.yaml", 11, "versions[0].types[1].name", "duplicate_id"),
        ("contracts.yaml", 15, "versions[0].operations[0].idempotency_key", "dangling_reference"),
        ("contracts.yaml", 16, "versions[0].operations[0].calls", "dangling_reference"),
        ("contracts.yaml", 18, "versions[0].operations[0].request[0].ref", "duplicate_id"),
        ("contracts.yaml", 20, "versions[0].operations[0].request[2].ref", "dangling_reference"),
        (
            "contracts.yaml",
            21,
            "versions[0].operations[0].request[3].clear_for",
            "dangling_reference",
        ),
        ("contracts.yaml", 22, "versions[0].operations[1].name", "duplicate_id"),
    ]
    messages = [i.message for i in issues]
    assert messages[0] == (
        "no type 'Rate' in this version (its types: Money); to use a type of another "
        "contract write <contract>@<version>#<type>"
    )
    assert messages[1] == "type 'Money' is defined twice in this version"
    assert messages[2] == (
        "operation 'pay' has no field 'headers/Idempotency-Key' (give the key field relative "
        "to the operation, e.g. headers/Idempotency-Key, and declare it)"
    )
    assert messages[3] == "no flow has id 'nowhere'"
    assert messages[4] == (
        "type 'Money' brings in field 'pay/request/amount/units', which api@1 declares "
        "already: remove one of them"
    )
    assert messages[5] == "contract 'types' has no version '1' (versions: 2)"
    assert messages[6] == "no system has id 'nobody'"


def test_a_flow_names_operations_of_the_versions_it_uses(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems=SYSTEMS,
        contracts="""\
        contracts:
          - id: api
            kind: protobuf
            versions:
              - version: "1"
                operations:
                  - {name: get, grpc: shop.Api/Get}
              - version: "2"
                operations:
                  - {name: get, grpc: shop.Api/Get}
                  - name: put
                    grpc: shop.Api/Put
                    request:
                      - {path: /card, type: string}
        flows:
          - id: f
            source: a
            target: b
            pattern: request_response
            contract: api
            producer_version: "2"
            consumer_version: "1"
            operations: [get, put]
            masking:
              - {field: put/request/card, method: tokenised}
              - {field: get/request/card, method: tokenised}
          - id: g
            source: a
            target: b
            pattern: request_response
            operations: [get]
        """,
    )
    assert [(i.line, i.element_id, i.field, i.kind) for i in issues] == [
        (23, "f", "operations", "dangling_reference"),
        (26, "f", "masking[1].field", "dangling_reference"),
        (31, "g", "operations", "invalid_value"),
    ]
    assert issues[0].message == "contract version 'api@1' has no operation 'put' (operations: get)"
    assert issues[1].message == "contract version 'api@2' has no field 'get/request/card'"


def test_wrong_values_of_the_new_field_facts(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        contracts="""\
        contracts:
          - id: api
            kind: openapi
            versions:
              - version: "1"
                operations:
                  - name: request
                  - name: ok
                    request:
                      - {path: /a, type: string, ref: Money}
                      - {path: /b, type: string, deprecated_on: 2025-01-01, sunset: 2024-01-01}
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (7, "versions[0].operations[0].name", "invalid_value"),
        (10, "versions[0].operations[1].request[0]", "invalid_value"),
        (11, "versions[0].operations[1].request[1]", "invalid_value"),
    ]
    assert "'request' names a body part" in issues[0].message
    assert "a field with ref 'Money' must be of type object or array" in issues[1].message
    assert "sunset must not be before deprecated_on" in issues[2].message
