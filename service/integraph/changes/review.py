"""The review workflow: a blueprint goes draft -> in_review -> approved, or back to draft.

| step                | from      | to        | role     | review recorded                 |
|---------------------|-----------|-----------|----------|---------------------------------|
| `submit_for_review` | draft     | in_review | editor   | none (the comment is audited)   |
| `request_changes`   | in_review | draft     | approver | changes_requested, with comment |
| `approve`           | in_review | approved  | approver | approved                        |

Any other step is refused (``TransitionRefused``, saying what the blueprint's status allows).

**Approval gate.** Approval runs every rule of the catalogue over the graph and is refused
(``ApprovalRefused``, listing them) while error-level findings of the blueprint's elements
stand that no valid waiver covers (a waiver that has expired covers nothing), or while a rule
could not run (then nobody can tell the blueprint is free of errors). Every finding of the
blueprint counts, whatever its `scope`: the gate is stricter than rule GOV-01, which judges
approved blueprints by their scope only. The lint runs before the approval's transaction; if
the graph changed in between (its version token, ``writer.graph_version``), the lint runs
again, up to three times, then ``ConcurrentChange``.

**Storage.** A review is stored as files store it: a ``Review`` node ``<blueprint>#review-<n>``
at the end of the blueprint's list (``HAS_REVIEW``), so exporting writes it back. Each step
writes the status, the review and its audit entry (the blueprint's state before and after, the
new review) in one transaction (``changes/apply.py``).

**A later load of the files** sets the status and reviews the files say, as every load does:
the files are the source, and a step forgets the digest of their last load, so the next load
of even the same files writes them again. Commit the new status to the files (``integraph
export``) to keep it. The audit trail shows such a load's change of status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from integraph.auth.principal import Principal, Role
from integraph.changes.apply import Check, Content, apply_change
from integraph.changes.audit_trail import audit_context
from integraph.changes.errors import (
    ApprovalRefused,
    BlockingFinding,
    ConcurrentChange,
    MutationRefused,
    NotFound,
    Problem,
    TransitionRefused,
)
from integraph.lint.config import LintConfig
from integraph.lint.findings import OPEN, LintReport
from integraph.lint.rules import Rule, Severity
from integraph.lint.service import choose_rules, lint
from integraph.model import BlueprintStatus, Landscape, Review, ReviewVerdict, review_id
from integraph.store.driver import Store, Tx
from integraph.store.writer import graph_version

APPROVAL_ATTEMPTS = 3
"""Lints an approval runs at most when the graph keeps changing under it."""

_NEXT_STEP = {
    BlueprintStatus.DRAFT: "submit it for review",
    BlueprintStatus.IN_REVIEW: "approve it or request changes",
    BlueprintStatus.APPROVED: "it is approved: there is no review step left",
}

_DONE = {
    "submit_for_review": "submitted for review",
    "request_changes": "changes requested",
    "approve": "approved",
}
"""How an audit entry's summary says what a step did."""


@dataclass(frozen=True)
class ReviewStep:
    """What one step of the workflow did."""

    blueprint: str
    before: BlueprintStatus
    after: BlueprintStatus
    review: Review | None
    """The review recorded by the step (None for a submission)."""
    review_id: str | None
    audit_entry: str | None


async def submit_for_review(
    store: Store, principal: Principal, blueprint: str, comment: str | None = None
) -> ReviewStep:
    """draft -> in_review."""
    principal.require(Role.EDITOR, [blueprint], action="submitting a blueprint for review")
    return await _step(
        store,
        principal,
        blueprint,
        "submit_for_review",
        BlueprintStatus.DRAFT,
        BlueprintStatus.IN_REVIEW,
        comment=comment,
    )


async def request_changes(
    store: Store,
    principal: Principal,
    blueprint: str,
    comment: str,
    *,
    today: datetime.date | None = None,
) -> ReviewStep:
    """in_review -> draft, with a review (changes_requested) saying what to change."""
    principal.require(Role.APPROVER, [blueprint], action="requesting changes to a blueprint")
    if not comment or not comment.strip():
        problem = Problem(
            "say which changes are requested (the comment is the review)",
            field="comment",
            code="missing_field",
        )
        raise MutationRefused(f"request_changes of blueprint '{blueprint}'", [problem])
    return await _step(
        store,
        principal,
        blueprint,
        "request_changes",
        BlueprintStatus.IN_REVIEW,
        BlueprintStatus.DRAFT,
        verdict=ReviewVerdict.CHANGES_REQUESTED,
        comment=comment.strip(),
        today=today,
    )


async def approve(
    store: Store,
    principal: Principal,
    blueprint: str,
    comment: str | None = None,
    today: datetime.date | None = None,
    *,
    rules: list[Rule] | None = None,
    config: LintConfig | None = None,
) -> ReviewStep:
    """in_review -> approved, with a review (approved); refused while error findings of the
    blueprint stand unwaived. ``rules`` default to the whole catalogue."""
    principal.require(Role.APPROVER, [blueprint], action="approving a blueprint")
    day = today or datetime.date.today()
    chosen = rules if rules is not None else choose_rules(config=config)
    for _ in range(APPROVAL_ATTEMPTS):
        status = await blueprint_status(store, blueprint)
        if status is not BlueprintStatus.IN_REVIEW:
            raise _refusal("approve", blueprint, BlueprintStatus.IN_REVIEW, status)
        token = await graph_version(store)
        report = await lint(
            store, chosen, config=config, fail_on=None, today=day, blueprints=[blueprint]
        )
        blocking = blocking_findings(report, blueprint)
        if blocking or report.rule_errors:
            errors = [f"{e.rule_id}: {e.message}" for e in report.rule_errors]
            raise ApprovalRefused(blueprint, blocking, errors)

        async def graph_unchanged(tx: Tx, token: str | None = token) -> None:
            rows = await tx.run("queries/graph/version")
            if (rows[0]["token"] if rows else None) != token:
                raise _GraphChanged

        try:
            return await _step(
                store,
                principal,
                blueprint,
                "approve",
                BlueprintStatus.IN_REVIEW,
                BlueprintStatus.APPROVED,
                verdict=ReviewVerdict.APPROVED,
                comment=comment,
                today=day,
                check=graph_unchanged,
            )
        except _GraphChanged:
            continue
    raise ConcurrentChange(
        f"the graph kept changing while blueprint '{blueprint}' was being checked for "
        "approval; it was not approved: approve again"
    )


def blocking_findings(report: LintReport, blueprint: str) -> list[BlockingFinding]:
    """The blueprint's open error findings (waived ones are not open)."""
    return [
        BlockingFinding(
            rule=f.rule.id,
            severity=str(f.severity),
            element=f.element,
            message=f.message,
            fingerprint=f.fingerprint,
        )
        for f in report.findings
        if f.blueprint == blueprint and f.status == OPEN and f.severity >= Severity.ERROR
    ]


async def blueprint_status(store: Store, blueprint: str) -> BlueprintStatus:
    rows = await store.read("queries/changes/blueprint_status", blueprint=blueprint)
    if not rows:
        raise NotFound(f"no blueprint '{blueprint}' in the graph; load it first")
    return BlueprintStatus(rows[0]["status"] or BlueprintStatus.DRAFT)


class _GraphChanged(Exception):
    """The graph version moved between the approval's lint and its transaction."""


async def _step(
    store: Store,
    principal: Principal,
    blueprint: str,
    operation: str,
    source: BlueprintStatus,
    target: BlueprintStatus,
    *,
    verdict: ReviewVerdict | None = None,
    comment: str | None = None,
    today: datetime.date | None = None,
    check: Check | None = None,
) -> ReviewStep:
    review = None
    if verdict is not None:
        review = Review(
            reviewer=principal.name,
            date=today or datetime.date.today(),
            verdict=verdict,
            comment=comment,
        )
    position: list[int] = []

    def edit(content: Content, stored: Landscape) -> None:
        assert stored.blueprint is not None  # apply_change found the blueprint node
        if stored.blueprint.status is not source:
            raise _refusal(operation, blueprint, source, stored.blueprint.status)
        head = content["blueprint"]
        head["status"] = target.value
        if review is not None:
            reviews = head.setdefault("reviews", [])
            position[:] = [len(reviews)]
            reviews.append(review.model_dump(mode="python", exclude_none=True))

    summary = f"{_DONE[operation]}: {source} -> {target}"
    applied = await apply_change(
        store,
        audit_context(principal, operation),
        blueprint,
        edit,
        what=f"{operation} of blueprint '{blueprint}'",
        summary=summary,
        comment=comment,
        check=check,
    )
    return ReviewStep(
        blueprint=blueprint,
        before=source,
        after=target,
        review=review,
        review_id=review_id(blueprint, position[0]) if position else None,
        audit_entry=applied.audit_entry,
    )


def _refusal(
    operation: str, blueprint: str, needed: BlueprintStatus, status: BlueprintStatus
) -> TransitionRefused:
    return TransitionRefused(
        f"{operation} needs blueprint '{blueprint}' to be {needed}, and it is {status}: "
        f"{_NEXT_STEP[status]}",
        blueprint=blueprint,
        status=status.value,
    )
