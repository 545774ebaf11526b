"""Validation: one test per error kind (exact file, line, column, field), and all at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue
from integraph.blueprint.parse import load_blueprint_files
from tests.blueprint.conftest import ERRORS

BLUEPRINT = "blueprint: {id: bp, name: Test, version: '1'}\n"


def issues_in(*paths: Path) -> list[BlueprintIssue]:
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files(list(paths))
    return caught.value.issues


def issues_of(tmp_path: Path, **files: str) -> list[BlueprintIssue]:
    """Issues of a blueprint made of `files` (name without .yaml -> YAML text)."""
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text))
    return issues_in(tmp_path)


def where(issue: BlueprintIssue) -> tuple[str, int, int, str | None, str | None, str]:
    return (issue.file, issue.line, issue.column, issue.element_id, issue.field, issue.kind)


def test_yaml_syntax() -> None:
    folder = ERRORS / "yaml_syntax"
    [issue] = issues_in(folder)
    assert where(issue) == (str(folder / "systems.yaml"), 5, 7, None, None, "yaml_syntax")
    assert "started at line 4, column 11" in issue.message


def test_unknown_field() -> None:
    folder = ERRORS / "unknown_field"
    [issue] = issues_in(folder)
    expected = (str(folder / "systems.yaml"), 6, 5, "payments", "colour", "unknown_field")
    assert where(issue) == expected
    fields = (
        "id, name, description, owner, trust_zone, external, tier, lifecycle, technology, "
        "kind, store_type, engine, persistence, replicas, actor_type, channel, endpoints, tags"
    )
    assert str(issue).endswith(
        f"systems.yaml:6:5: system 'payments' field 'colour': unknown field; a system has: {fields}"
    )


def test_wrong_type() -> None:
    folder = ERRORS / "wrong_type"
    [issue] = issues_in(folder)
    assert where(issue) == (str(folder / "systems.yaml"), 4, 11, "shop", "tier", "wrong_type")
    assert issue.message == "should be a valid integer, got 'high'"


def test_invalid_value() -> None:
    folder = ERRORS / "invalid_value"
    [issue] = issues_in(folder)
    expected = (str(folder / "flows.yaml"), 11, 14, "orders-to-billing", "pattern")
    assert where(issue) == (*expected, "invalid_value")
    assert str(issue) == (
        f"{folder / 'flows.yaml'}:11:14: flow 'orders-to-billing' field 'pattern': "
        "'evnt' is not one of request_response, event, command, batch, stream"
    )


def test_missing_field() -> None:
    folder = ERRORS / "missing_field"
    [issue] = issues_in(folder)
    expected = (str(folder / "flows.yaml"), 6, 5, "orders-to-billing", "target", "missing_field")
    assert where(issue) == expected


def test_dangling_reference() -> None:
    folder = ERRORS / "dangling_reference"
    [issue] = issues_in(folder)
    expected = (str(folder / "flows.yaml"), 8, 13, "orders-to-billing", "target")
    assert where(issue) == (*expected, "dangling_reference")
    assert issue.message == "no system has id 'billing'"


def test_duplicate_id_across_files_and_kinds() -> None:
    folder = ERRORS / "duplicate_id"
    [issue] = issues_in(folder)
    assert where(issue) == (str(folder / "systems.yaml"), 2, 9, "billing", "id", "duplicate_id")
    assert issue.message == (
        f"id 'billing' is already used by the team defined at {folder / 'more' / 'teams.yaml'}:3"
    )


def test_reference_cycle_decision_superseding_itself() -> None:
    folder = ERRORS / "reference_cycle"
    [issue] = issues_in(folder)
    expected = (str(folder / "decisions.yaml"), 8, 28, "adr-0002", "supersedes")
    assert where(issue) == (*expected, "reference_cycle")


def test_secret() -> None:
    folder = ERRORS / "secret"
    [issue] = issues_in(folder)
    expected = (str(folder / "credentials.yaml"), 10, 17, "cred-shop", "secret_ref", "secret")
    assert where(issue) == expected
    assert "vault://" in issue.message
    assert "s3cr3t" not in str(issue)  # never echo the secret


def test_all_errors_are_reported_at_once_in_phase_order(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        a_broken="systems: [\n",
        b_systems="""\
        systems:
          - id: shop
            trust_zone: moon
          - id: pay
            trust_zone: internal
            owner: nobody
        """,
        c_flows="""\
        flows:
          - id: f1
            source: shop
            target: pay
            pattern: event
            colour: red
        """,
    )
    kinds = [i.kind for i in issues]
    # Syntax first; then schema problems in file order; then references (skipped for
    # dangling ids here, since a file could not be read).
    assert kinds == ["yaml_syntax", "invalid_value", "unknown_field"]


def test_references_are_checked_when_all_files_parse(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems="""\
        systems:
          - id: shop
            trust_zone: public
            owner: nobody
          - id: pay
            trust_zone: internal
        components:
          - id: gw
            kind: api_gateway
        flows:
          - id: f1
            source: shop
            target: gw
            pattern: request_response
            via: [gw, shop]
        """,
    )
    assert [(i.line, i.field, i.message) for i in issues] == [
        (4, "owner", "no team has id 'nobody'"),
        (13, "target", "'gw' is a component, not a system"),
        (15, "via", "'shop' is a system, not a component"),
    ]


def test_invalid_elements_do_not_cause_dangling_references(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems="""\
        systems:
          - id: shop
            trust_zone: nowhere
        flows:
          - id: f1
            source: shop
            target: shop
            pattern: event
        """,
    )
    assert [i.kind for i in issues] == ["invalid_value"]


def test_contract_versions_and_masked_fields_must_exist(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        all="""\
        systems:
          - {id: a, trust_zone: internal}
          - {id: b, trust_zone: internal}
        contracts:
          - id: api
            kind: openapi
            versions:
              - version: "1.0.0"
                request:
                  - {path: /pan, type: string, classification: pci}
        flows:
          - id: f
            source: a
            target: b
            pattern: request_response
            contract: api
            producer_version: "2.0.0"
            consumer_version: "1.0.0"
          - id: g
            source: a
            target: b
            pattern: request_response
            contract: api
            consumer_version: "1.0.0"
            masking:
              - {field: request/pan, method: tokenised}
              - {field: response/pan, method: hashed}
        """,
    )
    assert [(i.line, i.element_id, i.field, i.kind) for i in issues] == [
        (10, "api", "versions[0].request[0].classification", "dangling_reference"),
        (17, "f", "producer_version", "dangling_reference"),
        (27, "g", "masking[1].field", "dangling_reference"),
    ]
    assert issues[1].message == "contract 'api' has no version '2.0.0' (versions: 1.0.0)"
    assert issues[2].message == "contract version 'api@1.0.0' has no field 'response/pan'"


def test_duplicate_versions_and_fields(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        contracts="""\
        contracts:
          - id: api
            kind: avro
            versions:
              - version: "1"
                message:
                  - {path: /a, type: string}
                  - {path: /a, type: long}
              - version: "1"
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (8, "versions[0].message[1].path", "duplicate_id"),
        (9, "versions[1].version", "duplicate_id"),
    ]


def test_supersession_loop(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        decisions="""\
        decisions:
          - {id: adr-2, title: B, status: accepted, supersedes: [adr-3]}
          - {id: adr-1, title: A, status: superseded, supersedes: [adr-2]}
          - {id: adr-3, title: C, status: superseded, supersedes: [adr-1]}
        """,
    )
    [issue] = issues
    assert (issue.line, issue.element_id, issue.kind) == (3, "adr-1", "reference_cycle")
    assert issue.message == "'supersedes' forms a loop: adr-1 -> adr-2 -> adr-3 -> adr-1"


def test_component_part_of_cycle(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        components="""\
        components:
          - {id: a, kind: topic, part_of: b}
          - {id: b, kind: broker, part_of: a}
        """,
    )
    assert [i.kind for i in issues] == ["reference_cycle"]


def test_unknown_section_and_wrong_section_type(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, x="sytems: []\nflows: {id: f}\n")
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (1, "sytems", "unknown_field"),
        (2, "flows", "wrong_type"),
    ]
    assert issues[0].message == "unknown section (did you mean 'systems'?)"


def test_policy_kind_is_checked_first(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        policies="""\
        policies:
          - {id: p1, kind: retyr, max_attempts: 3}
          - {id: p2, max_attempts: 3}
          - {id: p3, kind: retry, max_attempts: 0, jitter: half}
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (2, "kind", "invalid_value"),
        (3, "kind", "missing_field"),
        (4, "max_attempts", "invalid_value"),
        (4, "jitter", "invalid_value"),
    ]


def test_unquoted_version_number_gets_a_hint(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        contracts="contracts:\n  - id: api\n    kind: avro\n    versions:\n      - version: 1.0\n",
    )
    [issue] = issues
    assert (issue.field, issue.kind) == ("versions[0].version", "wrong_type")
    assert issue.message == 'should be a valid string, got 1.0 (write it in quotes: "1.0")'


def test_unknown_field_suggests_the_closest_name(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, s="systems:\n  - {id: a, trust_zon: internal}\n")
    assert [(i.field, i.kind, i.message) for i in issues] == [
        ("trust_zone", "missing_field", "missing required field"),
        (
            "trust_zon",
            "unknown_field",
            "unknown field (did you mean 'trust_zone'?); a system has: "
            "id, name, description, owner, trust_zone, external, tier, lifecycle, technology, "
            "kind, store_type, engine, persistence, replicas, actor_type, channel, endpoints, tags",
        ),
    ]


def test_staleness_only_with_eventual_consistency(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        flows="""\
        systems: [{id: a, trust_zone: internal}]
        flows:
          - {id: f, source: a, target: a, pattern: event, consistency: strong,
             max_staleness_seconds: 10}
        """,
    )
    assert [(i.field, i.kind) for i in issues] == [("max_staleness_seconds", "invalid_value")]


def test_waiver_needs_element_or_fingerprint(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, w="waivers: [{id: w, rule: SEC-01, justification: ok}]\n")
    assert [(i.field, i.kind) for i in issues] == [("element", "missing_field")]


def test_second_blueprint_section_is_a_duplicate(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, other="blueprint: {id: other, name: O, version: '2'}\n")
    assert [i.kind for i in issues] == ["duplicate_id"]


def test_element_that_is_not_a_mapping(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, t="teams:\n  - just-a-name\n")
    assert [(i.line, i.column, i.kind) for i in issues] == [(2, 5, "wrong_type")]


def test_an_element_with_a_type_error_still_has_its_references_checked(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        all="""\
        systems:
          - {id: a, trust_zone: internal}
        contracts:
          - id: api
            kind: openapi
            versions:
              - version: "1.0.0"
        flows:
          - id: f
            source: a
            target: nowhere
            pattern: request_response
            latency_p99_ms: fast
            contract: api
            producer_version: "9.9.9"
            via: [no-gateway]
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (13, "latency_p99_ms", "wrong_type"),
        (11, "target", "dangling_reference"),
        (15, "producer_version", "dangling_reference"),
        (16, "via", "dangling_reference"),
    ]
    assert issues[2].message == "contract 'api' has no version '9.9.9' (versions: 1.0.0)"


def test_a_contract_with_a_type_error_still_defines_its_versions_and_fields(
    tmp_path: Path,
) -> None:
    issues = issues_of(
        tmp_path,
        all="""\
        systems:
          - {id: a, trust_zone: internal}
        contracts:
          - id: api
            kind: openapi
            tags: red
            versions:
              - version: "1.0.0"
                request:
                  - {path: /pan, type: string, classification: pci}
        flows:
          - id: f
            source: a
            target: a
            pattern: request_response
            contract: api
            producer_version: "1.0.0"
            masking:
              - {field: request/pan, method: tokenised}
              - {field: request/cvv, method: tokenised}
        waivers:
          - {id: w, rule: SEC-01, element: "api@1.0.0#request/pan", justification: ok}
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [
        (6, "tags", "wrong_type"),
        (10, "versions[0].request[0].classification", "dangling_reference"),
        (20, "masking[1].field", "dangling_reference"),
    ]


def test_references_to_an_element_with_an_invalid_id_are_not_dangling(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        all="""\
        systems:
          - {id: 42, trust_zone: internal}
          - {id: b, trust_zone: internal}
        flows:
          - {id: f, source: "42", target: b, pattern: event}
        """,
    )
    assert [(i.line, i.field, i.kind) for i in issues] == [(2, "id", "wrong_type")]


def test_unknown_field_lists_the_fields_of_that_kind(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        all="""\
        teams:
          - {id: t, colour: red}
        contracts:
          - id: api
            kind: avro
            versions:
              - {version: "1", colour: red}
        """,
    )
    assert [(i.field, i.kind) for i in issues] == [
        ("colour", "unknown_field"),
        ("versions[0].colour", "unknown_field"),
    ]
    assert issues[0].message == (
        "unknown field; a team has: id, name, description, email, on_call, tags"
    )
    assert issues[1].message.startswith("unknown field; a contract version has: version, ")
