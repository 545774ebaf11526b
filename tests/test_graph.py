"""The pure mapping between the model and graph rows, and its round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import load_blueprint_files
from integraph.graph import (
    RELATIONSHIPS,
    GraphRows,
    NodeLabel,
    RelType,
    from_graph,
    to_graph,
)
from integraph.model import Contract, ContractVersion, Field, Flow, Landscape, System, Team
from tests.blueprint.conftest import BLUEPRINTS, MINIMAL


def rows_by_id(rows: GraphRows, label: NodeLabel) -> dict[str, dict]:
    return {row["id"]: row for row in rows.nodes[label.value]}


def rels(rows: GraphRows, rel: RelType, start: str) -> list[dict]:
    return [row for row in rows.rels[rel.value] if row["from"] == start]


@pytest.fixture(scope="module")
def minimal() -> Landscape:
    return load_blueprint_files([MINIMAL])


def test_the_fixtures_use_every_label_and_relationship_type() -> None:
    both = [
        to_graph(load_blueprint_files([BLUEPRINTS / f]))
        for f in ("minimal", "interfaces", "topology")
    ]
    assert {label for rows in both for label in rows.nodes} == {label.value for label in NodeLabel}
    assert {rel for rows in both for rel in rows.rels} == {rel.value for rel in RelType}


def test_round_trip_on_the_minimal_fixture(minimal: Landscape) -> None:
    assert from_graph(to_graph(minimal, "minimal")) == minimal


@pytest.mark.parametrize("folder", ["minimal", "interfaces", "topology"])
def test_round_trip_on_fixture_folders(folder: str) -> None:
    landscape = load_blueprint_files([BLUEPRINTS / folder])
    rows = to_graph(landscape)
    again = from_graph(rows)
    assert again == landscape
    assert to_graph(again) == rows


@pytest.mark.parametrize("folder", ["minimal", "interfaces", "topology"])
def test_labels_and_relationship_types_come_from_fixed_sets(folder: str) -> None:
    rows = to_graph(load_blueprint_files([BLUEPRINTS / folder]))
    assert set(rows.nodes) <= {label.value for label in NodeLabel}
    assert set(rows.rels) <= {rel.value for rel in RelType}
    labels = {row["id"]: label for label, label_rows in rows.nodes.items() for row in label_rows}
    for rel, rel_rows in rows.rels.items():
        starts, ends = RELATIONSHIPS[RelType(rel)]
        for row in rel_rows:
            assert NodeLabel(labels[row["from"]]) in starts, (rel, row)
            assert NodeLabel(labels[row["to"]]) in ends, (rel, row)


def test_properties_are_flat_and_stamped(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    for label_rows in rows.nodes.values():
        for row in label_rows:
            assert row["blueprint"] == "minimal"
            assert isinstance(row["source_file"], str) and row["source_line"] >= 1
            for value in row.values():
                assert value is not None
                assert isinstance(value, str | int | float | bool | list)
                if isinstance(value, list):
                    assert all(isinstance(v, str | int | float | bool) for v in value)


def test_ids_in_the_graph_are_full_identifiers(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    blueprint = rows_by_id(rows, NodeLabel.BLUEPRINT)
    assert list(blueprint) == ["minimal"]  # a blueprint is its own namespace
    reviews = rows_by_id(rows, NodeLabel.REVIEW)
    assert sorted(reviews) == ["minimal#review-1", "minimal#review-2"]
    for label in (NodeLabel.SYSTEM, NodeLabel.FLOW, NodeLabel.FIELD):
        assert all(i.startswith("minimal:") for i in rows_by_id(rows, label))


def test_short_references_into_used_blueprints_take_their_resolution(minimal: Landscape) -> None:
    rows = to_graph(minimal, "minimal", {"web-shop": "landscape:web-shop"})
    assert rels(rows, RelType.FROM, "minimal:checkout-to-payments") == [
        {"from": "minimal:checkout-to-payments", "to": "landscape:web-shop"}
    ]
    again = from_graph(rows)
    (flow,) = [f for f in again.flows if f.id == "checkout-to-payments"]
    assert flow.source == "landscape:web-shop"  # exported as a full identifier


def test_flow_rows(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    flow = rows_by_id(rows, NodeLabel.FLOW)["minimal:payment-settled"]
    assert flow["pattern"] == "event"
    assert flow["max_staleness_seconds"] == 60
    assert "source" not in flow and "via" not in flow and "contract" not in flow
    assert rels(rows, RelType.VIA, "minimal:payment-settled") == [
        {"from": "minimal:payment-settled", "to": "minimal:kafka", "position": 0},
        {"from": "minimal:payment-settled", "to": "minimal:payments-events", "position": 1},
    ]
    uses = rels(rows, RelType.USES_VERSION, "minimal:checkout-to-payments")
    assert sorted((r["role"], r["to"]) for r in uses) == [
        ("consumer", "minimal:payments-api@1.0.0"),
        ("producer", "minimal:payments-api@2.0.0"),
    ]
    assert rels(rows, RelType.MASKS, "minimal:checkout-to-payments") == [
        {
            "from": "minimal:checkout-to-payments",
            "to": "minimal:payments-api@2.0.0#request/card/pan",
            "method": "tokenised",
        }
    ]
    assert rels(rows, RelType.AUTHENTICATES, "minimal:cred-shop-payments") == [
        {"from": "minimal:cred-shop-payments", "to": "minimal:checkout-to-payments"}
    ]


def test_contract_rows(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    assert rels(rows, RelType.NEXT_VERSION, "minimal:payments-api@1.0.0") == [
        {"from": "minimal:payments-api@1.0.0", "to": "minimal:payments-api@2.0.0"}
    ]
    version = rows_by_id(rows, NodeLabel.CONTRACT_VERSION)["minimal:payments-api@2.0.0"]
    assert (
        version["error_format"] == '{"media_type": "application/problem+json", '
        '"schema_ref": null, "standard": "rfc9457"}'
    )
    field = rows_by_id(rows, NodeLabel.FIELD)["minimal:payments-api@2.0.0#request/card/pan"]
    assert (field["part"], field["path"], field["position"]) == ("request", "/card/pan", 2)
    assert field["max_length"] == 19 and field["required"] is True
    assert rels(rows, RelType.CLASSIFIED_AS, field["id"]) == [
        {"from": field["id"], "to": "minimal:pci-pan"}
    ]


def test_policy_rows_carry_their_kind(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    policies = rows_by_id(rows, NodeLabel.POLICY)
    assert policies["minimal:retry-checkout"]["kind"] == "retry"
    assert policies["minimal:retry-checkout"]["jitter"] == "full"
    assert rels(rows, RelType.DEAD_LETTERS_TO, "minimal:dlq-payment-events") == [
        {"from": "minimal:dlq-payment-events", "to": "minimal:payments-events-dlq"}
    ]
    assert rels(rows, RelType.HOLDS, "minimal:web-shop") == [
        {"from": "minimal:web-shop", "to": "minimal:cred-shop-payments"}
    ]


def test_decision_text_field_named_decision_is_a_property(minimal: Landscape) -> None:
    rows = to_graph(minimal)
    decision = rows_by_id(rows, NodeLabel.DECISION)["minimal:adr-0002"]
    assert decision["decision"].startswith("We will use OAuth 2.0")
    assert '"name": "Shared API keys"' in decision["options"]


def test_blueprint_id_must_match() -> None:
    landscape = Landscape(teams=[Team(id="t")])
    with pytest.raises(ValueError):
        to_graph(landscape)
    rows = to_graph(landscape, "adhoc")
    assert rows.nodes["Team"][0]["blueprint"] == "adhoc"
    assert "IN_BLUEPRINT" not in rows.rels


def test_blueprint_id_mismatch_is_refused(minimal: Landscape) -> None:
    with pytest.raises(ValueError):
        to_graph(minimal, "another")


def test_landscape_built_by_hand_round_trips_without_sources() -> None:
    landscape = Landscape(
        systems=[System(id="b", trust_zone="public", owner="t", tags=["x", "a"])],
        teams=[Team(id="t")],
    )
    assert from_graph(to_graph(landscape, "bp")) == landscape


def test_order_of_via_versions_and_fields_survives() -> None:
    versions = [
        ContractVersion(version=v, message=[Field(path=p, type="string") for p in ("/z", "/a")])
        for v in ("9.0.0", "10.0.0", "2.0.0")
    ]
    landscape = Landscape(
        contracts=[Contract(id="c", kind="avro", versions=versions)],
        flows=[
            Flow(
                id="f",
                source="s",
                target="s",
                pattern="event",
                via=["zz", "aa", "zz"],
                contract="c",
                producer_version="10.0.0",
            )
        ],
    )
    rows = to_graph(landscape, "bp")
    # A database returns rows in any order: positions, not row order, must decide.
    for row_lists in (rows.rels, rows.nodes):
        for row_list in row_lists.values():
            row_list.reverse()
    again = from_graph(rows)
    assert again == landscape
    assert [v.version for v in again.contracts[0].versions] == ["9.0.0", "10.0.0", "2.0.0"]
    assert again.flows[0].via == ["zz", "aa", "zz"]
    assert [f.path for f in again.contracts[0].versions[0].message] == ["/z", "/a"]


def test_rows_of_an_export_reload_are_identical_apart_from_sources(
    minimal: Landscape, tmp_path: Path
) -> None:
    write_blueprint_files(minimal, tmp_path)
    reloaded = load_blueprint_files([tmp_path])

    def strip(rows: GraphRows) -> dict:
        return {
            label: sorted(
                ({k: v for k, v in row.items() if not k.startswith("source_")} for row in r),
                key=lambda row: row["id"],
            )
            for label, r in rows.nodes.items()
        }

    assert strip(to_graph(reloaded)) == strip(to_graph(minimal))
    assert to_graph(reloaded).rels == to_graph(minimal).rels
