"""The facts derived at load (store/derived.py) agree with the graph after every kind of write.

Each check recomputes, in Python and from the elements alone, what the derived nodes must
hold: a flow's resilience facts from the policies reaching it (on the flow, or on a
component it passes through), a contract version's content from its fields. It then
compares them with what the graph holds, and checks there is exactly one derived node per
flow or version and none left over. Checked after a load, after reloads that change, move
and retire policies and fields, after a prune, inside the rolled-back graph of
`integraph lint PATH`, and on generated landscapes of both shapes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from integraph.blueprint.parse import load_blueprint_files
from integraph.generate import Shape, generate_landscape
from integraph.graph import to_graph
from integraph.knowledge.load import load_blueprint, load_landscape
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules, scratch_graph
from integraph.store.derived import FIELD_KEYS, RESILIENCE_KINDS
from integraph.store.driver import Store, Tx
from tests.lint.harness import short, write_blueprint

SYSTEMS = [
    {"id": "shop", "name": "Shop", "trust_zone": "internal"},
    {"id": "orders", "name": "Orders", "trust_zone": "internal"},
    {"id": "psp", "name": "PSP", "trust_zone": "partner", "external": True},
]
COMPONENTS = [
    {"id": "gateway", "kind": "api_gateway"},
    {"id": "kafka", "kind": "broker"},
    {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
    {"id": "orders-dlq", "kind": "dead_letter_queue", "part_of": "kafka"},
]


def _field(path: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    return {"path": path, "type": type_, **extra}


def sections() -> dict[str, Any]:
    """A blueprint where policies reach flows directly and through components."""
    return {
        "systems": SYSTEMS,
        "components": COMPONENTS,
        "contracts": [
            {
                "id": "orders-api",
                "kind": "openapi",
                "versioning": "semver",
                "compatibility": "BACKWARD",
                "versions": [
                    {
                        "version": "1.0.0",
                        "request": [_field("/id", required=True), _field("/note")],
                        "response": [_field("/status", enum=["open", "paid"])],
                    },
                    {
                        "version": "1.1.0",
                        "request": [_field("/id", required=True)],
                        "response": [
                            _field("/status", enum=["open", "paid", "void"]),
                            _field("/total", "number", default=0.5),
                        ],
                    },
                ],
            },
        ],
        "flows": [
            {
                "id": "shop-to-orders",
                "source": "shop",
                "target": "orders",
                "pattern": "request_response",
                "via": ["gateway"],
                "contract": "orders-api",
                "mutating": True,
            },
            {
                "id": "orders-to-psp",
                "source": "orders",
                "target": "psp",
                "pattern": "request_response",
                "via": ["gateway"],
            },
            {
                "id": "order-placed",
                "source": "orders",
                "target": "shop",
                "pattern": "event",
                "via": ["orders-topic"],
            },
            {"id": "order-paid", "source": "orders", "target": "shop", "pattern": "command"},
        ],
        "policies": [
            {"id": "retry-gateway", "kind": "retry", "max_attempts": 3, "applies_to": ["gateway"]},
            {"id": "retry-psp", "kind": "retry", "applies_to": ["orders-to-psp"]},
            {"id": "retry-once", "kind": "retry", "max_attempts": 1, "applies_to": ["order-paid"]},
            {
                "id": "timeout-gateway",
                "kind": "timeout",
                "connect_timeout_ms": 200,
                "request_timeout_ms": 2000,
                "applies_to": ["gateway"],
            },
            {
                "id": "timeout-psp",
                "kind": "timeout",
                "request_timeout_ms": 0,
                "total_budget_ms": 5000,
                "applies_to": ["orders-to-psp"],
            },
            {
                "id": "dl-topic",
                "kind": "dead_letter",
                "dlq": "orders-dlq",
                "max_deliveries": 5,
                "applies_to": ["orders-topic"],
            },
            {
                "id": "idem-orders",
                "kind": "idempotency",
                "key": "Idempotency-Key",
                "applies_to": ["shop-to-orders"],
            },
            {"id": "idem-topic", "kind": "idempotency", "applies_to": ["orders-topic"]},
            {"id": "breaker-psp", "kind": "circuit_breaker", "applies_to": ["orders-to-psp"]},
            {
                "id": "alert-dlq",
                "kind": "alert",
                "metric": "dlq_depth",
                "threshold": 0,
                "applies_to": ["orders-dlq"],
            },
        ],
    }


# --- what the derived nodes must hold, recomputed from the elements -------------------------


def expected_resilience(policies: list[dict[str, Any]]) -> dict[str, Any]:
    """The facts of one flow from the policies that reach it (the rules' former logic)."""
    of = {kind: [p for p in policies if p.get("kind") == kind] for kind in RESILIENCE_KINDS}
    retries, timeouts = of["retry"], of["timeout"]
    attempts = [r["max_attempts"] for r in retries if r.get("max_attempts") is not None]
    requests = [t["request_timeout_ms"] for t in timeouts if (t.get("request_timeout_ms") or 0) > 0]
    budgets = [t["total_budget_ms"] for t in timeouts if (t.get("total_budget_ms") or 0) > 0]
    return {
        "policies": len(policies),
        "retried": bool(retries),
        "retry_policies": sorted(
            r["id"] for r in retries if r.get("max_attempts") is None or r["max_attempts"] > 1
        ),
        "attempts": None
        if any(r.get("max_attempts") is None for r in retries)
        else max([1, *attempts]),
        "declared_attempts": max([1, *attempts]),
        "timeout_policies": sorted(t["id"] for t in timeouts),
        "request_timeout_ms": min(requests) if requests else None,
        "total_budget_ms": min(budgets) if budgets else None,
        "connect_timeout": any((t.get("connect_timeout_ms") or 0) > 0 for t in timeouts),
        "dead_lettered": bool(of["dead_letter"]),
        "idempotency_key": any(
            p.get("key") is not None or p.get("key_source") is not None for p in of["idempotency"]
        ),
        "circuit_breaker": bool(of["circuit_breaker"]),
    }


async def derived_state(tx: Tx) -> dict[str, Any]:
    """What the graph holds and what the derived nodes hold, side by side."""
    flows = await tx.run_text(
        "MATCH (f:Flow) RETURN f.id AS id, [(f)-[:VIA]->(c:Component) | c.id] AS via"
    )
    policies = await tx.run_text(
        "MATCH (p:Policy) RETURN properties(p) AS props, "
        "[(p)-[:APPLIES_TO]->(t:Element) | t.id] AS targets"
    )
    facts = await tx.run_text(
        "MATCH (x:FlowResilience) RETURN properties(x) AS props, "
        "[(f)-[:HAS_RESILIENCE]->(x) | f.id] AS flows, [(p)-[:SHAPES]->(x) | p.id] AS shapes"
    )
    versions = await tx.run_text(
        "MATCH (v:ContractVersion) "
        "RETURN v.id AS id, [(v)-[:HAS_FIELD]->(f:Field) | properties(f)] AS fields"
    )
    contents = await tx.run_text(
        "MATCH (x:VersionContent) RETURN properties(x) AS props, "
        "[(v)-[:HAS_CONTENT]->(x) | v.id] AS versions"
    )
    return {
        "flows": flows,
        "policies": policies,
        "facts": facts,
        "versions": versions,
        "contents": contents,
    }


def assert_consistent(state: dict[str, Any]) -> None:
    reaching: dict[str, list[dict[str, Any]]] = {row["id"]: [] for row in state["flows"]}
    via = {row["id"]: set(row["via"]) for row in state["flows"]}
    for row in state["policies"]:
        policy, targets = row["props"], set(row["targets"])
        if policy.get("kind") not in RESILIENCE_KINDS:
            continue
        for flow in reaching:
            if flow in targets or via[flow] & targets:
                reaching[flow].append(policy)
    facts: dict[str, dict[str, Any]] = {}
    for row in state["facts"]:
        assert len(row["flows"]) == 1, f"resilience facts of {row['flows']} (want one flow)"
        (flow,) = row["flows"]
        assert flow not in facts, f"flow {flow} has two resilience nodes"
        assert row["props"]["flow"] == flow
        assert sorted(row["shapes"]) == sorted(p["id"] for p in reaching[flow]), flow
        facts[flow] = row["props"]
    assert sorted(facts) == sorted(reaching), "every flow, and only flows, have facts"
    for flow, policies in reaching.items():
        held = {k: facts[flow].get(k) for k in expected_resilience([])}
        assert held == expected_resilience(policies), flow

    contents: dict[str, dict[str, Any]] = {}
    for row in state["contents"]:
        assert len(row["versions"]) == 1, f"content of {row['versions']} (want one version)"
        (version,) = row["versions"]
        assert version not in contents, f"version {version} has two contents"
        contents[version] = row["props"]
    assert sorted(contents) == sorted(v["id"] for v in state["versions"])
    for row in state["versions"]:
        fields = sorted(row["fields"], key=lambda f: (f["part"], f["position"]))
        held = contents[row["id"]]
        assert json.loads(held["content"]) == [{k: f.get(k) for k in FIELD_KEYS} for f in fields]
        assert held["digest"] == hashlib.sha256(held["content"].encode()).hexdigest()
        assert held["hashes"] == [f["content_hash"] for f in fields]
        assert held["fields"] == len(fields)


async def check(graph: Store) -> dict[str, Any]:
    state = await graph.read_transaction(derived_state)
    assert_consistent(state)
    return state


async def node_ids(graph: Store) -> dict[str, str]:
    """The internal id of each flow's resilience node and each version's content node."""
    rows = await graph.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (e)-[:HAS_RESILIENCE|HAS_CONTENT]->(x) RETURN e.id AS id, elementId(x) AS node"
        )
    )
    return {short(row["id"]): row["node"] for row in rows}


def _policy(bp: dict[str, Any], policy_id: str) -> dict[str, Any]:
    return next(p for p in bp["policies"] if p["id"] == policy_id)


# --- the tests --------------------------------------------------------------------------------


async def test_the_check_fails_on_wrong_facts(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", sections())])
    await check(graph)
    await graph.write_transaction(
        lambda tx: tx.run_text(
            "MATCH (:Flow {id: 'test-bp:order-placed'})-[:HAS_RESILIENCE]->(x) "
            "SET x.dead_lettered = false"
        )
    )
    with pytest.raises(AssertionError, match="order-placed"):
        await check(graph)


async def test_facts_after_a_load(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", sections())])
    state = await check(graph)
    facts = {short(row["flows"][0]): row["props"] for row in state["facts"]}
    # through the gateway: retried 3 times, with both timeouts; the PSP call is unbounded
    assert facts["shop-to-orders"]["attempts"] == 3
    assert facts["shop-to-orders"]["idempotency_key"] is True
    assert facts["orders-to-psp"].get("attempts") is None
    assert facts["orders-to-psp"]["declared_attempts"] == 3
    assert facts["orders-to-psp"]["total_budget_ms"] == 5000
    assert facts["orders-to-psp"]["request_timeout_ms"] == 2000
    assert facts["order-placed"]["dead_lettered"] is True
    assert facts["order-placed"]["idempotency_key"] is False  # a policy without a key
    assert facts["order-paid"]["retried"] is True
    assert facts["order-paid"]["retry_policies"] == []  # one attempt is no retry


async def test_facts_follow_reloads_that_change_policies_and_fields(
    graph: Store, tmp_path: Path
) -> None:
    bp = sections()
    await load_blueprint(graph, [write_blueprint(tmp_path / "v1", bp)])
    await check(graph)
    before = await node_ids(graph)

    # A policy's settings change; another moves from a component to a flow; a field changes.
    changed = copy.deepcopy(bp)
    _policy(changed, "retry-gateway")["max_attempts"] = 5
    _policy(changed, "dl-topic")["applies_to"] = ["order-paid"]
    changed["contracts"][0]["versions"][1]["response"][1]["type"] = "integer"
    changed["contracts"][0]["versions"][1]["response"][1]["default"] = 1
    await load_blueprint(graph, [write_blueprint(tmp_path / "v2", changed)])
    state = await check(graph)
    facts = {short(row["flows"][0]): row["props"] for row in state["facts"]}
    assert facts["shop-to-orders"]["attempts"] == 5
    assert facts["order-placed"]["dead_lettered"] is False
    assert facts["order-paid"]["dead_lettered"] is True
    after = await node_ids(graph)
    # Only what the change reaches is recomputed: the first version's content is untouched.
    assert after["orders-api@1.0.0"] == before["orders-api@1.0.0"]
    assert after["orders-api@1.1.0"] != before["orders-api@1.1.0"]
    assert after["order-placed"] != before["order-placed"]

    # A reload that changes only a flow leaves the other flows' facts alone.
    again = copy.deepcopy(changed)
    again["flows"][3]["description"] = "paid orders"
    await load_blueprint(graph, [write_blueprint(tmp_path / "v3", again)])
    await check(graph)
    latest = await node_ids(graph)
    assert latest["order-paid"] != after["order-paid"]
    assert {k: v for k, v in latest.items() if k != "order-paid"} == {
        k: v for k, v in after.items() if k != "order-paid"
    }


async def test_facts_after_a_prune(graph: Store, tmp_path: Path) -> None:
    bp = sections()
    await load_blueprint(graph, [write_blueprint(tmp_path / "v1", bp)])
    pruned = copy.deepcopy(bp)
    pruned["policies"] = [
        p for p in pruned["policies"] if p["id"] not in ("timeout-gateway", "breaker-psp")
    ]
    pruned["flows"] = [f for f in pruned["flows"] if f["id"] != "order-placed"]
    report = await load_blueprint(graph, [write_blueprint(tmp_path / "v2", pruned)], prune=True)
    assert report.deleted == 3
    state = await check(graph)
    facts = {short(row["flows"][0]): row["props"] for row in state["facts"]}
    assert "order-placed" not in facts
    assert facts["shop-to-orders"]["connect_timeout"] is False
    assert facts["orders-to-psp"]["circuit_breaker"] is False


async def test_facts_in_the_scratch_graph_of_lint_files(graph: Store, tmp_path: Path) -> None:
    # Something else is stored; the files are judged alone, with facts of their own.
    await load_blueprint(graph, [write_blueprint(tmp_path / "stored", sections())])
    files = sections()
    _policy(files, "retry-gateway")["max_attempts"] = 7
    files["flows"] = files["flows"][:2]
    for policy in files["policies"]:
        policy["applies_to"] = [
            t for t in policy["applies_to"] if t not in ("order-placed", "order-paid")
        ]
    rows = to_graph(load_blueprint_files([write_blueprint(tmp_path / "files", files)]), "test-bp")
    config = LintConfig()
    async with scratch_graph(
        graph, rows, "test-bp", choose_rules(ids=["RES-07"]), config, alone=True
    ) as scratch:
        state = await derived_state(await scratch.transaction())
    assert_consistent(state)
    facts = {short(row["flows"][0]): row["props"] for row in state["facts"]}
    assert sorted(facts) == ["orders-to-psp", "shop-to-orders"]
    assert facts["shop-to-orders"]["attempts"] == 7
    await check(graph)  # and the stored graph is as it was
    stored = await graph.read_transaction(derived_state)
    assert len(stored["facts"]) == 4


@pytest.mark.parametrize("shape", list(Shape))
async def test_facts_on_a_generated_landscape(graph: Store, shape: Shape) -> None:
    landscape = generate_landscape(60, 7, shape=shape)
    await load_landscape(graph, landscape)
    state = await check(graph)
    assert any(row["props"]["retry_policies"] for row in state["facts"])
    assert len(state["contents"]) == len(state["versions"]) > 0
