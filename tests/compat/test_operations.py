"""Compatibility per operation and through named types: the engine's mapping of a contract
(compat.contracts), the CON-03 lint rule and `contract check` on a stored contract.

Each body (a part of one operation) is compared on its own; an operation that disappears is
one breaking change whose callers are the flows naming it; a change to a shared type is found
in every body that uses it, at the expanded path.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from integraph.compat.contracts import check_contract_version, contract_report
from integraph.impact.contract_check import check_contract
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.lint.harness import lint_blueprint, write_blueprint


def _field(op: str | None, part: str, path: str, type_: str = "string", **extra: Any) -> dict:
    return {"operation": op, "part": part, "path": path, "type": type_, **extra}


def _breaks(found: list) -> list[tuple[str, str, str, str | None]]:
    return sorted(
        (part, d.kind.value, d.pointer, d.conflicts_with_version) for part, d in found if d.breaking
    )


# --- the engine's mapping, on field lists -------------------------------------------------

V1 = {
    "version": "1.0.0",
    "operations": ["get-payment", "cancel-payment"],
    "fields": [
        _field("get-payment", "request", "/id", required=True),
        _field("get-payment", "response", "/id", required=True),
        _field("get-payment", "response", "/status", required=True),
        _field("cancel-payment", "request", "/id", required=True),
        _field("cancel-payment", "response", "/status", required=True),
    ],
}


def _check(new: dict, earlier: list[dict] | None = None, mode: str = "BACKWARD") -> list:
    return check_contract_version(
        kind="openapi", mode=mode, content_model="closed", earlier=earlier or [V1], new=new
    )


def test_the_same_path_in_two_operations_is_two_fields() -> None:
    # get-payment's /id becomes an integer; cancel-payment's /id stays: one break, in one body
    new = copy.deepcopy(V1)
    new["version"] = "1.1.0"
    new["fields"][0]["type"] = "integer"
    assert _breaks(_check(new)) == [
        ("get-payment/request", "type_changed", "/id", "1.0.0"),
    ]


def test_an_operation_removed_breaks_and_its_fields_are_not_listed() -> None:
    new = {**V1, "version": "1.1.0", "operations": ["get-payment"], "fields": V1["fields"][:3]}
    found = _check(new)
    assert _breaks(found) == [("cancel-payment", "operation_removed", "", "1.0.0")]
    assert [d.pointer for d in contract_report("BACKWARD", found).differences] == [
        "/cancel-payment"
    ]
    # FORWARD too: the callers of an operation fail whichever side upgrades first
    assert _breaks(_check(new, mode="FORWARD")) == [
        ("cancel-payment", "operation_removed", "", "1.0.0")
    ]


def test_an_operation_added_is_one_compatible_change() -> None:
    new = copy.deepcopy(V1)
    new["version"] = "1.1.0"
    new["operations"].append("refund-payment")
    new["fields"].append(_field("refund-payment", "request", "/amount", "number", required=True))
    found = _check(new)
    assert _breaks(found) == []
    assert [(part, d.kind.value) for part, d in found] == [("refund-payment", "operation_added")]


def test_transitive_modes_compare_an_operation_only_with_versions_that_had_it() -> None:
    # refund-payment appears in 1.1.0 with a required /amount; 1.2.0 keeps it as is: under
    # BACKWARD_TRANSITIVE 1.0.0 (without the operation) is no reason to call /amount added
    v11 = copy.deepcopy(V1)
    v11["version"] = "1.1.0"
    v11["operations"].append("refund-payment")
    v11["fields"].append(_field("refund-payment", "request", "/amount", "number", required=True))
    v12 = {**copy.deepcopy(v11), "version": "1.2.0"}
    assert _check(v12, [V1, v11], mode="BACKWARD_TRANSITIVE") == []
    # ... and an operation removed in 1.2.0 conflicts with the latest version that had it
    v12["operations"] = ["get-payment", "refund-payment"]
    v12["fields"] = [f for f in v12["fields"] if f["operation"] != "cancel-payment"]
    assert _breaks(_check(v12, [V1, v11], mode="BACKWARD_TRANSITIVE")) == [
        ("cancel-payment", "operation_removed", "", "1.1.0")
    ]


def test_a_response_field_becoming_nullable_breaks_its_readers() -> None:
    new = copy.deepcopy(V1)
    new["version"] = "1.1.0"
    new["fields"][2]["nullable"] = True  # get-payment's response /status may now be null
    assert _breaks(_check(new)) == [
        ("get-payment/response", "type_widened", "/status", "1.0.0"),
    ]
    # a request field becoming nullable is read by the server, which accepts more: fine
    new = copy.deepcopy(V1)
    new["version"] = "1.1.0"
    new["fields"][0]["nullable"] = True
    assert _breaks(_check(new)) == []


def test_headers_beside_a_request_are_read_by_the_server() -> None:
    new = copy.deepcopy(V1)
    new["version"] = "1.1.0"
    new["fields"].append(_field("cancel-payment", "headers", "/Idempotency-Key", required=True))
    # a required header the old clients do not send: BACKWARD (the server reads it) breaks
    assert _breaks(_check(new)) == [
        ("cancel-payment/headers", "field_added", "/Idempotency-Key", "1.0.0")
    ]
    # whatever the declared mode: a request's headers are always read by the server
    assert _breaks(_check(new, mode="FORWARD")) == _breaks(_check(new))


def test_headers_beside_a_message_are_judged_by_the_declared_mode() -> None:
    old = {
        "version": "1.0.0",
        "fields": [
            _field(None, "message", "/id", required=True),
            _field(None, "headers", "/traceparent", required=True),
        ],
    }
    new = {"version": "1.1.0", "fields": old["fields"][:1]}
    # FORWARD: consumers on 1.0.0 read the new messages, which lack the required header;
    # BACKWARD: a new consumer ignores the header in old messages (open content model)
    found = check_contract_version(
        kind="asyncapi", mode="FORWARD", content_model="open", earlier=[old], new=new
    )
    assert _breaks(found) == [("headers", "field_removed", "/traceparent", "1.0.0")]
    found = check_contract_version(
        kind="asyncapi", mode="BACKWARD", content_model="open", earlier=[old], new=new
    )
    assert _breaks(found) == []


# --- through the graph: named types, CON-03 and contract check ----------------------------

TEAMS = [{"id": "team-shop", "name": "Shop"}, {"id": "team-pay", "name": "Payments"}]
SYSTEMS = [
    {"id": "shop", "name": "Shop", "trust_zone": "internal", "owner": "team-shop"},
    {"id": "back-office", "name": "Back office", "trust_zone": "internal", "owner": "team-shop"},
    {"id": "payments", "name": "Payments", "trust_zone": "internal", "owner": "team-pay"},
]
MONEY = {
    "name": "Money",
    "fields": [
        {"path": "/amount", "type": "number", "required": True},
        {"path": "/currency", "type": "string", "required": True},
    ],
}


def _version(label: str, money: dict = MONEY, with_refund: bool = True) -> dict:
    operations = [
        {
            "name": "get-payment",
            "method": "GET",
            "http_path": "/payments/{id}",
            "request": [{"path": "/id", "type": "string", "required": True}],
            "response": [
                {"path": "/id", "type": "string", "required": True},
                {"path": "/total", "type": "object", "required": True, "ref": "Money"},
            ],
        },
        {
            "name": "capture-payment",
            "method": "POST",
            "http_path": "/payments/{id}/capture",
            "idempotency_key": "request/id",
            "request": [{"path": "/id", "type": "string", "required": True}],
            "response": [{"path": "/captured", "type": "object", "required": True, "ref": "Money"}],
        },
    ]
    if with_refund:
        operations.append(
            {
                "name": "refund-payment",
                "method": "POST",
                "http_path": "/payments/{id}/refund",
                "idempotency_key": "request/id",
                "request": [{"path": "/id", "type": "string", "required": True}],
                "response": [{"path": "/status", "type": "string", "required": True}],
            }
        )
    return {
        "version": label,
        "types": [money],
        "operations": operations,
        "error_format": {"media_type": "application/problem+json", "standard": "rfc9457"},
    }


def _flow(flow_id: str, source: str, operations: list[str]) -> dict:
    return {
        "id": flow_id,
        "source": source,
        "target": "payments",
        "pattern": "request_response",
        "contract": "pay-api",
        "producer_version": "1.0.0",
        "consumer_version": "1.0.0",
        "operations": operations,
    }


FLOWS = [
    _flow("shop-reads", "shop", ["get-payment"]),
    _flow("shop-captures", "shop", ["capture-payment"]),
    _flow("back-office-refunds", "back-office", ["refund-payment"]),
]
CONTRACT = {
    "id": "pay-api",
    "kind": "openapi",
    "compatibility": "BACKWARD",
    "content_model": "closed",
    "versioning": "semver",
}
MONEY_WITHOUT_CURRENCY = {**MONEY, "fields": MONEY["fields"][:1]}


def _sections(versions: list[dict]) -> dict:
    return {
        "teams": TEAMS,
        "systems": SYSTEMS,
        "contracts": [{**CONTRACT, "versions": versions}],
        "flows": FLOWS,
    }


async def test_a_shared_type_change_breaks_every_body_that_uses_it(
    graph: Store, tmp_path: Path
) -> None:
    # Money loses its required /currency: clients read both responses holding a Money
    sections = _sections([_version("1.0.0"), _version("1.1.0", MONEY_WITHOUT_CURRENCY)])
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["CON-03"])
    assert not report.rule_errors, report.rule_errors
    (finding,) = report.findings
    assert finding.element == "test-bp:pay-api@1.1.0"
    assert sorted((b["part"], b["kind"], b["path"]) for b in finding.details["breaks"]) == [
        ("capture-payment/response", "field_removed", "/captured/currency"),
        ("get-payment/response", "field_removed", "/total/currency"),
    ]
    assert "operation get-payment, response (read by clients)" in finding.message


async def test_an_operation_removed_is_found_by_con_03(graph: Store, tmp_path: Path) -> None:
    flows = FLOWS[:2]  # nobody names refund-payment in 1.1.0's graph
    sections = {**_sections([_version("1.0.0"), _version("1.1.0", with_refund=False)])}
    sections["flows"] = flows
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["CON-03"])
    assert not report.rule_errors, report.rule_errors
    (finding,) = report.findings
    assert [(b["part"], b["kind"], b["path"]) for b in finding.details["breaks"]] == [
        ("refund-payment", "operation_removed", "")
    ]
    assert "operation refund-payment: removing operation refund-payment breaks" in (finding.message)


@pytest.fixture
async def stored(graph: Store, tmp_path: Path) -> Store:
    sections = _sections([_version("1.0.0")])
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", sections)])
    return graph


def _proposal(tmp_path: Path, version: dict) -> Path:
    path = tmp_path / "proposal.yaml"
    path.write_text(json.dumps(version))
    return path


async def test_contract_check_names_only_the_flows_using_the_broken_operation(
    stored: Store, tmp_path: Path
) -> None:
    check = await check_contract(
        stored, "test-bp:pay-api", _proposal(tmp_path, _version("1.1.0", with_refund=False))
    )
    assert [(d.kind.value, d.pointer) for d in check.report.differences if d.breaking] == [
        ("operation_removed", "/refund-payment")
    ]
    assert [(c.flow, c.system, c.reads) for c in check.consumers] == [
        ("test-bp:back-office-refunds", "test-bp:back-office", "operation refund-payment")
    ]


async def test_contract_check_sees_through_a_shared_type(stored: Store, tmp_path: Path) -> None:
    check = await check_contract(
        stored, "test-bp:pay-api", _proposal(tmp_path, _version("1.1.0", MONEY_WITHOUT_CURRENCY))
    )
    assert sorted(d.pointer for d in check.report.differences if d.breaking) == [
        "/capture-payment/response/captured/currency",
        "/get-payment/response/total/currency",
    ]
    # the readers of the two responses: the shop's two flows, not the back office's refunds
    assert sorted((c.flow, c.system, c.reads) for c in check.consumers) == [
        ("test-bp:shop-captures", "test-bp:shop", "capture-payment/response"),
        ("test-bp:shop-reads", "test-bp:shop", "get-payment/response"),
    ]


async def test_contract_check_of_a_compatible_operation_change(
    stored: Store, tmp_path: Path
) -> None:
    version = _version("1.1.0")
    # an optional request field: the server reads old requests without it (closed model)
    version["operations"][2]["request"].append({"path": "/reason", "type": "string"})
    check = await check_contract(stored, "test-bp:pay-api", _proposal(tmp_path, version))
    assert check.compatible and check.consumers == []
    assert [(d.kind.value, d.pointer) for d in check.report.differences] == [
        ("field_added", "/refund-payment/request/reason")
    ]


async def test_contract_check_refuses_a_type_nobody_defines(stored: Store, tmp_path: Path) -> None:
    version = _version("1.1.0")
    version["types"] = []
    with pytest.raises(Exception, match=r"refers to type\(s\) Money, which neither it"):
        await check_contract(stored, "test-bp:pay-api", _proposal(tmp_path, version))
