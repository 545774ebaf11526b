"""The synthetic landscape: deterministic, shaped like a real one, valid, and loadable.

Both shapes: the layered one (the default) and the random one (a stress case, unchanged)."""

from __future__ import annotations

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
from integraph.generate.layered import planted
from integraph.graph import SECTION_LABELS, NodeLabel, to_graph
from integraph.knowledge.load import load_landscape
from integraph.model import (
    ASYNC_PATTERNS,
    DeadLetterPolicy,
    FlowPattern,
    Landscape,
    RetryPolicy,
    TimeoutPolicy,
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
    kinds = ("team", "system", "flow", "component", "contract", "contract version", "field")
    for kind in (*kinds, "policy", "credential"):
        assert ours[kind] == pytest.approx(theirs[kind], rel=0.2), kind
    assert layered.count().total == pytest.approx(hubs.count().total, rel=0.1)


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
    assert count.elements == sum(by_label[label] for label in SECTION_LABELS.values())
