"""Why a change was refused: typed errors carrying what a user, or the API, can act on.

Permission refusals are ``auth.principal.Forbidden``; everything else a change can run into is
here. Each error has a ``code`` for the API and a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from integraph.blueprint.errors import BlueprintIssue
from integraph.errors import IntegraphError
from integraph.model import qualify


@dataclass(frozen=True)
class Problem:
    """One reason a change is refused, about an element's field when there is one."""

    message: str
    element: str | None = None
    """Full identifier of the element the problem is about."""
    field: str | None = None
    """The field, as a path into the element (`versions[0].request[1].type`)."""
    code: str = "invalid_value"
    """What kind of problem: a blueprint issue kind (`dangling_reference`, `secret`, ...),
    `referred_to`, `not_found`, ..."""

    def __str__(self) -> str:
        subject = " ".join(
            part
            for part in (
                f"'{self.element}'" if self.element else None,
                f"field '{self.field}'" if self.field else None,
            )
            if part
        )
        return f"{subject}: {self.message}" if subject else self.message


def problems_of(blueprint: str, issues: Iterable[BlueprintIssue]) -> list[Problem]:
    """The problems of validation issues found in a blueprint's content."""
    return [
        Problem(
            message=issue.message,
            element=qualify(blueprint, issue.element_id) if issue.element_id else None,
            field=issue.field,
            code=issue.kind,
        )
        for issue in issues
    ]


class MutationRefused(IntegraphError):
    """The change would leave the blueprint invalid, or break what refers to it; nothing was
    written. ``problems`` lists every reason."""

    exit_code = 2
    code = "MUTATION_REFUSED"

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        super().__init__(f"{what} refused, nothing was changed: {shown}{more}")


class NotFound(IntegraphError):
    """The blueprint or element named does not exist."""

    exit_code = 2
    code = "NOT_FOUND"


class TransitionRefused(IntegraphError):
    """The review workflow does not allow this step from the blueprint's status."""

    exit_code = 2
    code = "TRANSITION_REFUSED"

    def __init__(self, message: str, *, blueprint: str, status: str) -> None:
        super().__init__(message)
        self.blueprint = blueprint
        self.status = status


@dataclass(frozen=True)
class BlockingFinding:
    """An error-level lint finding of the blueprint that no valid waiver covers."""

    rule: str
    severity: str
    element: str
    message: str
    fingerprint: str


class ApprovalRefused(IntegraphError):
    """The blueprint has error findings nobody waived (or the lint could not run every rule):
    it cannot be approved yet. ``findings`` lists what blocks it."""

    exit_code = 2
    code = "APPROVAL_REFUSED"

    def __init__(
        self, blueprint: str, findings: list[BlockingFinding], rule_errors: list[str]
    ) -> None:
        self.blueprint = blueprint
        self.findings = findings
        self.rule_errors = rule_errors
        parts = []
        if findings:
            shown = "; ".join(f"{f.rule} on {f.element}: {f.message}" for f in findings[:10])
            more = f"; and {len(findings) - 10} more" if len(findings) > 10 else ""
            parts.append(
                f"{len(findings)} error finding(s) without a valid waiver: {shown}{more} "
                "(fix them, or waive each with a justification)"
            )
        if rule_errors:
            parts.append(
                f"{len(rule_errors)} rule(s) could not run, so the blueprint cannot be shown "
                f"free of errors: {'; '.join(rule_errors)} (try again; raise "
                "[lint] rule_timeout_s if a rule times out)"
            )
        super().__init__(f"blueprint '{blueprint}' cannot be approved: " + "; ".join(parts))


class ConcurrentChange(IntegraphError):
    """The graph changed while a step was being checked: it was not applied; try again."""

    exit_code = 1
    code = "CONFLICT"
