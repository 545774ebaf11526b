"""The synthetic landscape: deterministic, shaped like a real one, valid, and loadable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.cli.generate import generate
from integraph.generate import generate_landscape
from integraph.graph import SECTION_LABELS, NodeLabel, to_graph
from integraph.knowledge.load import load_landscape
from integraph.model import (
    ASYNC_PATTERNS,
    DeadLetterPolicy,
    FlowPattern,
    Landscape,
    RetryPolicy,
)
from integraph.store.driver import Store


@pytest.fixture(scope="module")
def large() -> Landscape:
    return generate_landscape(1000, 42)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    write_blueprint_files(generate_landscape(60, 7), tmp_path / "a")
    write_blueprint_files(generate_landscape(60, 7), tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert "flows.yaml" in files_of(tmp_path / "a")


def test_another_seed_gives_another_landscape() -> None:
    one, other = generate_landscape(120, 7), generate_landscape(120, 8)
    assert one.model_dump() != other.model_dump()
    assert len(one.systems) == len(other.systems) == 120


def test_about_five_flows_per_system_in_every_pattern(large: Landscape) -> None:
    assert 4.5 <= len(large.flows) / len(large.systems) <= 5.5
    shares = Counter(f.pattern for f in large.flows)
    expected = {"request_response": 0.45, "event": 0.30, "command": 0.10, "batch": 0.10}
    for pattern, share in expected.items():
        assert shares[FlowPattern(pattern)] / len(large.flows) == pytest.approx(share, abs=0.04)
    assert shares[FlowPattern.STREAM] > 0


def test_hubs_have_far_more_flows_than_the_mean(large: Landscape) -> None:
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


def test_files_pass_validation_and_read_back_equal(tmp_path: Path) -> None:
    landscape = generate_landscape(200, 42)
    write_blueprint_files(landscape, tmp_path)
    parsed = load_blueprint_files([tmp_path])  # raises BlueprintInvalid on any problem
    assert parsed.model_dump(exclude={"sources"}) == landscape.model_dump(exclude={"sources"})


def test_needs_two_systems() -> None:
    with pytest.raises(ValueError, match="at least 2 systems"):
        generate_landscape(1, 42)


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(generate)
    return app


def test_cli_writes_files_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "synthetic"
    result = CliRunner().invoke(cli(), ["--systems", "16", "--seed", "3", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "flows.yaml").is_file()
    assert "system " in result.output and " 16 " in result.output
    assert " 80 " in result.output  # flows
    again = CliRunner().invoke(cli(), ["--systems", "16", "--seed", "3", str(out)])
    assert again.exit_code == 0, again.output


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
    assert (await graph.read_transaction(count("Flow")))[0]["n"] == len(landscape.flows) == 500
    assert (await graph.read_transaction(count("Element")))[0]["n"] == report.elements
    assert report.created == report.elements


def test_one_count_agrees_with_the_graph_rows(large: Landscape) -> None:
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
