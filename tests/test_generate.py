"""The synthetic landscape: deterministic, shaped like a real one, valid, and loadable.

Both shapes: the layered one (the default, with its runtime topology) and the random one (a
stress case, unchanged)."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.cli.generate import generate
from integraph.generate import Shape, generate_landscape
from integraph.generate import topology as shape
from integraph.generate.layered import REFERENCE_DATE, planted
from integraph.generate.topology import planted_count
from integraph.graph import SECTION_LABELS, NodeLabel, to_graph
from integraph.knowledge.load import load_landscape
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules, lint
from integraph.model import (
    ASYNC_PATTERNS,
    AlertRule,
    Contract,
    DeadLetterPolicy,
    FlowPattern,
    IdempotencyPolicy,
    Landscape,
    Operation,
    RetryPolicy,
    System,
    TimeoutPolicy,
    localize,
)
from integraph.store.driver import Store

RANDOM_60_SEED_7 = "2c70336e19b5866ffd3455dcf0c5c2957f5dff3b95d967c02e8d941a28205329"
"""SHA-256 of the files of `generate_landscape(60, 7)` as written before the layered shape
existed (commit 2cb6f14): the random shape must stay byte for byte what it was. A change to
`write_blueprint_files`' output would change it too; then regenerate it from that commit."""
LAYERS = {"actor": -1, "channel": 0, "bff": 1, "service": 2, "core": 3, "partner": 3,
          "data-store": 4}  # fmt: skip
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
    services = [sum(s.kind == "service" for s in x.systems) for x in (one, other)]
    assert services == [120, 120]  # data stores and actors come on top


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
    services = sum(s.kind == "service" for s in large.systems)
    assert len(large.teams) == pytest.approx(services / 8, rel=0.05)
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
    services = {s.id for s in large.systems if s.kind == "service"}
    # CON-01's: flows between services (an actor's or a data store's flow needs none).
    between = [f for f in large.flows if {f.source, f.target} <= services]
    rates = {
        "async without DLQ": len(async_flows - dead_lettered) / len(async_flows),
        "retry without jitter": sum(p.jitter == "none" for p in retries) / len(retries),
        "flow without contract": sum(f.contract is None for f in between) / len(between),
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
    assert sum(s.kind == "service" for s in landscape.systems) == systems  # stores on top
    assert landscape.flows
    assert [e.id for e in landscape.environments] == ["dev", "prod", "test"]


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
    # The longest chain without the planted callbacks: channel -> BFF -> service -> core;
    # from an actor to a core system's database, two more.
    down = [f for f in calls if f not in upward]
    outside = {s.id for s in layered.systems if s.kind != "service"}
    for flows, longest in (([f for f in down if not {f.source, f.target} & outside], 3),
                           (down, 5)):  # fmt: skip
        depth = {s.id: 0 for s in layered.systems}
        for f in sorted(flows, key=lambda f: -LAYERS[layer[f.source]]):
            depth[f.source] = max(depth[f.source], depth[f.target] + 1)
        assert max(depth.values()) == longest


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
    assert set(layer.values()) == {
        "channel", "bff", "service", "core", "partner", "reporting", "data-store", "actor",
    }  # fmt: skip
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


def without_runtime_topology(landscape: Landscape) -> Landscape:
    """The landscape without what issue 11 added: environments, instances, the schema
    registry, reply topics, data stores and actors with their flows, broker credentials,
    lag alerts, the timeouts of the calls to the stores, and the decisions behind them."""
    added = {s.id for s in landscape.systems if s.kind != "service"}
    flows = [f for f in landscape.flows if not {f.source, f.target} & added]
    replies = {c for f in flows if f.reply for c in f.reply.via}
    components = [
        c for c in landscape.components
        if c.instance_of is None and c.kind != "schema_registry" and c.id not in replies
    ]  # fmt: skip
    kept = {f.id for f in flows} | {c.id for c in components}
    return landscape.model_copy(
        update={
            "environments": [],
            "systems": [s for s in landscape.systems if s.id not in added],
            "flows": flows,
            "components": components,
            "policies": [p for p in landscape.policies if set(p.applies_to) <= kept],
            "credentials": [c for c in landscape.credentials if c.kind != "sasl_scram"],
            "decisions": [d for d in landscape.decisions if int(d.id[4:]) < 100],
        }
    )


def test_layered_counts_per_system_are_close_to_the_random_shape(
    layered: Landscape, hubs: Landscape
) -> None:
    topology = layered
    layered = without_runtime_topology(topology)
    assert len(layered.systems) == 1000
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
    # The runtime topology adds about half as many systems again (data stores), an eighth
    # more flows, three quarters more credentials (one per consumer at the broker), a
    # twentieth more elements in all.
    added = topology.count().by_kind
    assert 1.4 < added["system"] / ours["system"] < 1.6
    assert 1.1 < added["flow"] / ours["flow"] < 1.2
    assert 1.6 < added["credential"] / ours["credential"] < 1.9
    assert 1.03 < topology.count().total / layered.count().total < 1.08


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
    landscape = generate_landscape(16, 3)
    systems, flows = len(landscape.systems), len(landscape.flows)
    assert re.search(rf"\bsystem\W+{systems}\b", result.output), result.output
    assert re.search(rf"\bflow\W+{flows}\b", result.output), result.output
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

    assert (await graph.read_transaction(count("System")))[0]["n"] == len(landscape.systems)
    assert sum(s.kind == "service" for s in landscape.systems) == 100
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
    # An operation's calls are the provider's calls to other services, not to its own store.
    stores = {s.id for s in layered.systems if s.kind == "data_store"}
    outgoing = defaultdict(set)
    for flow in synchronous(layered):
        if flow.target not in stores:
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


# The runtime topology: environments and instances, channel settings, data stores, actors,
# degradable calls, request-reply, broker credentials; and the defects planted for its rules.

NEW_RULES = ("RES-18", "RES-19", "RES-20", "RES-21", "SEC-14", "SEC-16", "SEC-17", "SEC-18")
ASYNC = ("event", "command", "stream")


def systems_of(landscape: Landscape) -> dict[str, System]:
    return {s.id: s for s in landscape.systems}


def reply_topics(landscape: Landscape) -> set[str]:
    return {f.reply.via[-1] for f in landscape.flows if f.reply and f.reply.via}


def topics(landscape: Landscape) -> list:  # type: ignore[type-arg]
    """The event and stream topics (the rates of the planted channel defects are of them)."""
    replies = reply_topics(landscape)
    return [c for c in landscape.components if c.kind == "topic" and c.id not in replies]


def stores_of(landscape: Landscape) -> dict[str, set[str]]:
    """System id -> the data stores it exchanges flows with."""
    kinds = {s.id: s.kind for s in landscape.systems}
    stores = defaultdict(set)
    for flow in landscape.flows:
        for one, other in ((flow.source, flow.target), (flow.target, flow.source)):
            if kinds[other] == "data_store" and kinds[one] == "service":
                stores[one].add(other)
    return stores


def expected_findings(landscape: Landscape) -> dict[str, set[str]]:
    """The elements each new rule reports, by the generator's data (the rules' headers in
    cypher/rules/ say what they look for)."""
    systems = systems_of(landscape)
    components = {c.id: c for c in landscape.components}
    credentials = {c.id: c for c in landscape.credentials}
    found: dict[str, set[str]] = {rule: set() for rule in NEW_RULES}
    for system_id, stores in stores_of(landscape).items():
        store = systems[next(iter(stores))]
        if (
            systems[system_id].tier == 1
            and len(stores) == 1
            and (store.persistence in (None, "none") or store.replicas in (None, 1))
        ):
            found["RES-18"].add(system_id)
    alerts = defaultdict(list)
    for policy in landscape.policies:
        if isinstance(policy, AlertRule) and policy.response_seconds is not None:
            for element in policy.applies_to:
                alerts[element].append((policy.window_seconds or 0) + policy.response_seconds)
    channels = ("topic", "queue", "dead_letter_queue")
    for flow in landscape.flows:
        if flow.reply and flow.reply.timeout_ms is None:
            found["RES-19"].add(flow.id)
        if flow.reply and flow.reply.address_header:
            found["SEC-14"].add(flow.id)
        tiers = {systems[flow.source].tier, systems[flow.target].tier}
        for c in (components[i] for i in flow.via if components[i].kind in channels):
            down = max(alerts[c.id] + alerts[flow.id], default=0)
            if (
                flow.pattern in ASYNC
                and c.retention_ms is not None
                and (0 <= c.retention_ms < down * 1000 and c.cleanup_policy != "compact")
            ):
                found["RES-20"].add(c.id)
            if c.replication_factor == 1 and 1 in tiers:
                found["RES-21"].add(c.id)
        if flow.pattern in ASYNC and flow.via and systems[flow.target].kind != "actor":
            receiver = credentials.get(flow.receiver_credential or "")
            if (
                receiver is None
                or receiver.id == flow.credential
                or receiver.kind == "none"
                or flow.target not in receiver.held_by
            ):
                found["SEC-18"].add(flow.id)
    production = {e.id for e in landscape.environments if e.production}
    for element in [*landscape.components, *landscape.credentials]:
        bound = set(element.environments)
        if bound & production and bound - production:
            found["SEC-16"].add(element.id)
    for credential in landscape.credentials:
        if any(p.wildcard for p in credential.permissions):
            found["SEC-17"].add(credential.id)
        only_test = credential.environments and not set(credential.environments) & production
        for target in credential.towards if only_test else ():
            if components[target].environments and set(components[target].environments) <= (
                production
            ):
                found["SEC-16"].add(credential.id)
    return found


def test_environments_and_an_instance_of_each_broker_per_environment_group(
    layered: Landscape,
) -> None:
    assert {(e.id, e.production) for e in layered.environments} == {
        ("dev", False), ("test", False), ("prod", True),
    }  # fmt: skip
    components = {c.id: c for c in layered.components}
    brokers = [c for c in layered.components if c.kind == "broker" and c.instance_of is None]
    assert len(brokers) == 1000 // 150 + 1000 // 500
    for logical in [*brokers, components["schema-registry"]]:
        instances = [c for c in layered.components if c.instance_of == logical.id]
        assert {c.id for c in instances} == {f"{logical.id}-nonprod", f"{logical.id}-prod"}
        assert all(c.kind == logical.kind and c.technology == logical.technology
                   for c in instances)  # fmt: skip
        assert not logical.environments  # the logical design every environment shares
    for broker in brokers:
        assert components[f"{broker.id}-nonprod"].environments == ["dev", "test"]
        assert components[f"{broker.id}-prod"].environments == ["prod"]
    # Planted once: test uses the production schema registry.
    assert components["schema-registry-prod"].environments == ["prod", "test"]
    assert expected_findings(layered)["SEC-16"] == {"schema-registry-prod"}
    # Flows name the logical components only.
    assert not {i for f in layered.flows for i in f.via} & {
        c.id for c in layered.components if c.instance_of
    }


def test_every_channel_has_its_settings_but_a_planted_few(layered: Landscape) -> None:
    channels = [c for c in layered.components if c.kind in ("topic", "queue", "dead_letter_queue")]
    for channel in channels:
        assert channel.partitions and channel.retention_ms and channel.cleanup_policy, channel.id
        assert (channel.replication_factor, channel.min_insync_replicas) in ((3, 2), (1, 1))
    compacted = [c for c in channels if c.cleanup_policy == "compact"]
    assert compacted and all(c.id.split(".")[-2] in ("balances", "status") for c in compacted)
    assert all(c.retention_ms == -1 for c in compacted)
    # Dead-letter queues keep messages as long as their policies say, and longer than the
    # redrive takes.
    for policy in layered.policies:
        if isinstance(policy, DeadLetterPolicy):
            dlq = next(c for c in channels if c.id == policy.dlq)
            assert policy.redrive_within_seconds
            assert dlq.retention_ms >= policy.retention_days * 86_400_000
            assert dlq.retention_ms > policy.redrive_within_seconds * 1000
    # Consumer-lag alerts with an on-call response target on the tier-1 publishers' topics
    # (and some others); every routed alert has a response target.
    alerts = [p for p in layered.policies if isinstance(p, AlertRule)]
    assert all(p.response_seconds for p in alerts if p.route)
    lag = {p.applies_to[0] for p in alerts if p.metric == "consumer_lag_seconds"}
    systems = systems_of(layered)
    tier_one = {t.id for t in topics(layered) if systems[t.id.split(".")[0]].tier == 1}
    assert tier_one < lag and len(lag) < 2 * len(tier_one)
    # Planted: 1 % of the topics keep one copy (among those carrying tier-1 flows), 1 % less
    # long than a consumer may be down by their lag alert.
    found = expected_findings(layered)
    single = {t.id for t in topics(layered) if t.replication_factor == 1}
    assert found["RES-21"] == single
    assert len(single) == planted_count(len(topics(layered)), shape.SINGLE_REPLICA_RATE) == 6
    short = {t.id for t in topics(layered) if t.retention_ms == shape.SHORT_RETENTION_MS}
    assert found["RES-20"] == short and short <= lag and not short & single
    assert len(short) == planted_count(len(topics(layered)), shape.SHORT_RETENTION_RATE) == 6


def test_data_stores_of_their_own(layered: Landscape) -> None:
    layer = layer_of(layered)
    systems = systems_of(layered)
    stores = stores_of(layered)
    assert all(len(mine) == 1 for mine in stores.values())
    for system_id, (store_id,) in ((s, tuple(mine)) for s, mine in stores.items()):
        store = systems[store_id]
        assert store.owner == systems[system_id].owner and store.tier == systems[system_id].tier
        assert store.trust_zone == systems[system_id].trust_zone
        assert layer[system_id] in ("core", "service", "bff"), system_id
    by_layer = Counter(layer[s] for s in stores)
    count = Counter(layer.values())
    assert by_layer["core"] == count["core"]
    assert 0.45 < by_layer["service"] / count["service"] < 0.55
    assert 0.25 < by_layer["bff"] / count["bff"] < 0.42
    databases = [s for s in layered.systems if s.store_type == "database"]
    assert {s.engine for s in databases} == {"postgresql", "oracle"}
    assert all((s.persistence, s.replicas) == ("durable", 3) for s in databases)
    caches = [s for s in layered.systems if s.store_type == "cache"]
    assert all((s.engine, s.persistence, s.replicas) == ("redis", "none", 1) for s in caches)
    timeouts = {i for p in layered.policies if isinstance(p, TimeoutPolicy) for i in p.applies_to}
    for flow in layered.flows:
        if systems[flow.target].kind != "data_store":
            continue
        assert flow.pattern == "request_response" and flow.mutating
        assert flow.credential and flow.id in timeouts and flow.contract is None
        assert flow.transport_encryption in ("tls", "mtls")
        # A BFF's cache is optional; the planted core systems' only store is theirs.
        assert flow.required == (layer[flow.source] != "bff"), flow.id
        assert flow.required or flow.fallback
    # Planted: 2 % of the tier-1 systems keep their data only in a cache without persistence.
    tier_one = [s for s in layered.systems if s.tier == 1 and s.kind == "service"]
    found = expected_findings(layered)["RES-18"]
    assert found == {s for s in stores if systems[next(iter(stores[s]))].store_type == "cache"
                     and layer[s] == "core"}  # fmt: skip
    assert len(found) == planted_count(len(tier_one), shape.CACHE_ONLY_RATE) == 2


def test_actors_call_the_channels(layered: Landscape) -> None:
    actors = [s for s in layered.systems if s.kind == "actor"]
    assert {(a.id, a.actor_type, a.channel) for a in actors} == {
        ("web-customers", "person", "internet"),
        ("mobile-customers", "person", "internet"),
        ("partner-users", "partner_user", "partner_network"),
    }
    assert all(a.owner is None and a.tier is None for a in actors)
    layer = layer_of(layered)
    kind = {a.id: a.tags[0] for a in actors}
    calls = [f for f in layered.flows if layer[f.source] == "actor"]
    assert sorted(f.target for f in calls) == sorted(s for s, x in layer.items() if x == "channel")
    for flow in calls:
        assert flow.pattern == "request_response" and flow.transport_encryption == "tls"
        assert flow.credential is None and flow.contract is None
        assert f"-{kind[flow.source]}-" in flow.target  # the channel's kind is in its id


def test_a_third_of_the_bffs_calls_are_degradable(layered: Landscape) -> None:
    layer = layer_of(layered)
    optional = [f for f in layered.flows if not f.required]
    assert all(f.fallback for f in optional)
    assert {(layer[f.source], layer[f.target]) for f in optional} == {
        ("bff", "service"), ("bff", "data-store"),
    }  # fmt: skip
    middle = [f for f in synchronous(layered) if (layer[f.source], layer[f.target]) == (
        "bff", "service")]  # fmt: skip
    assert 0.25 < sum(not f.required for f in middle) / len(middle) < 0.35


def test_a_fifth_of_the_commands_wait_for_a_reply(layered: Landscape) -> None:
    commands = [f for f in layered.flows if f.pattern == "command"]
    replied = [f for f in commands if f.reply]
    assert all(f.reply is None for f in layered.flows if f.pattern != "command")
    assert len(replied) == planted_count(len(commands), shape.REPLY_SHARE)
    components = {c.id: c for c in layered.components}
    for flow in replied:
        assert flow.reply is not None and flow.reply.correlation_key == "correlation_id"
        if flow.reply.via:
            broker, topic = flow.reply.via
            assert broker == flow.via[0] and components[topic].part_of == broker
            assert components[topic].kind == "topic" and topic.startswith(f"{flow.source}.")
            assert flow.reply.address_header is None
    # Planted: 2 % reply to the address the request names, 5 % of the others wait forever.
    found = expected_findings(layered)
    addressed = {f.id for f in replied if f.reply and f.reply.address_header}
    assert found["SEC-14"] == addressed
    assert len(addressed) == planted_count(len(replied), shape.REPLY_ADDRESS_RATE) == 1
    others = len(replied) - len(addressed)
    assert len(found["RES-19"]) == planted_count(others, shape.REPLY_WITHOUT_TIMEOUT_RATE) == 3
    assert not found["RES-19"] & addressed


def test_each_consumer_has_its_own_broker_credential_but_a_planted_few(
    layered: Landscape,
) -> None:
    credentials = {c.id: c for c in layered.credentials}
    components = {c.id: c for c in layered.components}
    consumed = [f for f in layered.flows if f.pattern in ASYNC]
    consumers = {f.target for f in consumed}
    named = [f for f in consumed if f.receiver_credential]
    for flow in named:
        credential = credentials[flow.receiver_credential or ""]
        assert credential.kind == "sasl_scram" and credential.held_by == [flow.target]
        assert credential.id == f"cred-{flow.target}-kafka" and credential.environments == ["prod"]
        assert f"{flow.via[0]}-prod" in credential.towards
        assert credential.rotation_days and credential.secret_ref
        rights = {(p.channel, p.consumer_group): p.access for p in credential.permissions}
        assert rights[(flow.via[1], None)] == ["read"]
        assert rights[(None, flow.target)] == ["read"]  # its own consumer group
        assert all("prod" in components[t].environments for t in credential.towards)
    # Avro consumers read the production schema registry too.
    avro = {c.id for c in layered.contracts if c.kind == "avro"}
    assert any("schema-registry-prod" in credentials[f.receiver_credential or ""].towards
               for f in named if f.contract in avro)  # fmt: skip
    # Repliers write their replies; requesters read them.
    for flow in layered.flows:
        if flow.reply and flow.reply.via and flow.receiver_credential:
            topic = flow.reply.via[-1]
            replier = credentials[flow.receiver_credential].permissions
            assert any(p.channel == topic and p.access == ["write"] for p in replier)
            requester = credentials.get(f"cred-{flow.source}-kafka")
            assert requester is None or any(p.channel == topic for p in requester.permissions)
    # Planted: 2 % of the consumers have no identity at the broker, 1 % of the credentials a
    # wildcard channel.
    found = expected_findings(layered)
    unidentified = {f.target for f in consumed if f.receiver_credential is None}
    assert {f.id for f in consumed if f.target in unidentified} == found["SEC-18"]
    assert len(unidentified) == planted_count(len(consumers), shape.UNIDENTIFIED_CONSUMER_RATE)
    assert len(unidentified) == 14
    brokered = [c for c in layered.credentials if c.kind == "sasl_scram"]
    assert len(brokered) == len(consumers) - len(unidentified) + sum(
        f"cred-{s}-kafka" in credentials and s not in consumers for s in systems_of(layered)
    )
    assert len(found["SEC-17"]) == planted_count(len(brokered), shape.WILDCARD_RATE) == 7
    # Decisions govern the instances and the broker credentials.
    governed = {i for d in layered.decisions if d.id in ("adr-0101", "adr-0102")
                for i in d.governs}  # fmt: skip
    assert {c.id for c in brokered} | {c.id for c in layered.components if c.instance_of} == (
        governed
    )


def test_the_planted_topology_defects_are_a_few_per_cent(layered: Landscape) -> None:
    found = expected_findings(layered)
    flows = layered.flows
    shares = {
        "RES-18": len(found["RES-18"]) / sum(s.tier == 1 for s in layered.systems
                                             if s.kind == "service"),
        "RES-19": len(found["RES-19"]) / sum(f.reply is not None for f in flows),
        "RES-20": len(found["RES-20"]) / len(topics(layered)),
        "RES-21": len(found["RES-21"]) / len(topics(layered)),
        "SEC-14": len(found["SEC-14"]) / sum(f.reply is not None for f in flows),
        "SEC-17": len(found["SEC-17"]) / sum(c.kind == "sasl_scram" for c in layered.credentials),
        "SEC-18": len(found["SEC-18"]) / sum(f.pattern in ASYNC for f in flows),
    }  # fmt: skip
    for rule, share in shares.items():
        assert 0.004 < share < 0.06, rule
    assert len(found["SEC-16"]) == 1


async def test_a_lint_finds_exactly_the_planted_topology_defects(
    graph: Store, small: Landscape
) -> None:
    await load_landscape(graph, small)
    report = await lint(graph, choose_rules(ids=list(NEW_RULES)), config=LintConfig(), today=AS_OF)
    assert not report.rule_errors, report.rule_errors
    found: dict[str, set[str]] = {rule: set() for rule in NEW_RULES}
    for finding in report.findings:
        found[finding.rule.id].add(localize("synthetic", finding.element))
    assert found == expected_findings(small)
    assert all(found.values())  # every rule has something to find, even at 200 systems
