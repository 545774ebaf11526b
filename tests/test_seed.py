"""The seed knowledge base (seed/): valid, shaped as a landscape and the blueprints that use
it, big enough, covering the model, and its README honest.

The seed is the example knowledge base of a retail bank: one sub-folder per blueprint. These
tests need no database: they read and check the files (references between the blueprints
included), count elements by kind over all blueprints, and check that every element id named
in the README's list of deliberate mistakes exists in the blueprint the row names.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from integraph.knowledge.load import Validation, validate_knowledge
from integraph.model import ASYNC_PATTERNS, CHANNEL_KINDS, Landscape, Persistence, SystemKind
from integraph.model.components import ComponentKind
from integraph.model.contracts import CompatibilityMode, ContractKind
from integraph.model.flows import FlowPattern
from integraph.model.policies import POLICY_MODELS
from integraph.model.security import CredentialKind
from integraph.model.systems import TrustZone

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
README = SEED / "README.md"
LANDSCAPE = "enterprise-landscape"
PROJECTS = ("payments-and-cards", "customer-and-channels", "finance-and-reporting")

# The rule catalogue of RULES.md section 5.
CATALOGUE = {
    *(f"CON-{n:02d}" for n in range(1, 12)),
    *(f"RES-{n:02d}" for n in range(1, 24)),
    *(f"SEC-{n:02d}" for n in range(1, 19)),
    *(f"ADR-{n:02d}" for n in range(1, 5)),
    *(f"GOV-{n:02d}" for n in range(1, 4)),
}
ROW = re.compile(r"^\|\s*([A-Z]{3}-\d{2})\s*\|\s*([a-z0-9-]+)\s*\|(.*?)\|(.*?)\|(.*?)\|\s*$")
BACKTICKED = re.compile(r"`([^`]+)`")


@pytest.fixture(scope="module")
def validation() -> Validation:
    # validate_knowledge raises BlueprintInvalid listing every problem otherwise
    return validate_knowledge([SEED])


@pytest.fixture(scope="module")
def blueprints(validation: Validation) -> dict[str, Landscape]:
    """Each blueprint's landscape (its own elements, ids as written: short), by blueprint id."""
    found = {}
    for result in validation.blueprints:
        assert result.landscape.blueprint is not None
        found[result.landscape.blueprint.id] = result.landscape
    return found


def every(blueprints: dict[str, Landscape], section: str) -> list[Any]:
    """The elements of `section` of all blueprints."""
    return [e for landscape in blueprints.values() for e in getattr(landscape, section)]


@pytest.fixture(scope="module")
def mistakes() -> list[tuple[str, str, list[str]]]:
    """(rule id, blueprint, element ids) of every row of the README's deliberate-mistakes table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deliberate mistakes", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match.group(1), match.group(2), BACKTICKED.findall(match.group(3))))
    return rows


def known_ids(landscape: Landscape) -> set[str]:
    """Element ids plus derived ids (contract versions, fields, reviews), and the blueprint."""
    assert landscape.blueprint is not None
    return set(landscape.by_id()) | set(landscape.sources) | {landscape.blueprint.id}


def resolve(reference: str, blueprint: str, blueprints: dict[str, Landscape]) -> str | None:
    """The full identifier `reference` names in `blueprint`'s files (None: no such element).

    A full identifier names its blueprint's element; a short id is the blueprint's own
    element, or else the landscape's (the one blueprint the projects use)."""
    if ":" in reference:
        namespace, local = reference.split(":", 1)
        if namespace in blueprints and local in known_ids(blueprints[namespace]):
            return reference
        return None
    if reference in blueprints:
        return reference  # a blueprint's own id (GOV-01 is about the blueprint)
    for candidate in (blueprint, LANDSCAPE):
        if reference in known_ids(blueprints[candidate]):
            return f"{candidate}:{reference}"
    return None


def external_targets(validation: Validation) -> Iterator[str]:
    """Every reference into another blueprint, as written in the files."""
    for result in validation.blueprints:
        yield from (ref.target for ref in result.external)


# --- validity and shape --------------------------------------------------------------------


def test_seed_validates_with_zero_problems(
    validation: Validation, blueprints: dict[str, Landscape]
) -> None:
    assert sorted(blueprints) == sorted([LANDSCAPE, *PROJECTS])
    assert validation.unchecked == 0  # every reference is into a blueprint of the seed


def test_one_folder_per_blueprint_and_only_yaml_and_the_readme() -> None:
    files = [p for p in SEED.rglob("*") if p.is_file()]
    assert not (SEED / ".keep").exists()
    assert {p.suffix for p in files} <= {".yaml", ".md"}
    assert README in files
    assert [p for p in files if p.parent == SEED] == [README]
    assert sorted(p.name for p in SEED.iterdir() if p.is_dir()) == sorted([LANDSCAPE, *PROJECTS])


def test_the_landscape_owns_what_is_shared_and_uses_nothing(
    blueprints: dict[str, Landscape],
) -> None:
    landscape = blueprints[LANDSCAPE]
    assert landscape.blueprint is not None
    assert landscape.blueprint.status.value == "approved"
    assert landscape.blueprint.uses == []
    assert landscape.teams and landscape.systems and landscape.classifications
    assert landscape.contracts and landscape.decisions
    assert landscape.flows == [] and landscape.waivers == []
    for project in PROJECTS:  # teams, systems and classifications are the landscape's only
        assert blueprints[project].teams == []
        assert blueprints[project].systems == []
        assert blueprints[project].classifications == []
    owned = Counter(c.kind for c in landscape.components)
    kinds = {"api_gateway", "broker", "topic", "queue", "dead_letter_queue"}
    assert kinds <= {k.value for k in owned}
    others = [c.id for p in PROJECTS for c in blueprints[p].components]
    assert others == ["dlq-onboarding"]  # the one DLQ a project added (RES-02)


def test_the_projects_use_the_landscape_one_approved_one_in_review(
    blueprints: dict[str, Landscape],
) -> None:
    statuses = {}
    for project in PROJECTS:
        landscape = blueprints[project]
        assert landscape.blueprint is not None
        assert landscape.blueprint.uses == [LANDSCAPE]
        assert landscape.flows and landscape.credentials and landscape.policies
        assert landscape.contracts and landscape.decisions
        statuses[project] = landscape.blueprint.status.value
        if statuses[project] != "draft":
            assert landscape.blueprint.reviews, project
    assert statuses == {
        "payments-and-cards": "in_review",
        "customer-and-channels": "approved",
        "finance-and-reporting": "draft",
    }
    approved = blueprints["customer-and-channels"].blueprint
    assert approved is not None
    assert any(r.verdict.value == "approved" for r in approved.reviews)
    assert sum(1 for p in PROJECTS if blueprints[p].waivers) == 2


def test_every_project_numbers_its_decisions_from_adr_0001(
    blueprints: dict[str, Landscape],
) -> None:
    for name, landscape in blueprints.items():
        numbers = sorted(d.id for d in landscape.decisions)
        assert numbers == [f"adr-{n:04d}" for n in range(1, len(numbers) + 1)], name


def test_references_across_blueprints_short_and_full(validation: Validation) -> None:
    targets = list(external_targets(validation))
    full = [t for t in targets if t.startswith(f"{LANDSCAPE}:")]
    assert len(full) >= 3
    assert len(targets) - len(full) >= 100  # the short form is the usual one
    assert all(":" not in t or t.startswith(f"{LANDSCAPE}:") for t in targets)


def test_every_element_is_in_its_blueprint_scope(blueprints: dict[str, Landscape]) -> None:
    for landscape in blueprints.values():
        assert landscape.blueprint is not None
        assert landscape.blueprint.scope == []  # empty scope = everything in the files


# --- size ----------------------------------------------------------------------------------


def test_size_minimums(blueprints: dict[str, Landscape]) -> None:
    assert len(every(blueprints, "systems")) >= 25
    assert len(every(blueprints, "flows")) >= 60
    assert len(every(blueprints, "components")) >= 10
    assert len(every(blueprints, "contracts")) >= 15
    assert len(every(blueprints, "decisions")) >= 8
    assert len(every(blueprints, "waivers")) >= 2
    assert len(every(blueprints, "teams")) >= 5


def test_systems_have_tiers_and_cover_every_trust_zone(blueprints: dict[str, Landscape]) -> None:
    systems = every(blueprints, "systems")
    assert {s.trust_zone for s in systems} == set(TrustZone)
    services = [s for s in systems if s.kind is SystemKind.SERVICE]
    assert all(s.tier is not None for s in services)
    assert sum(1 for s in services if s.owner is None) == 1  # the GOV-03 mistake
    assert all(s.owner is None for s in systems if s.kind is SystemKind.ACTOR)
    assert all(s.owner is not None for s in systems if s.kind is SystemKind.DATA_STORE)
    assert any(s.external for s in systems)


# --- coverage of the model -----------------------------------------------------------------


def test_every_flow_pattern_is_used(blueprints: dict[str, Landscape]) -> None:
    counts = Counter(f.pattern for f in every(blueprints, "flows"))
    assert set(counts) == set(FlowPattern)


def test_every_component_kind_is_used(blueprints: dict[str, Landscape]) -> None:
    assert {c.kind for c in every(blueprints, "components")} == set(ComponentKind)


def test_every_credential_kind_is_used(blueprints: dict[str, Landscape]) -> None:
    assert {c.kind for c in every(blueprints, "credentials")} == set(CredentialKind)


def test_every_policy_kind_is_used(blueprints: dict[str, Landscape]) -> None:
    assert {p.kind for p in every(blueprints, "policies")} == set(POLICY_MODELS)


def test_contract_kinds_and_versions(blueprints: dict[str, Landscape]) -> None:
    contracts = every(blueprints, "contracts")
    kinds = {c.kind for c in contracts}
    assert {
        ContractKind.OPENAPI,
        ContractKind.ASYNCAPI,
        ContractKind.AVRO,
        ContractKind.JSON_SCHEMA,
        ContractKind.FILE,
        ContractKind.PROTOBUF,
    } <= kinds
    multi = [c for c in contracts if len(c.versions) >= 2]
    assert len(multi) >= 5
    assert any(len(c.versions) >= 3 for c in contracts)
    assert any(c.compatibility is CompatibilityMode.NONE for c in contracts)


def test_fields_are_classified(blueprints: dict[str, Landscape]) -> None:
    categories = {c.id: c.category.value for c in blueprints[LANDSCAPE].classifications}
    fields = [item for landscape in blueprints.values() for item in landscape.fields()]
    used = {
        categories[field.classification]
        for _, _, field, _ in fields
        if field.classification is not None
    }
    assert {"pci", "pii", "confidential"} <= used
    pans = [fid for _, _, field, fid in fields if field.classification == "pci-pan"]
    assert len(pans) >= 5


def test_credentials_hold_references_never_secrets(blueprints: dict[str, Landscape]) -> None:
    for credential in every(blueprints, "credentials"):
        if credential.kind is CredentialKind.NONE:
            assert credential.secret_ref is None
        else:
            assert credential.secret_ref is not None, credential.id
            assert "://" in credential.secret_ref


def test_every_flow_has_its_guarantees_declared(blueprints: dict[str, Landscape]) -> None:
    for flow in every(blueprints, "flows"):
        assert flow.transport_encryption is not None, flow.id
        if flow.pattern is not FlowPattern.REQUEST_RESPONSE:
            assert flow.consistency is not None, flow.id
        if flow.pattern is FlowPattern.BATCH:
            assert flow.schedule and flow.schedule_interval_seconds, flow.id


def test_most_async_flows_have_a_dlq_and_most_retries_jitter(
    blueprints: dict[str, Landscape],
) -> None:
    for name, landscape in blueprints.items():
        # a dead-letter policy lists flows of its own blueprint only
        flows = {f.id for f in landscape.flows}
        for policy in landscape.policies:
            if policy.kind in ("dead_letter", "retry", "idempotency"):
                assert set(policy.applies_to) <= flows, (name, policy.id)
    asynchronous = {
        (name, f.id)
        for name, landscape in blueprints.items()
        for f in landscape.flows
        if f.pattern in (FlowPattern.EVENT, FlowPattern.COMMAND, FlowPattern.STREAM)
    }
    dead_lettered = {
        (name, target)
        for name, landscape in blueprints.items()
        for p in landscape.policies
        if p.kind == "dead_letter"
        for target in p.applies_to
    }
    assert asynchronous - dead_lettered == {("customer-and-channels", "fraud-alerts-to-crm")}
    retries = [p for p in every(blueprints, "policies") if p.kind == "retry"]
    jittered = [p for p in retries if p.jitter is not None and p.jitter.value != "none"]
    assert len(jittered) == len(retries) - 1  # the RES-06 mistake


def test_decisions_and_review(blueprints: dict[str, Landscape]) -> None:
    in_review = blueprints["payments-and-cards"].blueprint
    assert in_review is not None and in_review.status.value == "in_review"
    assert in_review.reviews
    for name, landscape in blueprints.items():
        # a successor is in the blueprint of the decision it supersedes
        superseded = {d.id for d in landscape.decisions if d.status.value == "superseded"}
        successors = {s for d in landscape.decisions for s in d.supersedes}
        assert superseded <= successors, name
    decisions = every(blueprints, "decisions")
    assert sum(1 for d in decisions if d.status.value == "superseded") >= 3
    madr = [d for d in decisions if d.options and d.context and d.decision]
    assert len(madr) >= 8
    assert all(any(o.pros or o.cons for o in d.options) for d in madr)
    assert sum(1 for d in decisions if d.governs) >= 8


def test_waivers_one_expired_one_valid(blueprints: dict[str, Landscape]) -> None:
    today = datetime.date(2026, 11, 1)
    waivers = every(blueprints, "waivers")
    expired = [w for w in waivers if w.expires is not None and w.expires < today]
    valid = [w for w in waivers if w.expires is not None and w.expires >= today]
    assert expired and valid
    for waiver in waivers:
        assert waiver.justification and waiver.approved_by and waiver.decision


# --- README --------------------------------------------------------------------------------


def test_readme_lists_enough_mistakes_with_catalogue_rules(
    mistakes: list[tuple[str, str, list[str]]],
) -> None:
    assert len(mistakes) >= 25
    rules = {rule for rule, _, _ in mistakes}
    assert rules <= CATALOGUE
    areas = {rule.split("-")[0] for rule in rules}
    assert areas == {"CON", "RES", "SEC", "ADR", "GOV"}
    assert all(ids for _, _, ids in mistakes)
    assert {blueprint for _, blueprint, _ in mistakes} == {LANDSCAPE, *PROJECTS}


def test_every_id_in_the_mistake_list_exists(
    blueprints: dict[str, Landscape], mistakes: list[tuple[str, str, list[str]]]
) -> None:
    missing = sorted(
        {
            f"{blueprint}: {i}"
            for _, blueprint, ids in mistakes
            for i in ids
            if resolve(i, blueprint, blueprints) is None
        }
    )
    assert missing == []


def test_readme_counts_match_the_seed(blueprints: dict[str, Landscape]) -> None:
    text = README.read_text(encoding="utf-8")
    whole = text.split("## What is in it", 1)[1].split("\n## ", 1)[0]
    assert f"{len(every(blueprints, 'systems'))} systems" in whole
    assert f"| flows | {len(every(blueprints, 'flows'))} " in whole
    assert f"| contracts | {len(every(blueprints, 'contracts'))} " in whole
    assert f"{len(every(blueprints, 'credentials'))} credentials" in whole
    assert f"{len(every(blueprints, 'decisions'))} ADRs" in whole
    assert f"| components | {len(every(blueprints, 'components'))} " in whole
    assert f"| policies | {len(every(blueprints, 'policies'))} " in whole
    shape = text.split("## The shape", 1)[1].split("\n## ", 1)[0]
    for name in PROJECTS:
        landscape = blueprints[name]
        row = next(line for line in shape.splitlines() if line.startswith(f"| `{name}` "))
        assert f"{len(landscape.flows)} flows" in row, name
        assert f"{len(landscape.contracts)} contracts" in row, name
        assert f"{len(landscape.credentials)} credentials" in row, name
        assert f"{len(landscape.policies)} policies" in row, name
        assert f"{len(landscape.decisions)} decisions" in row, name
    landscape = blueprints[LANDSCAPE]
    row = next(line for line in shape.splitlines() if line.startswith(f"| `{LANDSCAPE}` "))
    for count, what in (
        (len(landscape.teams), "teams"),
        (len(landscape.systems), "systems"),
        (len(landscape.components), "components"),
        (len(landscape.classifications), "data classifications"),
        (len(landscape.contracts), "contracts"),
        (len(landscape.credentials), "workload identities"),
        (len(landscape.policies), "platform alerts"),
        (len(landscape.decisions), "decisions"),
    ):
        assert re.search(rf"\b{count} [^|]*?{what}", row), (count, what)


def test_the_interfaces_use_operations_types_headers_and_field_facts(
    blueprints: dict[str, Landscape],
) -> None:
    versions = [v for c in every(blueprints, "contracts") for v in c.versions]
    operations = [o for v in versions for o in v.operations]
    assert len(operations) >= 20
    assert {o.method for o in operations if o.method} >= {"GET", "POST"}
    mutating = [o for o in operations if o.is_mutating]
    # every mutating operation has its idempotency key, but the RES-08 mistake's
    assert {o.name for o in mutating if o.idempotency_key is None and not o.is_idempotent} == {
        "initiate-payment"
    }
    assert any(o.calls for o in operations)
    assert sum(len(v.types) for v in versions) >= 5
    fields = [item for landscape in blueprints.values() for item in landscape.fields()]
    assert any(f.ref for _, _, f, _ in fields)
    assert any(f.clear_for for _, _, f, _ in fields)
    assert any(f.sunset and f.replaced_by for _, _, f, _ in fields)
    assert any(f.nullable for _, _, f, _ in fields)
    assert any(f.format == "uuid" for _, _, f, _ in fields)
    used = [f for f in every(blueprints, "flows") if f.operations]
    assert len(used) >= 10


def test_the_runtime_topology_is_described(blueprints: dict[str, Landscape]) -> None:
    # Issue 11: every topology construct where the bank would have it.
    systems = every(blueprints, "systems")
    kinds = Counter(s.kind for s in systems)
    assert kinds[SystemKind.ACTOR] >= 2 and kinds[SystemKind.DATA_STORE] >= 2
    assert {s.persistence for s in systems if s.kind is SystemKind.DATA_STORE} >= {
        Persistence.NONE,
        Persistence.DURABLE,
    }
    assert any(s.endpoints for s in systems)
    environments = every(blueprints, "environments")
    assert [e.id for e in environments if e.production] == ["prod"]
    assert len(environments) >= 3
    components = every(blueprints, "components")
    instances = [c for c in components if c.instance_of is not None]
    assert {c.instance_of for c in instances} == {"kafka-cluster", "schema-registry"}
    assert all(c.environments for c in instances)
    channels = [c for c in components if c.kind in CHANNEL_KINDS and c.part_of == "kafka-cluster"]
    assert all(c.retention_ms is not None and c.replication_factor for c in channels)
    assert {c.id for c in channels if c.replication_factor == 1} == {"topic-fraud-alerts"}
    flows = every(blueprints, "flows")
    degradable = [f for f in flows if not f.required]
    assert len(degradable) >= 2 and all(f.fallback for f in degradable)
    replies = [f for f in flows if f.reply is not None]
    assert {f.id for f in replies} == {
        "sct-inst-to-core-credit",
        "sepa-to-core-bookings",
        "treasury-to-swift",
    }
    brokered = [
        f
        for f in flows
        if f.pattern in ASYNC_PATTERNS
        and any(v in {c.id for c in channels} or v.startswith("queue-") for v in f.via)
    ]
    # every consumer at a broker names its own identity (the SEC-18 mistake names the
    # publisher's)
    assert {f.id for f in brokered if f.receiver_credential is None} == set()
    credentials = every(blueprints, "credentials")
    towards = [c for c in credentials if c.towards]
    assert len(towards) >= 15 and all(c.permissions for c in towards)
    assert {c.id for c in credentials if any(p.wildcard for p in c.permissions)} == {
        "cred-kafka-data-lakehouse"
    }
    assert any(c.environments for c in credentials)
    operations = [
        o for c in every(blueprints, "contracts") for v in c.versions for o in v.operations
    ]
    assert any(len(o.calls) > 5 for o in operations)  # the RES-22 mistake
    assert any(f.kind == "alert" and f.response_seconds for f in every(blueprints, "policies"))
