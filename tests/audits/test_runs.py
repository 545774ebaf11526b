"""Audit runs over a scripted sequence of graph changes: exact new / persisting / reopened /
resolved marks, a run made partial by a rule that times out, an expiring waiver, history,
diff, trend and retention, against the session's Neo4j."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from integraph.audits import service
from integraph.audits.runs import run_audit
from integraph.config import load_settings
from integraph.errors import DatabaseUnavailable
from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules
from integraph.store.driver import Store
from tests.lint.harness import write_blueprint

HEADER = """// id: {id}
// title: {title}
// severity: error
// area: custom
// rationale: A rule of the audit tests.
// remediation: Fix it.
// references:
//   - https://example.com/rules/{id}
"""
TIER_ONE = (
    "MATCH (s:System) WHERE s.tier = 1 RETURN s.id AS element, 'tier 1: ' + s.id AS message\n"
)
SLOW = (
    "MATCH (s:System) WHERE s.id ENDS WITH ':slow'\n"
    "UNWIND range(1, 300000000) AS x WITH s, x WHERE x = -1\n"
    "RETURN s.id AS element, 'never' AS message\n"
)
BEFORE_EXPIRY = datetime.date(2026, 11, 1)
AFTER_EXPIRY = datetime.date(2026, 12, 15)


@pytest.fixture
def rules(tmp_path: Path) -> list[Any]:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "AUD-01.cypher").write_text(HEADER.format(id="AUD-01", title="Tier one") + TIER_ONE)
    (folder / "AUD-02.cypher").write_text(HEADER.format(id="AUD-02", title="Slow") + SLOW)
    return choose_rules(rule_dirs=[folder], ids=["AUD-01", "AUD-02"])


def system(sid: str, tier: int) -> dict[str, Any]:
    return {
        "id": sid,
        "name": sid.title(),
        "tier": tier,
        "owner": "team-a",
        "trust_zone": "internal",
    }


async def landscape(graph: Store, folder: Path, systems: list[dict[str, Any]], **more: Any) -> None:
    write_blueprint(
        folder, {"teams": [{"id": "team-a", "name": "Team A"}], "systems": systems, **more}
    )
    await load_blueprint(graph, [folder], prune=True)


def marks(run: Any) -> dict[str, tuple[str, str]]:
    """element -> (mark, status) of the run's AUD-01 findings."""
    return {f.element.split(":")[1]: (f.mark, f.status) for f in run.findings if f.rule == "AUD-01"}


async def test_a_scripted_sequence_of_changes_gets_exact_marks(graph, tmp_path, rules) -> None:
    folder = tmp_path / "bp"
    config = LintConfig(rule_timeout_s=2)

    async def audit(today: datetime.date = BEFORE_EXPIRY) -> Any:
        return await run_audit(graph, rules, config=config, today=today)

    await landscape(graph, folder, [system("a", 1), system("b", 1), system("c", 2)])
    first = await audit()
    assert first.status == "complete" and first.previous is None
    assert marks(first) == {"a": ("new", "open"), "b": ("new", "open")}
    assert {f.team for f in first.findings} == {"test-bp:team-a"}

    await landscape(graph, folder, [system("a", 1), system("b", 2), system("d", 1)])
    second = await audit()
    assert second.previous == first.id
    assert marks(second) == {
        "a": ("persisting", "open"),
        "d": ("new", "open"),
        "b": ("resolved", "open"),
    }
    assert second.counts["resolved"] == 1 and second.counts["new"] == 1

    # A rule that times out: the run is partial, says which rule, and resolves nothing.
    await landscape(graph, folder, [system("a", 1), system("slow", 2)])
    third = await audit()
    assert third.status == "partial" and third.rules_not_run == ("AUD-02",)
    assert "timed out" in " ".join(third.errors)
    assert third.previous == second.id
    assert marks(third) == {"a": ("persisting", "open")}  # d is gone, yet not resolved

    # A waiver: the finding is recorded waived; once the waiver expires it is reopened.
    waiver = {
        "id": "w-a",
        "rule": "AUD-01",
        "element": "a",
        "justification": "accepted until the migration",
        "expires": "2026-12-01",
    }
    await landscape(graph, folder, [system("a", 1), system("d", 1)], waivers=[waiver])
    fourth = await audit(BEFORE_EXPIRY)
    assert fourth.status == "complete" and fourth.previous == second.id
    assert marks(fourth) == {"a": ("persisting", "waived"), "d": ("persisting", "open")}
    assert fourth.counts["waived"] == 1
    fifth = await audit(AFTER_EXPIRY)
    assert marks(fifth) == {"a": ("reopened", "open"), "d": ("persisting", "open")}
    assert any("expired" in p for p in fifth.waiver_problems)

    # Read back: list, show, diff, history, trend.
    listed = await service.runs(graph)
    assert [r.id for r in listed] == [fifth.id, fourth.id, third.id, second.id, first.id]
    shown = await service.run(graph, second.id)
    assert marks(shown) == marks(second) and shown.counts == second.counts
    changes = await service.diff(graph, fourth.id, fifth.id)
    assert [(c.after.element, c.before.status, c.after.status) for c in changes.changed] == [
        ("test-bp:a", "waived", "open")
    ]
    assert changes.appeared == [] and changes.disappeared == [] and changes.unchanged == 1
    fingerprint = next(f.fingerprint for f in first.findings if f.element == "test-bp:a")
    history = await service.history(graph, fingerprint)
    assert [(h.run.id, h.finding.mark) for h in history] == [
        (first.id, "new"),
        (second.id, "persisting"),
        (third.id, "persisting"),
        (fourth.id, "persisting"),
        (fifth.id, "reopened"),
    ]
    trend = await service.trend(graph, by="severity")
    assert [p.run for p in trend] == [first.id, second.id, fourth.id, fifth.id]  # complete only
    assert [p.counts.get("error", 0) for p in trend] == [2, 2, 1, 2]


async def test_retention_prunes_old_runs_in_batches(graph, tmp_path, rules) -> None:
    await landscape(graph, tmp_path / "bp", [system("a", 1)])
    made = [await run_audit(graph, rules[:1], config=LintConfig()) for _ in range(5)]
    assert await service.prune(graph, keep=2, days=None) == 3
    assert [r.id for r in await service.runs(graph)] == [made[4].id, made[3].id]
    assert await service.prune(graph, keep=None, days=None) == 0


async def test_an_audit_through_the_service_stores_alert_attempts(graph, tmp_path, rules) -> None:
    """A webhook that refuses the target (loopback without allow_private) never fails a run."""
    await landscape(graph, tmp_path / "bp", [system("a", 1)])
    hooks = '[{"name": "ops", "url": "http://127.0.0.1:9/hook", "min_severity": "error"}]'
    settings = load_settings(audit_webhooks=hooks, audit_keep_runs=10)
    outcome = await service.audit(graph, settings, rules[:1], config=LintConfig())
    assert outcome.run.status == "complete" and outcome.run.counts["new"] == 1
    (delivery,) = outcome.deliveries
    assert not delivery.delivered and delivery.attempts[0].outcome == "refused"
    stored = await service.deliveries(graph, outcome.run.id)
    assert [(d["webhook"], d["outcome"]) for d in stored] == [("ops", "refused")]


async def test_a_run_the_database_failed_is_stored_failed_and_resolves_nothing(
    graph, tmp_path, rules, monkeypatch
) -> None:
    await landscape(graph, tmp_path / "bp", [system("a", 1)])
    complete = await run_audit(graph, rules[:1], config=LintConfig())

    async def gone(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseUnavailable("Neo4j at bolt://127.0.0.1:1 did not answer")

    monkeypatch.setattr("integraph.audits.runs.lint", gone)
    failed = await run_audit(graph, rules[:1], config=LintConfig())
    assert failed.status == "failed" and failed.findings == []
    assert failed.rules_not_run == ("AUD-01",) and "did not answer" in failed.errors[0]
    monkeypatch.undo()
    stored = await service.run(graph, failed.id)
    assert stored.status == "failed" and stored.errors == failed.errors
    after = await run_audit(graph, rules[:1], config=LintConfig())
    assert after.previous == complete.id  # compared with the last complete run, not the failed
    assert marks(after) == {"a": ("persisting", "open")}
