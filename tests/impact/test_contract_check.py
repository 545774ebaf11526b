"""`contract check` against a stored contract: breaking changes and the consumers they break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integraph.errors import IntegraphError
from integraph.impact.contract_check import check_contract
from integraph.knowledge.load import load_blueprint
from integraph.store.driver import Store
from tests.conftest import run_cli
from tests.lint.harness import lint_blueprint, write_blueprint

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
    check = await check_contract(graph, "test-bp:pay-api", proposal)
    assert check.contract == "test-bp:pay-api"
    assert not check.compatible
    (breaking,) = [d for d in check.report.differences if d.breaking]
    assert (breaking.kind, breaking.pointer) == ("field_added", "/request/currency")
    # The graph holds full identifiers: so do the flows, systems and teams it names.
    assert [(c.flow, c.system, c.team, c.reads, c.uses_version) for c in check.consumers] == [
        ("test-bp:pay", "test-bp:payments", "test-bp:team-pay", "request", "1.0.0")
    ]
    # The service takes full identifiers (the CLI resolves short ones): a short id is an
    # unknown contract, not a check against nothing.
    with pytest.raises(IntegraphError, match="no contract 'pay-api' in the graph"):
        await check_contract(graph, "pay-api", proposal)


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
    check = await check_contract(graph, "test-bp:pay-api", proposal)
    assert check.compatible and check.consumers == []
    # The CLI takes the short id that one blueprint has, and names the contract in full.
    proc = run_cli("contract", "check", "pay-api", str(proposal), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("contract 'test-bp:pay-api' (BACKWARD), proposed 1.1.0:\n")
    assert proc.stdout.strip().endswith("compatible: true")
    data = json.loads(
        run_cli(
            "contract", "check", "test-bp:pay-api", str(proposal), "-f", "json", env=cli_env
        ).stdout
    )
    assert (data["contract"], data["compatible"]) == ("test-bp:pay-api", True)


# --- contract check and CON-03 judge a change with the same mapping -----------------------


async def _both_paths(
    graph: Store, tmp_path: Path, contract: dict, old: dict, new: dict
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(breaking (part, path) of CON-03 on [old, new], of `contract check` of new against
    [old]), on the same contract declaration."""
    sections = {
        "systems": LANDSCAPE["systems"],
        "teams": LANDSCAPE["teams"],
        "contracts": [
            {**contract, "id": "pair", "versions": [old, new]},
            {**contract, "id": "single", "versions": [old]},
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["CON-03"])
    assert not report.rule_errors, report.rule_errors
    lint_found = sorted(
        (b["part"], b["path"])
        for f in report.findings
        if f.details["contract"] == "test-bp:pair"
        for b in f.details["breaks"]
    )
    proposal = tmp_path / "proposal.yaml"
    proposal.write_text(json.dumps(new))
    check = await check_contract(graph, "test-bp:single", proposal)
    check_found = sorted(
        (d.pointer.split("/")[1], "/" + d.pointer.split("/", 2)[2])
        for d in check.report.differences
        if d.breaking
    )
    return lint_found, check_found


async def test_a_response_change_is_judged_by_its_reader_on_both_paths(
    graph: Store, tmp_path: Path
) -> None:
    # clients read responses: under a BACKWARD contract a removed required response field
    # still breaks them (FORWARD for responses)
    contract = {"kind": "openapi", "compatibility": "BACKWARD", "content_model": "open"}
    old = {
        "version": "1.0.0",
        "request": [{"path": "/amount", "type": "number", "required": True}],
        "response": [
            {"path": "/status", "type": "string", "required": True},
            {"path": "/fee", "type": "number", "required": True},
        ],
    }
    new = {**old, "version": "1.1.0", "response": old["response"][:1]}
    lint_found, check_found = await _both_paths(graph, tmp_path, contract, old, new)
    assert lint_found == check_found == [("response", "/fee")]


async def test_an_avro_field_change_is_judged_by_avro_rules_on_both_paths(
    graph: Store, tmp_path: Path
) -> None:
    # Avro readers skip unknown fields: an optional field added breaks nothing, a field
    # without a default removed breaks readers on the old schema (FULL)
    contract = {"kind": "avro", "compatibility": "FULL"}
    old = {
        "version": "1",
        "message": [
            {"path": "/id", "type": "string", "required": True},
            {"path": "/note", "type": "string", "required": True},
        ],
    }
    new = {
        "version": "2",
        "message": [
            {"path": "/id", "type": "string", "required": True},
            {"path": "/channel", "type": "integer"},
        ],
    }
    lint_found, check_found = await _both_paths(graph, tmp_path, contract, old, new)
    assert lint_found == check_found == [("message", "/note")]


async def test_an_avro_default_counts_on_both_paths(graph: Store, tmp_path: Path) -> None:
    contract = {"kind": "avro", "compatibility": "FORWARD"}
    old = {
        "version": "1",
        "message": [
            {"path": "/id", "type": "string", "required": True},
            {"path": "/note", "type": "string", "required": True, "default": "-"},
        ],
    }
    new = {"version": "2", "message": old["message"][:1]}
    lint_found, check_found = await _both_paths(graph, tmp_path, contract, old, new)
    assert lint_found == check_found == []


async def test_avro_field_removal_is_explained_in_avro_words(graph: Store, tmp_path: Path) -> None:
    contract = {"kind": "avro", "compatibility": "FORWARD"}
    old = {
        "version": "1",
        "message": [
            {"path": "/id", "type": "string", "required": True},
            {"path": "/note", "type": "string", "required": True},
        ],
    }
    new = {"version": "2", "message": old["message"][:1]}
    await load_blueprint(
        graph,
        [
            write_blueprint(
                tmp_path / "bp", {"contracts": [{**contract, "id": "ev", "versions": [old]}]}
            )
        ],
    )
    proposal = tmp_path / "v2.json"
    proposal.write_text(json.dumps(new))
    check = await check_contract(graph, "test-bp:ev", proposal)
    (removed,) = check.report.breaking
    assert removed.pointer == "/message/note"
    assert "content model" not in removed.reason
    assert "reader's schema" in removed.reason and "default" in removed.reason


async def test_a_list_is_neither_a_contract_version_nor_a_schema(
    graph: Store, tmp_path: Path
) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    proposal = tmp_path / "fields.yaml"
    proposal.write_text("- {path: /amount, type: number, required: true}\n")
    with pytest.raises(IntegraphError) as raised:
        await check_contract(graph, "test-bp:pay-api", proposal)
    message = str(raised.value)
    assert "is neither a contract version nor a schema" in message
    assert "got a list" in message
    assert "schema_ref" not in message
