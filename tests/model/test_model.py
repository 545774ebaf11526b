"""Unit tests of the pydantic model: shapes, enums, canonical order, derived ids."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

from integraph.model import (
    POLICY_MODELS,
    AlertRule,
    BlueprintFile,
    Contract,
    ContractVersion,
    Credential,
    DeadLetterPolicy,
    Decision,
    Field,
    FieldPart,
    Flow,
    FlowPattern,
    Landscape,
    Policy,
    RetryPolicy,
    SourceLocation,
    System,
    Team,
    TrustZone,
    Waiver,
    field_id,
    review_id,
    version_id,
)


def test_system_minimal_fields_and_defaults() -> None:
    system = System(id="core-banking", trust_zone="regulated")
    assert system.trust_zone is TrustZone.REGULATED
    assert system.external is False
    assert system.lifecycle == "active"
    assert system.owner is None


@pytest.mark.parametrize("bad_id", ["Core", "-core", "core banking", "a@b", "", "x#y"])
def test_ids_follow_the_pattern(bad_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Team(id=bad_id)
    assert caught.value.errors()[0]["type"] == "string_pattern_mismatch"


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        Team.model_validate({"id": "t", "colour": "blue"})
    assert [e["type"] for e in caught.value.errors()] == ["extra_forbidden"]


def test_nested_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        ContractVersion.model_validate(
            {"version": "1.0.0", "request": [{"path": "/a", "type": "string", "size": 3}]}
        )
    assert caught.value.errors()[0]["loc"] == ("request", 0, "size")


def test_flow_pattern_is_an_enum() -> None:
    flow = Flow(id="f", source="a", target="b", pattern="event")
    assert flow.pattern is FlowPattern.EVENT
    with pytest.raises(ValidationError):
        Flow(id="f", source="a", target="b", pattern="evnt")


def _batch(**extra: object) -> Flow:
    return Flow.model_validate(
        {"id": "f", "source": "a", "target": "b", "pattern": "batch", **extra}
    )


@pytest.mark.parametrize(
    ("schedule", "interval"),
    [
        ("0 2 * * *", 86400),
        ("*/15 * * * *", 900),
        ("@daily", 86400),
        ("0 20 * * 1-5", 3 * 86400),  # weekdays only: Friday's data is three days old on Monday
        ("0 6 25 * *", 31 * 86400),  # monthly: the longest month
        ("0 7,9,11,13,15 * * 1-5", 64 * 3600),  # Friday 15:00 to Monday 07:00
    ],
)
def test_flow_schedule_interval_is_derived_from_the_cron_schedule(
    schedule: str, interval: int
) -> None:
    flow = _batch(schedule=schedule)
    assert flow.schedule_interval_seconds == interval
    # Stored with both, it reads back the same.
    assert Flow.model_validate(flow.model_dump()) == flow


def test_flow_schedule_and_interval_must_agree() -> None:
    # An interval the schedule has is kept (weekday batches run daily, three days at weekends).
    assert (
        _batch(schedule="0 20 * * 1-5", schedule_interval_seconds=86400).schedule_interval_seconds
        == 86400
    )
    assert (
        _batch(schedule="0 6 25 * *", schedule_interval_seconds=2592000).schedule_interval_seconds
        == 2592000
    )
    with pytest.raises(ValidationError) as caught:
        _batch(schedule="0 2 * * *", schedule_interval_seconds=3600)
    [error] = caught.value.errors()
    assert error["loc"] == ("schedule_interval_seconds",)
    assert "disagrees with schedule '0 2 * * *', which runs every 86400 s" in error["msg"]
    # Without a schedule the interval is what the author says.
    assert _batch(schedule_interval_seconds=3600).schedule_interval_seconds == 3600
    assert _batch().schedule_interval_seconds is None


@pytest.mark.parametrize(
    "schedule", ["0 2 * *", "0 0 2 * * *", "61 2 * * *", "daily", "0 0 30 2 *"]
)
def test_flow_schedule_must_be_a_five_field_cron_expression(schedule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _batch(schedule=schedule)
    assert [e["loc"] for e in caught.value.errors()] == [("schedule",)]


def test_reference_sets_are_sorted_and_unique_but_via_keeps_order() -> None:
    credential = Credential(id="c", kind="mtls", held_by=["zeta", "alpha", "zeta"])
    assert credential.held_by == ["alpha", "zeta"]
    flow = Flow(id="f", source="a", target="b", pattern="event", via=["gw", "broker", "gw"])
    assert flow.via == ["gw", "broker", "gw"]


def test_masking_is_sorted_by_field() -> None:
    flow = Flow.model_validate(
        {
            "id": "f",
            "source": "a",
            "target": "b",
            "pattern": "request_response",
            "masking": [
                {"field": "response/z", "method": "hashed"},
                {"field": "request/card/pan", "method": "tokenised"},
            ],
        }
    )
    assert [m.field for m in flow.masking] == ["request/card/pan", "response/z"]


def test_secret_ref_must_be_a_reference_uri() -> None:
    assert Credential(id="c", kind="api_key", secret_ref="vault://kv/a/b").secret_ref
    with pytest.raises(ValidationError):
        Credential(id="c", kind="api_key", secret_ref="hunter2")


def test_policies_are_discriminated_by_kind() -> None:
    adapter = TypeAdapter(Policy)
    retry = adapter.validate_python({"id": "r", "kind": "retry", "max_attempts": 3})
    assert isinstance(retry, RetryPolicy)
    alert = adapter.validate_python({"id": "a", "kind": "alert", "metric": "m", "threshold": 0})
    assert isinstance(alert, AlertRule)
    assert alert.operator == "gt"
    with pytest.raises(ValidationError):
        adapter.validate_python({"id": "d", "kind": "dead_letter"})  # dlq is required
    assert set(POLICY_MODELS) == {
        "retry",
        "dead_letter",
        "circuit_breaker",
        "timeout",
        "idempotency",
        "alert",
    }
    assert POLICY_MODELS["dead_letter"] is DeadLetterPolicy


def test_retry_policy_rejects_non_positive_attempts() -> None:
    with pytest.raises(ValidationError):
        RetryPolicy(id="r", kind="retry", max_attempts=0)


def test_contract_version_fields_in_part_order() -> None:
    version = ContractVersion(
        version="2.0.0",
        response=[Field(path="/status", type="string")],
        request=[Field(path="/b", type="string"), Field(path="/a", type="integer")],
    )
    assert [(p, f.path) for p, f in version.fields()] == [
        (FieldPart.REQUEST, "/b"),
        (FieldPart.REQUEST, "/a"),
        (FieldPart.RESPONSE, "/status"),
    ]
    contract = Contract(id="api", kind="openapi", versions=[version])
    assert contract.version("2.0.0") is version
    assert contract.version("3.0.0") is None


def test_derived_ids() -> None:
    vid = version_id("payments-api", "2.1.0")
    assert vid == "payments-api@2.1.0"
    assert field_id(vid, "request", "/card/pan") == "payments-api@2.1.0#request/card/pan"
    assert review_id("shop", 0) == "shop#review-1"


def test_field_paths_are_json_pointers() -> None:
    with pytest.raises(ValidationError):
        Field(path="card.pan", type="string")


def test_decision_and_waiver_dates() -> None:
    decision = Decision(id="adr-1", title="T", status="accepted", date="2024-01-02")
    assert decision.date == datetime.date(2024, 1, 2)
    waiver = Waiver(id="w", rule="SEC-01", element="x", justification="j", expires="2025-01-01")
    assert waiver.expires == datetime.date(2025, 1, 1)


def test_landscape_sorts_elements_by_id_and_indexes_them() -> None:
    landscape = Landscape(
        systems=[System(id="b", trust_zone="internal"), System(id="a", trust_zone="public")],
        teams=[Team(id="t")],
        sources={"a": SourceLocation(file="s.yaml", line=3, column=5)},
    )
    assert [s.id for s in landscape.systems] == ["a", "b"]
    assert set(landscape.by_id()) == {"a", "b", "t"}
    assert [section for section, _ in landscape.elements()] == ["teams", "systems", "systems"]
    assert str(landscape.source("a")) == "s.yaml:3:5"
    assert landscape.source("missing") is None


def test_blueprint_file_accepts_every_section() -> None:
    content = BlueprintFile.model_validate(
        {
            "blueprint": {"id": "bp", "name": "B", "version": "1"},
            "policies": [{"id": "t", "kind": "timeout", "request_timeout_ms": 100}],
        }
    )
    assert content.blueprint is not None and content.blueprint.status == "draft"
    assert content.policies[0].kind == "timeout"


def test_the_examples_in_the_docs_are_valid_files() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "model.md"
    examples = re.findall(r"```yaml\n(.*?)```", docs.read_text(), flags=re.S)
    assert len(examples) >= 3  # the operations, the full example, the upgrade
    files = [BlueprintFile.model_validate(YAML(typ="safe", pure=True).load(e)) for e in examples]
    assert any(f.flows and f.flows[0].masking[0].field == "request/card/pan" for f in files)
    assert any(v.operations for f in files for c in f.contracts for v in c.versions)
