"""Teams and the systems they own."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from integraph.model.element import Element, ElementRef


class TrustZone(StrEnum):
    INTERNAL = "internal"
    PARTNER = "partner"
    PUBLIC = "public"
    REGULATED = "regulated"


class Lifecycle(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Team(Element):
    """A team owning systems, components, contracts; the on-call route receives alerts."""

    name: str | None = None
    description: str | None = None
    email: str | None = None
    on_call: str | None = None
    """Alert route, e.g. `pagerduty://payments-oncall`."""
    tags: list[str] = []


class System(Element):
    """An application or service taking part in integrations."""

    name: str | None = None
    description: str | None = None
    owner: ElementRef | None = None
    """Team id."""
    trust_zone: TrustZone
    external: bool = False
    """Operated by a third party."""
    tier: int | None = Field(default=None, ge=1, le=4)
    """Criticality tier, 1 = most critical."""
    lifecycle: Lifecycle = Lifecycle.ACTIVE
    technology: str | None = None
    tags: list[str] = []
