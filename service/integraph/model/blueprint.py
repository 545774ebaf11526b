"""The blueprint itself (status, scope, reviews) and waivers of lint findings."""

from __future__ import annotations

import datetime
from enum import StrEnum

from integraph.model.element import AnyRef, AnyRefSet, Element, ElementRef, IdSet, Model


class BlueprintStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


class ReviewVerdict(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    COMMENTED = "commented"


class Review(Model):
    """One review of the blueprint; its id is `<blueprint>#review-<n>`."""

    reviewer: str
    date: datetime.date | None = None
    verdict: ReviewVerdict
    comment: str | None = None


def review_id(blueprint_id: str, position: int) -> str:
    """Id of the review at 0-based `position`: `shop#review-1`."""
    return f"{blueprint_id}#review-{position + 1}"


class Blueprint(Element):
    """An integration architecture blueprint moving draft -> in_review -> approved."""

    name: str
    version: str
    status: BlueprintStatus = BlueprintStatus.DRAFT
    description: str | None = None
    owner: ElementRef | None = None
    """Team id."""
    uses: IdSet = []
    """Ids of the blueprints this one builds on: it may refer to their elements, by full
    identifier (`landscape:crm`) or by short id where only one of them has it."""
    scope: AnyRefSet = []
    """Ids of the elements under review; empty = everything in the files."""
    reviews: list[Review] = []


class Waiver(Element):
    """An accepted lint finding: a rule waived for one element or one finding fingerprint."""

    rule: str
    element: AnyRef | None = None
    fingerprint: str | None = None
    justification: str
    expires: datetime.date | None = None
    decision: ElementRef | None = None
    """Decision id recording why the finding is accepted."""
    approved_by: str | None = None
