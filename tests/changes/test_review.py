"""The review workflow: submit, request changes, approve (gated by the lint), each audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from integraph.auth.principal import Forbidden
from integraph.changes import review as review_module
from integraph.changes.audit_trail import audit_trail
from integraph.changes.errors import (
    ApprovalRefused,
    ConcurrentChange,
    MutationRefused,
    TransitionRefused,
)
from integraph.changes.review import approve, request_changes, submit_for_review
from integraph.changes.waivers import add_waiver
from integraph.knowledge.load import export_blueprint, load_knowledge
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules
from integraph.model import BlueprintStatus, ReviewVerdict
from integraph.store.audit import AuditContext
from integraph.store.driver import Store
from tests.changes.conftest import (
    APPROVER,
    CRM_EDITOR,
    EDITOR,
    KNOWLEDGE,
    READER,
    prop,
    whole_graph,
)

TODAY = datetime.date(2026, 12, 1)
PATIENT = LintConfig(rule_timeout_s=120)
"""A shared 2-core machine can take more than the default 10 s over one rule."""
RULES = choose_rules(ids=["CON-01", "SEC-07", "RES-10", "GOV-01"], config=PATIENT)
"""Enough of the catalogue to find crm-sync's errors, quickly (one test runs it all)."""

WAIVERS = [
    {
        "id": "waiver-feed-contract",
        "rule": "CON-01",
        "element": "settlement-feed",
        "justification": "The file format is the processor's, documented in the partner contract.",
        "expires": "2027-01-31",
    },
    {
        "id": "waiver-feed-auth",
        "rule": "SEC-07",
        "element": "settlement-feed",
        "justification": "The file arrives over SFTP with a host key; the flow carries no token.",
        "expires": "2027-01-31",
    },
]


async def waive_crm_errors(store: Store) -> None:
    for waiver in WAIVERS:
        await add_waiver(store, CRM_EDITOR, "crm-sync", waiver, today=TODAY)


async def test_a_draft_goes_through_review_to_approval(knowledge: Store, tmp_path) -> None:
    submitted = await submit_for_review(knowledge, CRM_EDITOR, "crm-sync", "Ready for a look.")
    assert (submitted.before, submitted.after) == (
        BlueprintStatus.DRAFT,
        BlueprintStatus.IN_REVIEW,
    )
    assert (submitted.review, submitted.review_id) == (None, None)
    assert await prop(knowledge, "crm-sync", "status") == "in_review"
    (entry,) = await audit_trail(knowledge, blueprint="crm-sync")
    assert (entry.operation, entry.actor, entry.comment) == (
        "submit_for_review",
        "carl",
        "Ready for a look.",
    )
    (change,) = entry.changes
    assert (change.element, change.kind, change.change) == ("crm-sync", "Blueprint", "updated")
    assert change.differences() == {"status": ("draft", "in_review")}

    # crm-sync's settlement feed names no contract (CON-01) and no credential (SEC-07)
    before = await whole_graph(knowledge)
    with pytest.raises(ApprovalRefused) as refused:
        await approve(knowledge, APPROVER, "crm-sync", today=TODAY, rules=RULES, config=PATIENT)
    assert [(f.rule, f.severity, f.element) for f in refused.value.findings] == [
        ("CON-01", "error", "crm-sync:settlement-feed"),
        ("SEC-07", "error", "crm-sync:settlement-feed"),
    ]
    assert refused.value.rule_errors == []
    assert "CON-01 on crm-sync:settlement-feed" in str(refused.value)
    assert await whole_graph(knowledge) == before
    assert len(await audit_trail(knowledge)) == 1

    await waive_crm_errors(knowledge)
    approved = await approve(
        knowledge, APPROVER, "crm-sync", "Waivers accepted.", TODAY, config=PATIENT
    )  # the whole catalogue
    assert (approved.before, approved.after) == (
        BlueprintStatus.IN_REVIEW,
        BlueprintStatus.APPROVED,
    )
    assert approved.review is not None
    assert (approved.review.reviewer, approved.review.verdict, approved.review.date) == (
        "ada",
        ReviewVerdict.APPROVED,
        TODAY,
    )
    assert approved.review_id == "crm-sync#review-1"
    rows = await knowledge.read_transaction(
        lambda tx: tx.run_text(
            "MATCH (b:Blueprint {id: 'crm-sync'})-[:HAS_REVIEW]->(r:Review) "
            "RETURN b.status AS status, r.id AS id, r.verdict AS verdict, r.reviewer AS reviewer,"
            " r.comment AS comment, r.position AS position"
        )
    )
    assert rows == [
        {
            "status": "approved",
            "id": "crm-sync#review-1",
            "verdict": "approved",
            "reviewer": "ada",
            "comment": "Waivers accepted.",
            "position": 0,
        }
    ]
    newest = (await audit_trail(knowledge, blueprint="crm-sync", limit=1))[0]
    assert (newest.id, newest.operation, newest.actor, newest.via) == (
        approved.audit_entry,
        "approve",
        "ada",
        "oidc",
    )
    by_element = {c.element: c for c in newest.changes}
    assert set(by_element) == {"crm-sync", "crm-sync#review-1"}
    assert by_element["crm-sync"].differences()["status"] == ("in_review", "approved")
    created = by_element["crm-sync#review-1"]
    assert (created.change, created.kind, created.before) == ("created", "Review", None)
    assert created.after is not None
    assert created.after["properties"] == {
        "comment": "Waivers accepted.",
        "date": "2026-12-01",
        "position": 0,
        "reviewer": "ada",
        "verdict": "approved",
    }

    await export_blueprint(knowledge, tmp_path, blueprint="crm-sync")
    text = (tmp_path / "blueprint.yaml").read_text()
    assert "status: approved" in text
    assert "reviewer: ada" in text and "verdict: approved" in text


async def test_an_expired_waiver_does_not_open_the_gate(knowledge: Store) -> None:
    await submit_for_review(knowledge, CRM_EDITOR, "crm-sync")
    await waive_crm_errors(knowledge)  # both expire on 2027-01-31
    with pytest.raises(ApprovalRefused) as refused:
        later = datetime.date(2027, 2, 1)
        await approve(knowledge, APPROVER, "crm-sync", today=later, rules=RULES, config=PATIENT)
    assert {f.rule for f in refused.value.findings} == {"CON-01", "SEC-07"}
    step = await approve(knowledge, APPROVER, "crm-sync", today=TODAY, rules=RULES, config=PATIENT)
    assert step.after is BlueprintStatus.APPROVED


async def test_roles_and_scopes_are_enforced_and_nothing_changes(knowledge: Store) -> None:
    await submit_for_review(knowledge, CRM_EDITOR, "crm-sync")
    await waive_crm_errors(knowledge)
    before = await whole_graph(knowledge)
    trail = await audit_trail(knowledge)
    with pytest.raises(Forbidden, match="approving a blueprint needs the approver role"):
        await approve(knowledge, CRM_EDITOR, "crm-sync", today=TODAY, rules=RULES)
    with pytest.raises(Forbidden):
        await request_changes(knowledge, CRM_EDITOR, "crm-sync", "More detail, please.")
    with pytest.raises(Forbidden):
        await submit_for_review(knowledge, READER, "card-payments")
    with pytest.raises(Forbidden, match="may not change blueprint"):
        await submit_for_review(knowledge, EDITOR, "crm-sync")
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == trail


async def test_wrong_transitions_are_refused(knowledge: Store) -> None:
    before = await whole_graph(knowledge)
    with pytest.raises(TransitionRefused, match="it is draft: submit it for review") as refused:
        await approve(knowledge, APPROVER, "crm-sync", rules=RULES)
    assert (refused.value.blueprint, refused.value.status) == ("crm-sync", "draft")
    with pytest.raises(TransitionRefused, match="it is in_review"):
        await submit_for_review(knowledge, EDITOR, "card-payments")
    with pytest.raises(TransitionRefused, match="it is draft"):
        await request_changes(knowledge, APPROVER, "crm-sync", "Why?")
    with pytest.raises(TransitionRefused, match="it is approved"):
        await approve(knowledge, APPROVER, "landscape", rules=RULES)
    with pytest.raises(MutationRefused, match="say which changes"):
        await request_changes(knowledge, APPROVER, "card-payments", "  ")
    assert await whole_graph(knowledge) == before
    assert await audit_trail(knowledge) == []


async def test_changes_requested_send_a_blueprint_back_to_draft(knowledge: Store) -> None:
    step = await request_changes(
        knowledge, APPROVER, "card-payments", "Add a timeout to the processor call.", today=TODAY
    )
    assert (step.before, step.after, step.review_id) == (
        BlueprintStatus.IN_REVIEW,
        BlueprintStatus.DRAFT,
        "card-payments#review-1",
    )
    assert step.review is not None and step.review.verdict is ReviewVerdict.CHANGES_REQUESTED
    assert await prop(knowledge, "card-payments#review-1", "comment") == (
        "Add a timeout to the processor call."
    )
    again = await submit_for_review(knowledge, EDITOR, "card-payments", "Timeout added.")
    assert again.after is BlueprintStatus.IN_REVIEW
    resubmitted, requested = await audit_trail(knowledge, blueprint="card-payments")
    assert (resubmitted.operation, requested.operation) == ("submit_for_review", "request_changes")
    assert requested.comment == "Add a timeout to the processor call."
    assert {c.element: c.change for c in requested.changes} == {
        "card-payments": "updated",
        "card-payments#review-1": "created",
    }
    assert {c.element: c.differences().get("status") for c in resubmitted.changes} == {
        "card-payments": ("draft", "in_review")
    }


async def test_a_later_load_of_the_files_takes_their_status(knowledge: Store) -> None:
    await submit_for_review(knowledge, CRM_EDITOR, "crm-sync")
    (report,) = await load_knowledge(
        knowledge, [KNOWLEDGE], only=["crm-sync"], audit=AuditContext.local("load")
    )
    assert not report.files_unchanged  # the step forgot the digest of the last load
    assert await prop(knowledge, "crm-sync", "status") == "draft"
    load, _ = await audit_trail(knowledge, element="crm-sync")
    assert (load.operation, load.actor, load.via) == ("load", "local", "local")
    (change,) = load.changes
    assert change.differences() == {"status": ("in_review", "draft")}


async def test_an_approval_lints_again_when_the_graph_changed_meanwhile(
    knowledge: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await submit_for_review(knowledge, CRM_EDITOR, "crm-sync")
    await waive_crm_errors(knowledge)
    real_lint = review_module.lint
    calls: list[int] = []

    async def lint_then_write(*args: Any, **kwargs: Any) -> Any:
        report = await real_lint(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # another writer slips in between the lint and the approval
            await knowledge.write("queries/graph/bump_version")
        return report

    monkeypatch.setattr(review_module, "lint", lint_then_write)
    step = await approve(knowledge, APPROVER, "crm-sync", today=TODAY, rules=RULES)
    assert (step.after, len(calls)) == (BlueprintStatus.APPROVED, 2)


async def test_an_approval_gives_up_when_the_graph_keeps_changing(
    knowledge: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await submit_for_review(knowledge, CRM_EDITOR, "crm-sync")
    await waive_crm_errors(knowledge)
    real_lint = review_module.lint

    async def lint_then_write(*args: Any, **kwargs: Any) -> Any:
        report = await real_lint(*args, **kwargs)
        await knowledge.write("queries/graph/bump_version")
        return report

    monkeypatch.setattr(review_module, "lint", lint_then_write)
    with pytest.raises(ConcurrentChange, match="approve again"):
        await approve(knowledge, APPROVER, "crm-sync", today=TODAY, rules=RULES)
    assert await prop(knowledge, "crm-sync", "status") == "in_review"
