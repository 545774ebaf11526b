"""The seed landscape (seed/): valid, big enough, covering the model, and its README honest.

The seed is the example blueprint of a retail bank. These tests need no database: they
parse the files, count elements by kind, and check that every element id named in the
README's list of deliberate mistakes exists in the seed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest

from integraph.blueprint.parse import load_blueprint_files
from integraph.model import Landscape
from integraph.model.components import ComponentKind
from integraph.model.contracts import CompatibilityMode, ContractKind
from integraph.model.flows import FlowPattern
from integraph.model.policies import POLICY_MODELS
from integraph.model.security import CredentialKind
from integraph.model.systems import TrustZone

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
README = SEED / "README.md"

# The rule catalogue of RULES.md section 5.
CATALOGUE = {
    *(f"CON-{n:02d}" for n in range(1, 11)),
    *(f"RES-{n:02d}" for n in range(1, 18)),
    *(f"SEC-{n:02d}" for n in range(1, 14)),
    *(f"ADR-{n:02d}" for n in range(1, 5)),
    *(f"GOV-{n:02d}" for n in range(1, 4)),
}
ROW = re.compile(r"^\|\s*([A-Z]{3}-\d{2})\s*\|(.*?)\|(.*?)\|(.*?)\|\s*$")
BACKTICKED = re.compile(r"`([^`]+)`")


@pytest.fixture(scope="module")
def seed() -> Landscape:
    return load_blueprint_files([SEED])


@pytest.fixture(scope="module")
def mistakes() -> list[tuple[str, list[str]]]:
    """(rule id, element ids) of every row of the README's deliberate-mistakes table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deliberate mistakes", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match.group(1), BACKTICKED.findall(match.group(2))))
    return rows


def known_ids(landscape: Landscape) -> set[str]:
    """Element ids plus derived ids (contract versions, fields, reviews)."""
    return set(landscape.by_id()) | set(landscape.sources)


# --- validity ------------------------------------------------------------------------------


def test_seed_validates_with_zero_problems(seed: Landscape) -> None:
    # load_blueprint_files raises BlueprintInvalid listing every problem otherwise
    assert seed.blueprint is not None
    assert seed.blueprint.id == "nordhafen-retail-bank"


def test_seed_is_only_yaml_and_the_readme() -> None:
    files = [p for p in SEED.rglob("*") if p.is_file()]
    assert not (SEED / ".keep").exists()
    assert {p.suffix for p in files} <= {".yaml", ".md"}
    assert README in files


def test_every_element_is_in_the_blueprint_scope(seed: Landscape) -> None:
    assert seed.blueprint is not None
    assert seed.blueprint.scope == []  # empty scope = everything in the files


# --- size ----------------------------------------------------------------------------------


def test_size_minimums(seed: Landscape) -> None:
    assert len(seed.systems) >= 25
    assert len(seed.flows) >= 60
    assert len(seed.components) >= 10
    assert len(seed.contracts) >= 15
    assert len(seed.decisions) >= 8
    assert len(seed.waivers) >= 2
    assert len(seed.teams) >= 5


def test_systems_have_tiers_and_cover_every_trust_zone(seed: Landscape) -> None:
    assert {s.trust_zone for s in seed.systems} == set(TrustZone)
    assert all(s.tier is not None for s in seed.systems)
    assert sum(1 for s in seed.systems if s.owner is None) == 1  # the GOV-03 mistake
    assert any(s.external for s in seed.systems)


# --- coverage of the model -----------------------------------------------------------------


def test_every_flow_pattern_is_used(seed: Landscape) -> None:
    counts = Counter(f.pattern for f in seed.flows)
    assert set(counts) == set(FlowPattern)


def test_every_component_kind_is_used(seed: Landscape) -> None:
    assert {c.kind for c in seed.components} == set(ComponentKind)


def test_every_credential_kind_is_used(seed: Landscape) -> None:
    assert {c.kind for c in seed.credentials} == set(CredentialKind)


def test_every_policy_kind_is_used(seed: Landscape) -> None:
    assert {p.kind for p in seed.policies} == set(POLICY_MODELS)


def test_contract_kinds_and_versions(seed: Landscape) -> None:
    kinds = {c.kind for c in seed.contracts}
    assert {
        ContractKind.OPENAPI,
        ContractKind.ASYNCAPI,
        ContractKind.AVRO,
        ContractKind.JSON_SCHEMA,
        ContractKind.FILE,
        ContractKind.PROTOBUF,
    } <= kinds
    multi = [c for c in seed.contracts if len(c.versions) >= 2]
    assert len(multi) >= 5
    assert any(len(c.versions) >= 3 for c in seed.contracts)
    assert any(c.compatibility is CompatibilityMode.NONE for c in seed.contracts)


def test_fields_are_classified(seed: Landscape) -> None:
    categories = {c.id: c.category.value for c in seed.classifications}
    used = {
        categories[field.classification]
        for _, _, field, _ in seed.fields()
        if field.classification is not None
    }
    assert {"pci", "pii", "confidential"} <= used
    pans = [fid for _, _, field, fid in seed.fields() if field.classification == "pci-pan"]
    assert len(pans) >= 5


def test_credentials_hold_references_never_secrets(seed: Landscape) -> None:
    for credential in seed.credentials:
        if credential.kind is CredentialKind.NONE:
            assert credential.secret_ref is None
        else:
            assert credential.secret_ref is not None, credential.id
            assert "://" in credential.secret_ref


def test_every_flow_has_its_guarantees_declared(seed: Landscape) -> None:
    for flow in seed.flows:
        assert flow.transport_encryption is not None, flow.id
        if flow.pattern is not FlowPattern.REQUEST_RESPONSE:
            assert flow.consistency is not None, flow.id
        if flow.pattern is FlowPattern.BATCH:
            assert flow.schedule and flow.schedule_interval_seconds, flow.id


def test_most_async_flows_have_a_dlq_and_most_retries_jitter(seed: Landscape) -> None:
    asynchronous = {
        f.id
        for f in seed.flows
        if f.pattern in (FlowPattern.EVENT, FlowPattern.COMMAND, FlowPattern.STREAM)
    }
    dead_lettered = {t for p in seed.policies if p.kind == "dead_letter" for t in p.applies_to}
    assert len(asynchronous - dead_lettered) == 1  # the RES-01 mistake
    retries = [p for p in seed.policies if p.kind == "retry"]
    jittered = [p for p in retries if p.jitter is not None and p.jitter.value != "none"]
    assert len(jittered) == len(retries) - 1  # the RES-06 mistake


def test_decisions_and_review(seed: Landscape) -> None:
    assert seed.blueprint is not None
    assert seed.blueprint.status.value == "in_review"
    assert seed.blueprint.reviews
    superseded = {d.id for d in seed.decisions if d.status.value == "superseded"}
    successors = {s for d in seed.decisions for s in d.supersedes}
    assert superseded and superseded <= successors
    madr = [d for d in seed.decisions if d.options and d.context and d.decision]
    assert len(madr) >= 8
    assert all(any(o.pros or o.cons for o in d.options) for d in madr)
    assert sum(1 for d in seed.decisions if d.governs) >= 8


def test_waivers_one_expired_one_valid(seed: Landscape) -> None:
    today = datetime.date(2026, 11, 1)
    expired = [w for w in seed.waivers if w.expires is not None and w.expires < today]
    valid = [w for w in seed.waivers if w.expires is not None and w.expires >= today]
    assert expired and valid
    for waiver in seed.waivers:
        assert waiver.justification and waiver.approved_by and waiver.decision


# --- README --------------------------------------------------------------------------------


def test_readme_lists_enough_mistakes_with_catalogue_rules(
    mistakes: list[tuple[str, list[str]]],
) -> None:
    assert len(mistakes) >= 25
    rules = {rule for rule, _ in mistakes}
    assert rules <= CATALOGUE
    areas = {rule.split("-")[0] for rule in rules}
    assert areas == {"CON", "RES", "SEC", "ADR", "GOV"}
    assert all(ids for _, ids in mistakes)


def test_every_id_in_the_mistake_list_exists(
    seed: Landscape, mistakes: list[tuple[str, list[str]]]
) -> None:
    known = known_ids(seed)
    missing = sorted({i for _, ids in mistakes for i in ids if i not in known})
    assert missing == []


def test_readme_counts_match_the_seed(seed: Landscape) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"{len(seed.systems)} systems" in text
    assert f"| flows | {len(seed.flows)} " in text
    assert f"| contracts | {len(seed.contracts)} " in text
    assert f"{len(seed.credentials)} credentials" in text
    assert f"{len(seed.decisions)} ADRs" in text
    assert f"| components | {len(seed.components)} " in text
    assert f"| policies | {len(seed.policies)} " in text
