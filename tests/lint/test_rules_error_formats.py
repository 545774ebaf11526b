"""CON-10 and the contract kinds that bring their own error model (gRPC's google.rpc.Status).

Kept apart from test_rules_contracts.py, which covers the rest of the contract rules.
"""

from __future__ import annotations

from pathlib import Path

from integraph.lint.config import LintConfig
from integraph.store.driver import Store
from tests.lint.harness import findings_of

SYSTEMS = [
    {"id": "orders", "name": "Orders", "trust_zone": "internal"},
    {"id": "billing", "name": "Billing", "trust_zone": "internal"},
]


def _contract(contract_id: str, kind: str) -> dict[str, object]:
    # A version with a request and a response, and no error_format nor error fields.
    version = {
        "version": "1",
        "request": [{"path": "/order_id", "type": "string", "required": True}],
        "response": [{"path": "/status", "type": "string"}],
    }
    return {"id": contract_id, "kind": kind, "versions": [version]}


def _call(flow_id: str, contract: str) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": "orders",
        "target": "billing",
        "pattern": "request_response",
        "contract": contract,
    }


SECTIONS = {
    "systems": SYSTEMS,
    "contracts": [
        _contract("billing-grpc", "protobuf"),  # gRPC: google.rpc.Status is the error model
        _contract("billing-rest", "openapi"),
        _contract("billing-json", "json_schema"),
    ],
    "flows": [
        _call("charge-grpc", "billing-grpc"),
        _call("charge-json", "billing-json"),
    ],
}


async def test_con10_exempts_grpc_protobuf_contracts(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(graph, tmp_path, "CON-10", SECTIONS)
    assert found == [("billing-json", ()), ("billing-rest", ())]


async def test_con10_exempt_kinds_is_a_parameter(graph: Store, tmp_path: Path) -> None:
    # A project that wants protobuf contracts to document their error details can say so.
    config = LintConfig(parameters={"CON-10": {"exempt_kinds": []}})
    found = await findings_of(graph, tmp_path, "CON-10", SECTIONS, config=config)
    assert found == [("billing-grpc", ()), ("billing-json", ()), ("billing-rest", ())]
