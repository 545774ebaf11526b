"""The synthetic landscape: deterministic, shaped like a real one, valid, and loadable.

Both shapes: the layered one (the default) and the random one (a stress case, unchanged)."""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.cli.generate import generate
from integraph.generate import Shape, generate_landscape
from integraph.generate.layered import REFERENCE_DATE, planted
from integraph.graph import SECTION_LABELS, NodeLabel, to_graph
from integraph.knowledge.load import load_landscape
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules, lint
from integraph.model import (
    ASYNC_PATTERNS,
    Contract,
    DeadLetterPolicy,
    FlowPattern,
    IdempotencyPolicy,
    Landscape,
    Operation,
    RetryPolicy,
    TimeoutPolicy,
    localize,
)
from integraph.store.driver import Store

RANDOM_60_SEED_7 = "2c70336e19b5866ffd3455dcf0c5c2957f5dff3b95d967c02e8d941a28205329"
"""SHA-256 of the files of `generate_landscape(60, 7)` as written before the layered shape
existed (commit 2cb6f14): the random shape must stay byte for byte what it was. A change to
`write_blueprint_files`' output would change it too; then regenerate it from that commit."""
LAYERS = {"channel": 0, "bff": 1, "service": 2, "core": 3, "partner": 3}
"""Depth of each layer: synchronous calls go to a deeper one."""


@pytest.fixture(scope="module")
def landscapes() -> dict[Shape, Landscape]:
    return {shape: generate_landscape(1000, 42, shape=shape) for shape in Shape}


@pytest.fixture(params=list(Shape))
def large(request: pytest.FixtureRequest, landscapes: dict[Shape, Landscape]) -> Landscape:
    return landscapes[request.param]


@pytest.fixture
def layered(landscapes: dict[Shape, Landscape]) -> Landscape:
    return landscapes[Shape.LAYERED]


@pytest.fixture
def hubs(landscapes: dict[Shape, Landscape]) -> Landscape:
    return landscapes[Shape.RANDOM]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for name, content in files_of(folder).items():
        sha.update(name.encode() + b"\0" + content + b"\0")
    return sha.hexdigest()


@pytest.mark.parametrize("shape", list(Shape))
def test_same_seed_gives_byte_identical_files(tmp_path: Path, shape: Shape) -> None:
    write_blueprint_files(generate_landscape(60, 7, shape=shape), tmp_path / "a")
    write_blueprint_files(generate_landscape(60, 7, shape=shape), tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert "flows.yaml" in files_of(tmp_path / "a")


def test_the_random_shape_is_unchanged(tmp_path: Path) -> None:
    write_blueprint_files(generate_landscape(60, 7, shape=Shape.RANDOM), tmp_path / "random")
    write_blueprint_files(generate_landscape(60, 7), tmp_path / "layered")
    assert digest(tmp_path / "random") == RANDOM_60_SEED_7
    assert digest(tmp_path / "layered") != RANDOM_60_SEED_7  # layered is the default


@pytest.mark.parametrize("shape", list(Shape))
def test_another_seed_gives_another_landscape(shape: Shape) -> None:
    one, other = generate_landscape(120, 7, shape=shape), generate_landscape(120, 8, shape=shape)
    assert one.model_dump() != other.model_dump()
    assert len(one.systems) == len(other.systems) == 120


def test_about_five_flows_per_system_in_every_pattern(hubs: Landscape) -> None:
    large = hubs
    assert 4.5 <= len(large.flows) / len(large.systems) <= 5.5
    shares = Counter(f.pattern for f in large.flows)
    expected = {"request_response": 0.45, "event": 0.30, "command": 0.10, "batch": 0.10}
    for pattern, share in expected.items():
        assert shares[FlowPattern(pattern)] / len(large.flows) == pytest.approx(share, abs=0.04)
    assert shares[FlowPattern.STREAM] > 0


def test_hubs_have_far_more_flows_than_the_mean(hubs: Landscape) -> None:
    large = hubs
    degree = Counter(end for f in large.flows for end in (f.source, f.target))
    mean = sum(degree.values()) / len(large.systems)
    assert max(degree.values()) >= 8 * mean
    assert {s.tier for s in large.systems} == {1, 2, 3, 4}


def test_teams_zones_platform_and_contracts(large: Landscape) -> None:
    assert len(large.teams) == pytest.approx(len(large.systems) / 8, rel=0.05)
    zones = Counter(s.trust_zone.value for s in large.systems)
    assert zones["internal"] / len(large.systems) > 0.7
    assert {"partner", "public", "regulated"} <= zones.keys()
    kinds = Counter(c.kind.value for c in large.components)
    assert {"api_gateway", "broker", "topic", "queue", "dead_letter_queue"} <= kinds.keys()
    assert {len(c.versions) for c in large.contracts} == {1, 2, 3}
    classes = Counter(f.classification for _, _, f, _ in large.fields() if f.classification)
    assert {"pci-pan", "pii-contact", "pii-identity"} <= classes.keys()
    assert large.blueprint is not None and large.decisions and large.credentials


def test_defects_are_present_but_rare(large: Landscape) -> None:
    async_flows = {f.id for f in large.flows if f.pattern in ASYNC_PATTERNS}
    dead_lettered = {
        i for p in large.policies if isinstance(p, DeadLetterPolicy) for i in p.applies_to
    }
    retries = [p for p in large.policies if isinstance(p, RetryPolicy)]
    rates = {
        "async without DLQ": len(async_flows - dead_lettered) / len(async_flows),
        "retry without jitter": sum(p.jitter == "none" for p in retries) / len(retries),
        "flow without contract": sum(f.contract is None for f in large.flows) / len(large.flows),
        "shared credential": sum(len(c.held_by) > 1 for c in large.credentials)
        / len(large.credentials),
    }
    for defect, rate in rates.items():
        assert 0 < rate < 0.06, defect


def test_unmasked_card_numbers_reach_partners_only_as_a_defect(large: Landscape) -> None:
    zones = {s.id: s.trust_zone.value for s in large.systems}
    contracts = {c.id: c for c in large.contracts}
    carrying, unmasked = 0, 0
    for flow in large.flows:
        if flow.contract is None or zones[flow.target] not in ("partner", "public"):
            continue
        version = contracts[flow.contract].version(flow.producer_version or "")
        assert version is not None
        pan = [f"{part.value}{f.path}" for part, f in version.fields() if f.path == "/card/pan"]
        if pan:
            carrying += 1
            unmasked += pan[0] not in {m.field for m in flow.masking}
    assert carrying > 0
    assert unmasked / carrying < 0.1


@pytest.mark.parametrize("shape", list(Shape))
def test_files_pass_validation_and_read_back_equal(tmp_path: Path, shape: Shape) -> None:
    landscape = generate_landscape(200, 42, shape=shape)
    write_blueprint_files(landscape, tmp_path)
    parsed = load_blueprint_files([tmp_path])  # raises BlueprintInvalid on any problem
    assert parsed.model_dump(exclude={"sources"}) == landscape.model_dump(exclude={"sources"})


def test_needs_two_systems() -> None:
    with pytest.raises(ValueError, match="at least 2 systems"):
        generate_landscape(1, 42)


@pytest.mark.parametrize("systems", [2, 3, 5, 9, 17, 60])
def test_small_layered_landscapes_are_valid(systems: int) -> None:
    landscape = generate_landscape(systems, 1)
    assert len(landscape.systems) == systems
    assert landscape.flows


def layer_of(landscape: Landscape) -> dict[str, str]:
    return {s.id: s.tags[1] for s in landscape.systems}


def synchronous(landscape: Landscape) -> list:  # type: ignore[type-arg]
    return [f for f in landscape.flows if f.pattern == "request_response"]


def acyclic(edges: list[tuple[str, str]]) -> bool:
    """Kahn's algorithm: the graph is acyclic when every node can be peeled off."""
    targets, indegree = defaultdict(list), Counter()
    for source, target in edges:
        targets[source].append(target)
        indegree[target] += 1
    ready = [n for n in {n for e in edges for n in e} if indegree[n] == 0]
    peeled = 0
    while ready:
        node = ready.pop()
        peeled += 1
        for target in targets[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return peeled == len({n for e in edges for n in e})


def test_layered_calls_go_down_and_are_acyclic_but_for_the_planted_cycles(
    layered: Landscape, hubs: Landscape
) -> None:
    layer = layer_of(layered)
    calls = synchronous(layered)
    upward = [f for f in calls if LAYERS[layer[f.target]] <= LAYERS[layer[f.source]]]
    assert len(upward) == planted(1000)[1] == 2
    assert {layer[f.source] for f in upward} == {"core"}
    edges = [(f.source, f.target) for f in calls]
    assert not acyclic(edges)
    assert acyclic([(f.source, f.target) for f in calls if f not in upward])
    assert not acyclic([(f.source, f.target) for f in synchronous(hubs)])
    # The longest chain without the planted callbacks: channel -> BFF -> service -> core.
    down = [f for f in calls if f not in upward]
    depth = {s.id: 0 for s in layered.systems}
    for f in sorted(down, key=lambda f: -LAYERS[layer[f.source]]):
        depth[f.source] = max(depth[f.source], depth[f.target] + 1)
    assert max(depth.values()) == 3


def inverted_budgets(landscape: Landscape) -> list[tuple[str, str]]:
    """(caller flow, callee flow) pairs where the callee flow's source may spend longer on it
    than the caller flow waits for that source: RES-11's rule, in Python."""
    calls = {f.id: f for f in synchronous(landscape) if f.source != f.target}
    request: dict[str, int] = {}
    budget: dict[str, int] = {}
    attempts: dict[str, int] = defaultdict(lambda: 1)
    for policy in landscape.policies:
        for flow in policy.applies_to:
            if isinstance(policy, TimeoutPolicy):
                if policy.request_timeout_ms:
                    request[flow] = min(request.get(flow, 10**9), policy.request_timeout_ms)
                if policy.total_budget_ms:
                    budget[flow] = min(budget.get(flow, 10**9), policy.total_budget_ms)
            elif isinstance(policy, RetryPolicy) and policy.max_attempts:
                attempts[flow] = max(attempts[flow], policy.max_attempts)
    limit = {i: request.get(i, budget.get(i)) for i in calls}
    spend = {i: budget.get(i, request[i] * attempts[i] if i in request else None) for i in calls}
    outgoing = defaultdict(list)
    for flow in calls.values():
        outgoing[flow.source].append(flow)
    return [
        (f.id, g.id)
        for f in calls.values()
        if limit[f.id] is not None
        for g in outgoing[f.target]
        if g.target != f.source and spend[g.id] is not None and spend[g.id] >= limit[f.id]
    ]


def test_layered_timeouts_shrink_down_the_layers_but_for_a_planted_few(
    layered: Landscape, hubs: Landscape
) -> None:
    pairs = inverted_budgets(layered)
    callees = {callee for _, callee in pairs}
    assert 1 <= len(callees) <= planted(1000)[0]
    assert len(pairs) <= 10 * len(callees)
    assert len(inverted_budgets(hubs)) > 1000  # the random shape: thousands


def test_layered_retries_sit_at_the_bottom_layer(layered: Landscape) -> None:
    layer = layer_of(layered)
    calls = {f.id: f for f in synchronous(layered)}
    retried = [
        calls[i] for p in layered.policies if isinstance(p, RetryPolicy) for i in p.applies_to
        if i in calls
    ]  # fmt: skip
    bottom = sum(layer[f.source] == "service" for f in retried)
    assert 0.9 < bottom / len(retried) < 1
    assert all(layer[f.source] != "channel" for f in retried)


def test_layered_events_fan_out_from_the_systems_of_record(layered: Landscape) -> None:
    layer = layer_of(layered)
    domain = {s.id: s.tags[0] for s in layered.systems}
    tier = {s.id: s.tier for s in layered.systems}
    events = [f for f in layered.flows if f.pattern == "event"]
    assert sum(layer[f.source] == "core" for f in events) / len(events) > 0.7
    assert {tier[f.source] for f in events if layer[f.source] == "core"} == {1, 2}
    topics = defaultdict(list)
    for flow in events:
        if layer[flow.source] == "core":
            topics[flow.via[1]].append(flow)
    assert sum(len(flows) for flows in topics.values()) / len(topics) > 2.5
    across = sum(len({domain[f.target] for f in flows}) > 1 for flows in topics.values())
    assert across / len(topics) > 0.8
    # Each consumer has its own dead-letter queue on the topic.
    queues = {i: p.dlq for p in layered.policies if isinstance(p, DeadLetterPolicy)
              for i in p.applies_to}  # fmt: skip
    for flows in topics.values():
        mine = [queues[f.id] for f in flows if f.id in queues]
        assert len(set(mine)) == len(mine)


def test_layered_has_the_layers_zones_and_tiers(layered: Landscape) -> None:
    systems = {s.id: s for s in layered.systems}
    layer = layer_of(layered)
    assert set(layer.values()) == {"channel", "bff", "service", "core", "partner", "reporting"}
    assert {s.trust_zone.value for s in layered.systems if layer[s.id] == "channel"} == {
        "public",
        "partner",
    }
    assert {s.tier for s in layered.systems if layer[s.id] == "core"} == {1, 2}
    assert all(s.external for s in layered.systems if layer[s.id] == "partner")
    gateways = {c.id for c in layered.components if c.kind.value == "api_gateway"}
    for flow in synchronous(layered):
        if layer[flow.source] == "channel" or systems[flow.target].external:
            assert set(flow.via) & gateways, flow.id


def test_layered_counts_per_system_are_close_to_the_random_shape(
    layered: Landscape, hubs: Landscape
) -> None:
    ours, theirs = layered.count().by_kind, hubs.count().by_kind
    kinds = ("team", "system", "flow", "component", "contract", "contract version")
    for kind in (*kinds, "policy", "credential"):
        assert ours[kind] == pytest.approx(theirs[kind], rel=0.2), kind
    # The layered APIs' operations (which the random shape has none of) bring their own
    # fields: the shared type's, the keys, the ids. About a third more fields, a quarter
    # more elements in all.
    assert ours["operation"] > 3 * len(apis(layered)) and theirs["operation"] == 0
    assert 1.2 < ours["field"] / theirs["field"] < 1.5
    assert 1.1 < layered.count().total / hubs.count().total < 1.3
    others = layered.count().total - ours["operation"] - ours["field"]
    assert others == pytest.approx(hubs.count().total - theirs["field"], rel=0.1)


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(generate)
    return app


def test_cli_writes_files_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "synthetic"
    result = CliRunner().invoke(cli(), ["--systems", "16", "--seed", "3", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "flows.yaml").is_file()
    assert "of a layered landscape" in " ".join(result.output.split())
    assert "system " in result.output and " 16 " in result.output
    flows = len(generate_landscape(16, 3).flows)
    assert f" {flows} " in result.output
    again = CliRunner().invoke(cli(), ["--systems", "16", "--seed", "3", str(out)])
    assert again.exit_code == 0, again.output


def test_cli_writes_the_random_shape_on_request(tmp_path: Path) -> None:
    args = ["--systems", "16", "--seed", "3", "--shape", "random", str(tmp_path)]
    result = CliRunner().invoke(cli(), args)
    assert result.exit_code == 0, result.output
    assert "of a random landscape" in " ".join(result.output.split())
    assert " 80 " in result.output  # flows: five per system
    bad = CliRunner().invoke(cli(), ["--shape", "circular", str(tmp_path / "x")])
    assert bad.exit_code == 2


def test_cli_refuses_a_folder_with_other_blueprint_files(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("teams: []\n")
    result = CliRunner().invoke(cli(), ["--systems", "4", str(tmp_path)])
    assert result.exit_code != 0
    assert "mine.yaml" in str(result.exception)


async def test_a_generated_landscape_loads_into_neo4j(graph: Store) -> None:
    landscape = generate_landscape(100, 42)
    report = await load_landscape(graph, landscape)

    def count(label: str):  # type: ignore[no-untyped-def]
        query = f"MATCH (n:{label}) RETURN count(n) AS n"
        return lambda tx: tx.run_text(query)

    assert (await graph.read_transaction(count("System")))[0]["n"] == 100
    assert (await graph.read_transaction(count("Flow")))[0]["n"] == len(landscape.flows) > 400
    assert (await graph.read_transaction(count("Element")))[0]["n"] == report.elements
    assert report.created == report.elements


def test_one_count_agrees_with_the_graph_rows(layered: Landscape) -> None:
    large = layered
    count = large.count()
    by_label = {label: len(rows) for label, rows in to_graph(large).nodes.items()}
    assert count.total == sum(by_label.values())  # what a load reports as elements
    expected = {
        "blueprint": by_label[NodeLabel.BLUEPRINT],
        "review": by_label[NodeLabel.REVIEW],
        "contract version": by_label[NodeLabel.CONTRACT_VERSION],
        "field": by_label[NodeLabel.FIELD],
    }
    expected |= {k: count.by_kind[k] for k in count.by_kind if k not in expected}
    assert count.by_kind == expected
    assert count.by_kind["review"] == 1  # what the generate table left out
    assert count.elements == sum(1 for _ in large.elements())
    assert count.elements == sum(by_label.get(label, 0) for label in SECTION_LABELS.values())


# Interfaces: operations, shared types, idempotency keys, headers, lifecycles of fields.

AS_OF = datetime.date(2026, 11, 25)
"""The lint's today in these tests (any date from REFERENCE_DATE on gives the same
findings)."""
PLANTED_200_SEED_42 = {"keyless": 5, "sunset": 9, "CON-11": 12, "RES-08": 11}
"""What `generate_landscape(200, 42)` plants: mutating operations without an idempotency key,
read operations returning a field past its sunset, and the flows CON-11 and RES-08 report."""


@pytest.fixture(scope="module")
def small() -> Landscape:
    return generate_landscape(200, 42)


def apis(landscape: Landscape) -> list[tuple[Contract, str]]:
    """The synchronous APIs with operations and their provider."""
    providers = {f.contract: f.target for f in synchronous(landscape) if f.contract}
    return [(c, providers[c.id]) for c in landscape.contracts if c.versions[0].operations]


def unkeyed(operation: Operation) -> bool:
    """Mutating, not idempotent and without a key: what RES-08 looks for."""
    return (
        operation.is_mutating and not operation.is_idempotent and operation.idempotency_key is None
    )


def idempotency_policies(landscape: Landscape) -> set[str]:
    return {i for p in landscape.policies if isinstance(p, IdempotencyPolicy) for i in p.applies_to}


def expected_res_08(landscape: Landscape) -> set[str]:
    """The flows RES-08 reports, by the generator's data: a flow naming an unkeyed operation
    (repeated by retries or by the transport's implicit ones), and a command retried more than
    once; neither covered by an idempotency policy."""
    contracts = {c.id: c for c in landscape.contracts}
    keyed = idempotency_policies(landscape)
    retried = {
        i
        for p in landscape.policies
        if isinstance(p, RetryPolicy) and (p.max_attempts or 2) > 1
        for i in p.applies_to
    }
    found = set()
    for flow in landscape.flows:
        if flow.id in keyed:
            continue
        if flow.operations:
            version = contracts[flow.contract or ""].version(flow.producer_version or "")
            assert version is not None
            operations = [version.operation(name) for name in flow.operations]
            if any(o is not None and unkeyed(o) for o in operations):
                assert flow.pattern == "request_response"
                found.add(flow.id)
        elif flow.id in retried and (
            flow.pattern == "command" or (flow.pattern == "request_response" and flow.mutating)
        ):
            found.add(flow.id)
    return found


def expected_con_11(landscape: Landscape) -> set[str]:
    """The flows CON-11 reports: a consumer naming an operation whose response (or headers)
    in its consumer version holds a field past its sunset."""
    contracts = {c.id: c for c in landscape.contracts}
    found = set()
    for flow in landscape.flows:
        if flow.contract is None or flow.consumer_version is None:
            continue
        version = contracts[flow.contract].version(flow.consumer_version)
        assert version is not None
        parts = ("response", "error", "headers") if flow.pattern == "request_response" else (
            "message", "headers")  # fmt: skip
        for declared in version.declared_fields():
            sunset = declared.field.sunset
            named = declared.operation is None or not flow.operations or (
                declared.operation in flow.operations)  # fmt: skip
            if sunset and sunset < AS_OF and declared.part.value in parts and named:
                found.add(flow.id)
    return found


def planted_counts(landscape: Landscape) -> dict[str, int]:
    operations = [o for c, _ in apis(landscape) for o in c.versions[0].operations]
    return {
        "keyless": sum(unkeyed(o) for o in operations),
        "sunset": sum(any(f.sunset for f in o.response) for o in operations),
        "CON-11": len(expected_con_11(landscape)),
        "RES-08": len(expected_res_08(landscape)),
    }


def test_synchronous_apis_have_two_to_four_operations(layered: Landscape) -> None:
    kinds = Counter()
    for contract, provider in apis(layered):
        names = [o.name for o in contract.versions[0].operations]
        assert 2 <= len(names) <= 4 or provider.split("-")[1] == "messaging", contract.id
        for version in contract.versions:
            assert [o.name for o in version.operations] == names  # flows name them in any
            for operation in version.operations:
                if contract.kind.value == "openapi":
                    assert operation.method and operation.http_path, operation.name
                    kinds["rest"] += 1
                elif contract.kind.value == "protobuf":
                    assert operation.grpc and operation.grpc.count("/") == 1, operation.name
                    kinds["grpc"] += 1
    assert kinds["rest"] > 5 * kinds["grpc"] > 0
    layer = layer_of(layered)
    # Every layer's synchronous API has operations; only the partners' have none.
    with_operations = {c.id for c, _ in apis(layered)}
    for flow in synchronous(layered):
        if flow.contract and layer[flow.target] in ("bff", "service", "core"):
            assert flow.contract in with_operations, flow.id


def test_each_api_version_defines_a_shared_type_every_operation_refers_to(
    layered: Landscape,
) -> None:
    for contract, _ in apis(layered):
        for version in contract.versions:
            assert len(version.types) == 1
            name = version.types[0].name
            for operation in version.operations:
                fields = [f for part in PARTS for f in getattr(operation, part)]
                assert any(f.ref == name for f in fields), (contract.id, operation.name)
            expanded = [f for f in layered.version_fields(contract, version) if f.expanded_from]
            assert {f.expanded_from for f in expanded} == {name}


PARTS = ("request", "response", "headers")


def test_mutating_operations_carry_an_idempotency_key_but_a_planted_few(
    layered: Landscape, small: Landscape
) -> None:
    mutating = [
        o for c, _ in apis(layered) for o in c.versions[0].operations
        if o.is_mutating and not o.is_idempotent
    ]  # fmt: skip
    keyless = [o for o in mutating if o.idempotency_key is None]
    assert 0 < len(keyless) / len(mutating) < 0.06
    for operation in mutating:
        if operation.idempotency_key is not None:
            assert operation.idempotency_key == "headers/Idempotency-Key"
            assert [f.path for f in operation.headers] == ["/Idempotency-Key"]
    assert planted_counts(small) == PLANTED_200_SEED_42


def test_flows_name_the_operations_they_use_and_operations_their_calls(
    layered: Landscape,
) -> None:
    flows = {f.id: f for f in layered.flows}
    apis_by_id = {c.id for c, _ in apis(layered)}
    named = 0
    for flow in synchronous(layered):
        contract = next((c for c in layered.contracts if c.id == flow.contract), None)
        if flow.contract not in apis_by_id or contract is None:
            assert not flow.operations
            continue
        version = contract.version(flow.producer_version or "")
        assert version is not None
        operations = [version.operation(name) for name in flow.operations]
        assert flow.operations and all(operations)
        assert flow.mutating == any(o.is_mutating for o in operations if o)
        named += len(flow.operations) < len(version.operations)
    assert named > 0  # a subset, mostly
    outgoing = defaultdict(set)
    for flow in synchronous(layered):
        outgoing[flow.source].add(flow.id)
    for contract, provider in apis(layered):
        for version in contract.versions:
            calls = {c for o in version.operations for c in o.calls}
            assert all(flows[c].source == provider for c in calls)
            assert calls == outgoing[provider], contract.id


def test_constraints_headers_and_an_entitled_recipient(layered: Landscape) -> None:
    fields = [f for _, _, f, _ in layered.fields()]
    formats = Counter(f.format for f in fields if f.format)
    assert {"uuid", "date-time", "iso-4217", "email"} <= formats.keys()
    arrays = [f for f in fields if f.type.value == "array" and f.ref]
    assert arrays and all(f.min_items == 0 and f.max_items == 100 for f in arrays)
    assert any(f.nullable for f in fields)
    contracts = {c.id: c for c in layered.contracts}
    events = {f.contract for f in layered.flows if f.pattern == "event" and f.contract}
    for contract_id in events:
        contract = contracts[contract_id]
        for version in contract.versions:
            assert version.headers_format == "json_schema"
            assert version.payload_format == ("avro" if contract.kind == "avro" else "json_schema")
            assert [f.path for f in version.headers] == ["/correlation_id"]
    messaging = [f for f in synchronous(layered) if f.target.split("-")[1] == "messaging"]
    assert messaging
    for flow in messaging:
        version = contracts[flow.contract or ""].version(flow.producer_version or "")
        assert version is not None and flow.operations == ["send-message"]
        send = version.operation("send-message")
        assert send is not None
        recipient = next(f for f in send.request if f.path == "/to")
        assert recipient.classification == "pii-contact" and recipient.clear_for == [flow.target]
        assert flow.third_party_justification


def test_sunset_fields_are_planted_with_a_consumer_still_reading_them(small: Landscape) -> None:
    sunset = [
        (c, o) for c, _ in apis(small) for o in c.versions[0].operations
        if any(f.sunset for f in o.response)
    ]  # fmt: skip
    assert sunset
    for contract, operation in sunset:
        field = next(f for f in operation.response if f.sunset)
        assert field.deprecated and field.replaced_by and field.sunset
        assert field.deprecated_on and field.deprecated_on <= field.sunset < REFERENCE_DATE
        readers = [
            f for f in small.flows if f.contract == contract.id and operation.name in f.operations
        ]
        assert readers, (contract.id, operation.name)


async def test_a_lint_finds_exactly_the_planted_con_11_and_res_08(
    graph: Store, small: Landscape
) -> None:
    await load_landscape(graph, small)
    report = await lint(
        graph, choose_rules(ids=["CON-11", "RES-08"]), config=LintConfig(), today=AS_OF
    )
    assert not report.rule_errors, report.rule_errors
    found = defaultdict(set)
    for finding in report.findings:
        found[finding.rule.id].add(localize("synthetic", finding.element))
    assert found["CON-11"] == expected_con_11(small)
    assert found["RES-08"] == expected_res_08(small)
    assert len(found["CON-11"]) == PLANTED_200_SEED_42["CON-11"]
    assert len(found["RES-08"]) == PLANTED_200_SEED_42["RES-08"]
