"""Decision (ADR-01..04) and governance (GOV-01..03) rules against the real Neo4j."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.findings import LintReport
from integraph.lint.rules import Severity
from integraph.lint.service import choose_rules, lint
from integraph.store.driver import Store
from tests.lint.harness import (
    BLUEPRINT,
    TODAY,
    findings_of,
    lint_blueprint,
    short,
    write_blueprint,
)

Found = list[tuple[str, tuple[str, ...]]]


def _system(system_id: str, zone: str = "internal", **extra: object) -> dict[str, object]:
    return {"id": system_id, "name": system_id.title(), "trust_zone": zone, **extra}


def _decision(decision_id: str, status: str, **extra: object) -> dict[str, object]:
    return {"id": decision_id, "title": f"Decision {decision_id}", "status": status, **extra}


def _flow(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": source,
        "target": target,
        "pattern": "request_response",
        **extra,
    }


def _of(report: LintReport, rule_id: str) -> Found:
    """(element, related) of the findings of ``rule_id``, by the test blueprint's short ids."""
    assert not report.rule_errors, report.rule_errors
    return [
        (short(f.element), tuple(short(r) for r in f.related))
        for f in report.findings
        if f.rule.id == rule_id
    ]


def _messages(report: LintReport) -> dict[str, str]:
    """Each finding's message by its element's short id."""
    return {short(f.element): f.message for f in report.findings}


async def _lint_with_extra_graph(
    graph: Store, folder: Path, sections: dict[str, Any], rule_ids: list[str], cypher: str
) -> LintReport:
    """Load the blueprint, then change the graph as no blueprint file can, then lint."""
    await load_blueprint(graph, [write_blueprint(folder, sections)])
    await graph.write_transaction(lambda tx: tx.run_text(cypher))
    return await lint(graph, choose_rules(ids=rule_ids), config=LintConfig(), today=TODAY)


# ADR-01: significant choice without an accepted decision

CHOICES: dict[str, Any] = {
    "systems": [
        _system("shop"),
        _system("billing"),
        _system("acme", "partner"),
        _system("carrier", external=True),
    ],
    "components": [
        {"id": "kafka", "kind": "broker", "technology": "Apache Kafka 3.7"},
        # An environment's cluster of the logical broker is no choice of its own.
        {"id": "kafka-prod", "kind": "broker", "instance_of": "kafka"},
        {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
        {"id": "old-bus", "kind": "esb"},
    ],
    "contracts": [
        {"id": "orders-api", "kind": "openapi", "compatibility": "NONE"},
        {"id": "billing-api", "kind": "openapi", "compatibility": "BACKWARD"},
    ],
    "credentials": [
        {"id": "cred-key", "kind": "api_key", "secret_ref": "vault://kv/key", "held_by": ["shop"]},
        {
            "id": "cred-oauth",
            "kind": "oauth2_client_credentials",
            "secret_ref": "vault://kv/oauth",
            "held_by": ["billing"],
        },
    ],
    "flows": [
        _flow("shop-to-acme", "shop", "acme"),
        _flow("carrier-to-shop", "carrier", "shop"),
        _flow("shop-to-billing", "shop", "billing"),
    ],
    "waivers": [
        {
            "id": "w-key",
            "rule": "SEC-02",
            "element": "cred-key",
            "justification": "Acme only supports API keys until Q3.",
        }
    ],
}


async def test_adr01_choices_without_accepted_decision(graph: Store, tmp_path: Path) -> None:
    sections = {
        **CHOICES,
        "decisions": [
            _decision("adr-1", "proposed", governs=["orders-api"]),
            _decision("adr-2", "rejected", governs=["kafka"]),
            _decision("adr-3", "superseded", governs=["old-bus"]),  # ADR-02's, not ADR-01's
            _decision("adr-4", "accepted", supersedes=["adr-3"]),
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["ADR-01"])
    assert _of(report, "ADR-01") == [
        ("carrier-to-shop", ()),
        ("cred-key", ()),
        ("kafka", ()),
        ("orders-api", ()),
        ("shop-to-acme", ()),
        ("w-key", ()),
    ]
    messages = _messages(report)
    assert "only test-bp:adr-2 (rejected) back it" in messages["kafka"]
    assert messages["orders-api"].startswith("contract test-bp:orders-api with compatibility NONE")
    assert report.findings[0].details["party"] == "test-bp:carrier"


async def test_adr01_accepted_decisions_cover_the_choices(graph: Store, tmp_path: Path) -> None:
    sections = {
        **CHOICES,
        "waivers": [{**CHOICES["waivers"][0], "decision": "adr-keys"}],
        "decisions": [
            _decision("adr-keys", "accepted", governs=["cred-key"]),
            _decision("adr-platform", "accepted", governs=["kafka", "orders-api"]),
            # a partner flow is covered by a decision on the flow or on the partner system
            _decision("adr-partners", "accepted", governs=["shop-to-acme", "carrier"]),
            _decision("adr-old", "superseded", governs=["old-bus"]),
            _decision("adr-new", "accepted", supersedes=["adr-old"]),
        ],
    }
    assert await findings_of(graph, tmp_path, "ADR-01", sections) == []


# ADR-02: governed by a deprecated or superseded decision

RETIRED: dict[str, Any] = {
    "systems": [_system("shop"), _system("billing")],
    "credentials": [
        {"id": "cred-a", "kind": "mtls", "secret_ref": "vault://kv/a", "held_by": ["shop"]}
    ],
    "flows": [_flow("shop-to-billing", "shop", "billing", credential="cred-a")],
}


async def test_adr02_retired_governance_and_missing_successor(graph: Store, tmp_path: Path) -> None:
    sections = {
        **RETIRED,
        "decisions": [
            _decision("adr-1", "superseded", governs=["cred-a"]),
            _decision("adr-2", "accepted", supersedes=["adr-1"]),
            _decision("adr-3", "deprecated", governs=["shop-to-billing"]),
            _decision("adr-4", "superseded"),
            _decision("adr-5", "superseded"),
            _decision("adr-6", "proposed", supersedes=["adr-5"]),
        ],
        "waivers": [
            {
                "id": "w-1",
                "rule": "SEC-07",
                "element": "shop-to-billing",
                "justification": "Internal only.",
                "decision": "adr-3",
            }
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["ADR-02"])
    assert _of(report, "ADR-02") == [
        ("adr-4", ()),
        ("adr-5", ()),
        ("cred-a", ("adr-1",)),
        ("shop-to-billing", ("adr-3",)),
        ("w-1", ("adr-3",)),
    ]
    messages = _messages(report)
    assert "have test-bp:adr-2 govern it" in messages["cred-a"]
    assert "only test-bp:adr-6 (proposed)" in messages["adr-5"]


async def test_adr02_successor_governs_too_and_chain_is_complete(
    graph: Store, tmp_path: Path
) -> None:
    sections = {
        **RETIRED,
        "decisions": [
            _decision("adr-1", "superseded", governs=["cred-a"]),
            _decision("adr-2", "superseded", supersedes=["adr-1"], governs=["cred-a"]),
            _decision("adr-3", "accepted", supersedes=["adr-2"], governs=["cred-a"]),
            _decision("adr-4", "deprecated"),  # deprecated: no successor needed
        ],
    }
    assert await findings_of(graph, tmp_path, "ADR-02", sections) == []


# ADR-03: broken supersession chain


async def test_adr03_rival_successors(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "ADR-03",
        {
            "decisions": [
                _decision("adr-1", "superseded"),
                _decision("adr-2", "accepted", supersedes=["adr-1"]),
                _decision("adr-3", "proposed", supersedes=["adr-1"]),
            ],
        },
    )
    assert found == [("adr-1", ("adr-2", "adr-3"))]


async def test_adr03_cycles_written_into_the_graph(graph: Store, tmp_path: Path) -> None:
    sections = {
        "decisions": [
            _decision("adr-b", "superseded", supersedes=["adr-a"]),
            _decision("adr-c", "superseded", supersedes=["adr-b"]),
            _decision("adr-a", "superseded"),
            _decision("adr-s", "accepted"),
        ],
    }
    # The loader refuses cycles, so close them behind its back.
    report = await _lint_with_extra_graph(
        graph,
        tmp_path / "bp",
        sections,
        ["ADR-03"],
        "MATCH (a:Decision {id: 'test-bp:adr-a'}), (c:Decision {id: 'test-bp:adr-c'}),"
        " (s:Decision {id: 'test-bp:adr-s'})"
        " CREATE (a)-[:SUPERSEDES]->(c), (s)-[:SUPERSEDES]->(s)",
    )
    assert _of(report, "ADR-03") == [("adr-a", ("adr-b", "adr-c")), ("adr-s", ())]
    assert (
        "test-bp:adr-a -> test-bp:adr-c -> test-bp:adr-b -> test-bp:adr-a"
        in report.findings[0].message
    )
    assert report.findings[1].message == "decision test-bp:adr-s supersedes itself"


async def test_adr03_linear_chain_with_shortcut_and_rejected_rival(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "ADR-03",
        {
            "decisions": [
                _decision("adr-1", "superseded"),
                _decision("adr-2", "superseded", supersedes=["adr-1"]),
                # supersedes both: adr-2 is an intermediate step, not a rival
                _decision("adr-3", "accepted", supersedes=["adr-1", "adr-2"]),
                _decision("adr-4", "rejected", supersedes=["adr-3"]),
                _decision("adr-5", "accepted", supersedes=["adr-3"]),
            ],
        },
    )
    assert found == []


# ADR-04: incomplete decision record

OPTIONS = [{"name": "Kafka", "pros": ["replay"]}, {"name": "RabbitMQ", "cons": ["no replay"]}]


async def test_adr04_missing_parts(graph: Store, tmp_path: Path) -> None:
    sections = {
        "decisions": [
            _decision("adr-1", "accepted"),
            _decision(
                "adr-2",
                "proposed",
                context="Orders are lost.",
                decision="We will...",
                consequences="A broker to run.",
                options=OPTIONS[:1],
            ),
            _decision(
                "adr-3",
                "accepted",
                context="  ",
                chosen_option="Kafka",
                consequences="A broker to run.",
                options=OPTIONS,
            ),
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["ADR-04"])
    assert _of(report, "ADR-04") == [("adr-1", ()), ("adr-2", ()), ("adr-3", ())]
    missing = {short(f.element): f.details["missing"] for f in report.findings}
    assert missing == {
        "adr-1": ["context", "options", "decision", "consequences"],
        "adr-2": ["options"],
        "adr-3": ["context"],
    }
    assert "(1 option(s) considered, at least 2 expected)" in report.findings[1].message


async def test_adr04_complete_record_and_history_left_alone(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "ADR-04",
        {
            "decisions": [
                _decision(
                    "adr-1",
                    "accepted",
                    context="Orders are lost.",
                    chosen_option="Kafka",
                    consequences="A broker to run.",
                    options=OPTIONS,
                ),
                _decision("adr-0", "superseded"),
            ],
        },
    )
    assert found == []


# GOV-01: approved blueprint with unwaived error findings

SHARED: dict[str, Any] = {
    "systems": [_system("shop"), _system("billing")],
    "credentials": [
        {
            "id": "cred-shared",
            "kind": "mtls",
            "secret_ref": "vault://kv/shared",
            "held_by": ["shop", "billing"],
        },
    ],
}
APPROVED = {**BLUEPRINT, "status": "approved"}


async def test_gov01_approved_with_open_error(graph: Store, tmp_path: Path) -> None:
    sections = {
        **SHARED,
        "blueprint": APPROVED,
        "waivers": [
            {
                "id": "w-old",
                "rule": "SEC-01",
                "element": "cred-shared",
                "justification": "Was fine last year.",
                "expires": "2020-01-31",
            }
        ],
    }
    # GOV-01 sorts before SEC-01 but runs after it; an expired waiver does not count
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["GOV-01", "SEC-01"])
    assert _of(report, "GOV-01") == [("test-bp", ())]
    (finding,) = [f for f in report.findings if f.rule.id == "GOV-01"]
    assert finding.message == (
        "blueprint test-bp (version 1.0) is approved but has 1 unwaived error finding(s): "
        "SEC-01 on test-bp:cred-shared"
    )
    assert finding.location.kind == "Blueprint"
    assert [r.rule.id for r in report.runs] == ["SEC-01", "GOV-01"]


async def test_gov01_scope_and_files_lint(graph: Store, tmp_path: Path) -> None:
    sections = {**SHARED, "blueprint": {**APPROVED, "scope": ["cred-shared"]}}
    folder = write_blueprint(tmp_path / "bp", sections)
    rules = choose_rules(ids=["GOV-01", "SEC-01"])
    report = await lint(graph, rules, paths=[folder], config=LintConfig(), today=TODAY)
    assert _of(report, "GOV-01") == [("test-bp", ())]


async def test_gov01_waived_out_of_scope_draft_or_warning(graph: Store, tmp_path: Path) -> None:
    waived = {
        **SHARED,
        "blueprint": APPROVED,
        "waivers": [
            {
                "id": "w-ok",
                "rule": "SEC-01",
                "element": "cred-shared",
                "justification": "Batch client, replaced in Q1.",
                "expires": "2099-01-31",
            }
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "a", waived, ["GOV-01", "SEC-01"])
    assert _of(report, "GOV-01") == []

    for variant in (
        {**SHARED, "blueprint": {**APPROVED, "scope": ["shop"]}},  # finding out of scope
        {**SHARED, "blueprint": {**APPROVED, "status": "in_review"}},
    ):
        await graph.write("queries/db/clear")
        report = await lint_blueprint(graph, tmp_path / "b", variant, ["GOV-01", "SEC-01"])
        assert _of(report, "SEC-01") == [("cred-shared", ("billing", "shop"))]
        assert _of(report, "GOV-01") == []

    await graph.write("queries/db/clear")
    config = LintConfig(severity={"SEC-01": Severity.WARNING})
    sections = {**SHARED, "blueprint": APPROVED}
    report = await lint_blueprint(
        graph, tmp_path / "c", sections, ["GOV-01", "SEC-01"], config=config
    )
    assert _of(report, "GOV-01") == []


# GOV-02: expired waiver


async def test_gov02_expired_waiver(graph: Store, tmp_path: Path) -> None:
    sections = {
        **SHARED,
        "waivers": [
            {
                "id": "w-old",
                "rule": "SEC-01",
                "element": "cred-shared",
                "justification": "Was fine last year.",
                "expires": "2020-01-31",
            }
        ],
    }
    report = await lint_blueprint(graph, tmp_path / "bp", sections, ["GOV-02", "SEC-01"])
    assert _of(report, "GOV-02") == [("w-old", ())]
    (finding,) = [f for f in report.findings if f.rule.id == "GOV-02"]
    assert finding.message == (
        "waiver test-bp:w-old of SEC-01 expired on 2020-01-31; it no longer applies to "
        "test-bp:cred-shared"
    )
    # the engine's waiver check agrees
    assert [(p.waiver, p.kind) for p in report.waiver_problems] == [("test-bp:w-old", "expired")]


async def test_gov02_current_or_open_ended_waivers(graph: Store, tmp_path: Path) -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()  # the database's date()
    found = await findings_of(
        graph,
        tmp_path,
        "GOV-02",
        {
            **SHARED,
            "waivers": [
                {
                    "id": "w-today",
                    "rule": "SEC-01",
                    "element": "cred-shared",
                    "justification": "Last day.",
                    "expires": today,
                },
                {
                    "id": "w-later",
                    "rule": "SEC-01",
                    "element": "shop",
                    "justification": "Later.",
                    "expires": "2099-12-31",
                },
                {
                    "id": "w-forever",
                    "rule": "SEC-01",
                    "element": "billing",
                    "justification": "No end date.",
                },
            ],
        },
    )
    assert found == []


# GOV-03: element outside any review, or system without an owner team

TEAMS = [{"id": "team-a", "name": "Team A"}]
LANDSCAPE: dict[str, Any] = {
    "teams": TEAMS,
    "systems": [
        _system("shop", owner="team-a"),
        _system("billing"),
        _system("legacy", lifecycle="retired"),
    ],
    "components": [
        {"id": "kafka", "kind": "broker", "owner": "team-a"},
        {"id": "orders-topic", "kind": "topic", "part_of": "kafka"},
        {"id": "ftp", "kind": "file_transfer"},
    ],
    "flows": [
        _flow("shop-to-billing", "shop", "billing"),
        _flow("billing-to-shop", "billing", "shop"),
    ],
}


async def test_gov03_unowned_and_out_of_scope(graph: Store, tmp_path: Path) -> None:
    sections = {
        **LANDSCAPE,
        "blueprint": {**BLUEPRINT, "scope": ["billing", "kafka", "shop-to-billing"]},
    }
    found = await findings_of(graph, tmp_path, "GOV-03", sections)
    assert found == [
        ("billing", ()),  # no owner (in scope)
        ("billing-to-shop", ("test-bp",)),
        ("ftp", ("test-bp",)),
        ("legacy", ("test-bp",)),  # retired: no owner needed, but outside the scope
        ("shop", ("test-bp",)),
    ]  # orders-topic is part of the scoped broker


async def test_gov03_element_in_no_blueprint(graph: Store, tmp_path: Path) -> None:
    sections = {**LANDSCAPE, "systems": [_system("shop", owner="team-a")], "flows": []}
    sections["components"] = LANDSCAPE["components"][:2]
    report = await _lint_with_extra_graph(
        graph,
        tmp_path / "bp",
        sections,
        ["GOV-03"],
        "CREATE (:Element:System {id: 'stray', trust_zone: 'internal'})",
    )
    assert _of(report, "GOV-03") == [("stray", ())]
    assert report.findings[0].message == (
        "system stray belongs to no blueprint: no review has seen it, and it has no owner team"
    )


async def test_gov03_owned_and_reviewed_as_a_whole(graph: Store, tmp_path: Path) -> None:
    owned = {
        **LANDSCAPE,
        "systems": [
            _system("shop", owner="team-a"),
            _system("billing", owner="team-a"),
            _system("legacy", lifecycle="retired"),
        ],
    }
    assert await findings_of(graph, tmp_path / "a", "GOV-03", owned) == []

    await graph.write("queries/db/clear")
    scoped = {**owned, "blueprint": {**BLUEPRINT, "scope": ["shop"]}}
    config = LintConfig(parameters={"GOV-03": {"check_scope": False}})
    assert await findings_of(graph, tmp_path / "b", "GOV-03", scoped, config=config) == []
