"""`contract check` against a stored contract: breaking changes and the consumers they break."""

from __future__ import annotations

from pathlib import Path

from integraph.impact.contract_check import check_contract
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.conftest import run_cli
from tests.lint.harness import write_blueprint

LANDSCAPE = {
    "teams": [{"id": "team-shop", "name": "Shop"}, {"id": "team-pay", "name": "Payments"}],
    "systems": [
        {"id": "shop", "name": "Shop", "trust_zone": "internal", "owner": "team-shop"},
        {"id": "payments", "name": "Payments", "trust_zone": "internal", "owner": "team-pay"},
    ],
    "contracts": [
        {
            "id": "pay-api",
            "kind": "openapi",
            "compatibility": "BACKWARD",
            "content_model": "closed",
            "versions": [
                {
                    "version": "1.0.0",
                    "request": [{"path": "/amount", "type": "number", "required": True}],
                    "response": [{"path": "/status", "type": "string", "required": True}],
                }
            ],
        }
    ],
    "flows": [
        {
            "id": "pay",
            "source": "shop",
            "target": "payments",
            "pattern": "request_response",
            "contract": "pay-api",
            "producer_version": "1.0.0",
            "consumer_version": "1.0.0",
        }
    ],
}


async def test_breaking_request_change_names_the_provider(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    proposal = tmp_path / "v2.yaml"
    proposal.write_text(
        'version: "2.0.0"\n'
        "request:\n  - {path: /amount, type: number, required: true}\n"
        "  - {path: /currency, type: string, required: true}\n"
        "response:\n  - {path: /status, type: string, required: true}\n"
    )
    check = await check_contract(graph, "pay-api", proposal)
    assert not check.compatible
    (breaking,) = [d for d in check.report.differences if d.breaking]
    assert (breaking.kind, breaking.pointer) == ("field_added", "/request/currency")
    assert [(c.system, c.team, c.reads) for c in check.consumers] == [
        ("payments", "team-pay", "request")
    ]


async def test_compatible_proposal_and_cli(
    graph: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    proposal = tmp_path / "v1.1.yaml"
    proposal.write_text(
        'version: "1.1.0"\n'
        "request:\n  - {path: /amount, type: number, required: true}\n"
        "  - {path: /note, type: string}\n"
        "response:\n  - {path: /status, type: string, required: true}\n"
    )
    check = await check_contract(graph, "pay-api", proposal)
    assert check.compatible and check.consumers == []
    proc = run_cli("contract", "check", "pay-api", str(proposal), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("compatible: true")
