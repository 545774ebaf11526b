"""The mutation root: load documents, change single elements, decisions, waivers, the review
workflow. Each calls the service function of `integraph.changes` (or the loader) with the
request's principal, which checks the role and blueprint scope; each change writes its audit
entry in the same transaction as the change itself.

Refusals the user can act on come back as typed values in the payload (`problems` with file,
line, field and code; the `blockingFindings` of a refused approval); a missing role or scope
is a GraphQL error with the code FORBIDDEN, and nothing is changed.
"""

from __future__ import annotations

import dataclasses
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from integraph.api.graphql.derive import object_type
from integraph.api.graphql.documents import DocumentInput, written
from integraph.auth.principal import Principal, Role
from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue
from integraph.changes import decisions, elements, review, waivers
from integraph.changes.audit_trail import audit_context
from integraph.changes.elements import ElementChange
from integraph.changes.errors import (
    ApprovalRefused,
    BlockingFinding,
    MutationRefused,
    Problem,
    TransitionRefused,
)
from integraph.changes.review import ReviewStep
from integraph.knowledge.load import LoadReport, load_knowledge, validate_knowledge
from integraph.limits import BlueprintLimits
from integraph.model.landscape import LIST_SECTIONS


@strawberry.type(description="One problem of a refused change: where, which field, what kind.")
class ChangeProblem:
    message: str
    code: str = strawberry.field(description="dangling_reference, secret, referred_to...")
    element: str | None = None
    field: str | None = None
    file: str | None = strawberry.field(default=None, description="The document, for loads.")
    line: int | None = None
    column: int | None = None


def _from_problem(problem: Problem) -> ChangeProblem:
    return ChangeProblem(
        message=problem.message, code=problem.code, element=problem.element, field=problem.field
    )


def _from_issue(issue: BlueprintIssue, folder: Path | None = None) -> ChangeProblem:
    """A file problem, naming the document as it was sent (not the folder it was written to)."""
    file, message = issue.file, issue.message
    if folder is not None:
        prefix = f"{folder}{os.sep}"
        file = file.removeprefix(prefix)
        message = message.replace(prefix, "")
    return ChangeProblem(
        message=message,
        code=issue.kind,
        element=issue.element_id,
        field=issue.field,
        file=file,
        line=issue.line,
        column=issue.column,
    )


Section = strawberry.enum(
    StrEnum("Section", {s.upper(): s for s in LIST_SECTIONS}),  # type: ignore[misc]
    description="The section of a blueprint an element belongs to.",
)

ElementChangeType = object_type(
    ElementChange,
    name="ElementChange",
    exclude={"before", "after"},
    extra={
        "before": strawberry.field(
            resolver=lambda root: root.before,
            graphql_type=JSON | None,
            description="The element as its file would hold it, before (null: it was new).",
        ),
        "after": strawberry.field(
            resolver=lambda root: root.after,
            graphql_type=JSON | None,
            description="And after (null: it was deleted).",
        ),
    },
    description="What a mutation did to one element.",
)
LoadReportType = object_type(
    LoadReport,
    name="LoadReport",
    exclude={"notices"},
    extra={
        "notices": strawberry.field(
            resolver=lambda root: [_from_issue(n) for n in root.notices],
            graphql_type=list[ChangeProblem],
            description="What was skipped while reading the documents, and why.",
        )
    },
    description="What a load changed in one blueprint.",
)
BlockingFindingType = object_type(
    BlockingFinding, name="BlockingFinding", description="An error finding nobody waived."
)


async def _review_node(
    root: strawberry.Parent[ReviewStep], info: Info
) -> Annotated["Review", strawberry.lazy("integraph.api.graphql.types")] | None:  # noqa: F821, UP037
    return await info.context.loaders.by_id.load(root.review_id) if root.review_id else None


ReviewStepType = object_type(
    ReviewStep,
    name="ReviewStep",
    exclude={"review"},
    extra={"review": strawberry.field(resolver=_review_node, description="The review recorded.")},
    description="What one step of the review workflow did.",
)


@strawberry.type(description="The outcome of a change: done, or refused with every reason.")
class ChangePayload:
    ok: bool
    change: ElementChangeType | None = None  # type: ignore[valid-type]
    problems: list[ChangeProblem] = strawberry.field(default_factory=list)


@strawberry.type(description="The outcome of a load: every blueprint's report, or the problems.")
class LoadPayload:
    ok: bool
    reports: list[LoadReportType] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    problems: list[ChangeProblem] = strawberry.field(default_factory=list)


@strawberry.type(description="The outcome of a review step: done, or refused with its reasons.")
class ReviewPayload:
    ok: bool
    step: ReviewStepType | None = None  # type: ignore[valid-type]
    message: str | None = strawberry.field(default=None, description="Why it was refused.")
    blocking_findings: list[BlockingFindingType] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    rule_errors: list[str] = strawberry.field(default_factory=list)


def _principal(info: Info) -> Principal:
    return info.context.principal


async def _change(work: Any) -> ChangePayload:
    try:
        return ChangePayload(ok=True, change=await work)
    except MutationRefused as refused:
        return ChangePayload(ok=False, problems=[_from_problem(p) for p in refused.problems])


async def _step(work: Any) -> ReviewPayload:
    try:
        return ReviewPayload(ok=True, step=await work)
    except ApprovalRefused as refused:
        return ReviewPayload(
            ok=False,
            message=str(refused),
            blocking_findings=list(refused.findings),
            rule_errors=list(refused.rule_errors),
        )
    except TransitionRefused as refused:
        return ReviewPayload(ok=False, message=str(refused))


@strawberry.type(description="Change the knowledge base; every change is in the audit trail.")
class Mutation:
    @strawberry.mutation(
        description="Validate and load blueprint documents, as `integraph "
        "load` does files: one blueprint, or one folder per blueprint (`landscape/systems.yaml`)."
    )
    async def load_documents(
        self, info: Info, documents: list[DocumentInput], prune: bool = False
    ) -> LoadPayload:
        principal = _principal(info)
        principal.require(Role.EDITOR, action="loading documents")
        app = info.context.app
        limits = BlueprintLimits.from_settings(app.settings)
        with written(documents) as folder:
            try:
                validation = validate_knowledge([folder], limits=limits)
                ids = [
                    r.landscape.blueprint.id for r in validation.blueprints if r.landscape.blueprint
                ]
                principal.require(Role.EDITOR, ids, action="loading documents")
                reports = await load_knowledge(
                    app.store,
                    [folder],
                    prune=prune,
                    limits=limits,
                    audit=audit_context(principal, "load_documents"),
                )
            except BlueprintInvalid as invalid:
                problems = [_from_issue(i, folder) for i in invalid.issues]
                return LoadPayload(ok=False, problems=problems)
            prefix = f"{folder}{os.sep}"
            reports = [
                dataclasses.replace(
                    r,
                    notices=tuple(
                        dataclasses.replace(n, file=n.file.removeprefix(prefix)) for n in r.notices
                    ),
                )
                for r in reports
            ]
        return LoadPayload(ok=True, reports=reports)

    @strawberry.mutation(description="Create an element, or replace the one with its id.")
    async def upsert_element(
        self,
        info: Info,
        blueprint: str,
        section: Section,
        data: JSON,  # type: ignore[valid-type]
    ) -> ChangePayload:
        store = info.context.app.store
        return await _change(
            elements.upsert_element(store, _principal(info), blueprint, section.value, data)
        )

    @strawberry.mutation(description="Delete an element; refused while others refer to it.")
    async def delete_element(self, info: Info, id: strawberry.ID) -> ChangePayload:
        store = info.context.app.store
        return await _change(elements.delete_element(store, _principal(info), str(id)))

    @strawberry.mutation(
        description="Record a decision (an ADR); an accepted one marks those "
        "it supersedes superseded."
    )
    async def record_decision(self, info: Info, blueprint: str, data: JSON) -> ChangePayload:  # type: ignore[valid-type]
        store = info.context.app.store
        return await _change(decisions.record_decision(store, _principal(info), blueprint, data))

    @strawberry.mutation(description="Waive a lint finding, with a justification.")
    async def add_waiver(self, info: Info, blueprint: str, data: JSON) -> ChangePayload:  # type: ignore[valid-type]
        store = info.context.app.store
        return await _change(waivers.add_waiver(store, _principal(info), blueprint, data))

    @strawberry.mutation(description="Revoke a waiver, saying why.")
    async def revoke_waiver(self, info: Info, id: strawberry.ID, reason: str) -> ChangePayload:
        store = info.context.app.store
        return await _change(waivers.revoke_waiver(store, _principal(info), str(id), reason))

    @strawberry.mutation(description="draft -> in_review.")
    async def submit_for_review(
        self, info: Info, blueprint: str, comment: str | None = None
    ) -> ReviewPayload:
        store = info.context.app.store
        return await _step(review.submit_for_review(store, _principal(info), blueprint, comment))

    @strawberry.mutation(description="in_review -> draft, with a review asking for changes.")
    async def request_changes(self, info: Info, blueprint: str, comment: str) -> ReviewPayload:
        store = info.context.app.store
        return await _step(review.request_changes(store, _principal(info), blueprint, comment))

    @strawberry.mutation(
        description="in_review -> approved; refused while error findings of "
        "the blueprint stand without a valid waiver (listed in blockingFindings)."
    )
    async def approve(
        self, info: Info, blueprint: str, comment: str | None = None
    ) -> ReviewPayload:
        app = info.context.app
        return await _step(
            review.approve(app.store, _principal(info), blueprint, comment, config=app.lint_config)
        )
