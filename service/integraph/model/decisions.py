"""Architecture decision records (MADR 4 fields) and what they govern."""

from __future__ import annotations

import datetime
from enum import StrEnum

from integraph.model.element import AnyRefSet, Element, Model, RefSet


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"


class DecisionOption(Model):
    """One considered option with its pros and cons."""

    name: str
    description: str | None = None
    pros: list[str] = []
    cons: list[str] = []


class Decision(Element):
    """An ADR: context, options, the decision and its consequences."""

    title: str
    status: DecisionStatus
    date: datetime.date | None = None
    deciders: list[str] = []
    consulted: list[str] = []
    informed: list[str] = []
    context: str | None = None
    drivers: list[str] = []
    options: list[DecisionOption] = []
    chosen_option: str | None = None
    decision: str | None = None
    """The decision itself: "We will ..."."""
    rationale: str | None = None
    consequences: str | None = None
    confirmation: str | None = None
    supersedes: RefSet = []
    """Decision ids this decision replaces."""
    governs: AnyRefSet = []
    """Ids of any elements, contract versions or fields the decision governs."""
    tags: list[str] = []
