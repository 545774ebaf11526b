"""Flows: one exchange between two systems, with its pattern, path, contract and guarantees."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from integraph.model.contracts import VersionString
from integraph.model.element import Element, ElementId
from integraph.model.security import FieldMasking


class FlowPattern(StrEnum):
    REQUEST_RESPONSE = "request_response"
    EVENT = "event"
    COMMAND = "command"
    BATCH = "batch"
    STREAM = "stream"


ASYNC_PATTERNS = frozenset({FlowPattern.EVENT, FlowPattern.COMMAND, FlowPattern.STREAM})


class DeliveryGuarantee(StrEnum):
    AT_MOST_ONCE = "at_most_once"
    AT_LEAST_ONCE = "at_least_once"
    EXACTLY_ONCE = "exactly_once"


class Consistency(StrEnum):
    STRONG = "strong"
    EVENTUAL = "eventual"


class TransportEncryption(StrEnum):
    NONE = "none"
    TLS = "tls"
    MTLS = "mtls"
    MESSAGE = "message"


def _by_field(masking: list[FieldMasking]) -> list[FieldMasking]:
    # Stored as relationships (unordered), so keep one canonical order.
    return sorted(masking, key=lambda item: item.field)


class Flow(Element):
    """One exchange: data goes from `source` (initiator) to `target` (receiver)."""

    name: str | None = None
    description: str | None = None
    source: ElementId
    """System id of the initiator: caller, publisher, sender."""
    target: ElementId
    """System id of the receiver: callee, subscriber."""
    pattern: FlowPattern
    mutating: bool = False
    """A request_response that changes state (not safe to retry blindly)."""
    via: list[ElementId] = []
    """Component ids passed through, in order."""
    delivery: DeliveryGuarantee | None = None
    consistency: Consistency | None = None
    max_staleness_seconds: float | None = Field(default=None, ge=0)
    schedule: str | None = None
    """Cron expression, for batch flows."""
    schedule_interval_seconds: float | None = Field(default=None, gt=0)
    volume_per_day: int | None = Field(default=None, ge=0)
    peak_per_second: float | None = Field(default=None, ge=0)
    latency_p99_ms: float | None = Field(default=None, ge=0)
    contract: ElementId | None = None
    producer_version: VersionString | None = None
    """Version implemented by the side providing the interface (server, publisher)."""
    consumer_version: VersionString | None = None
    """Version the other side is built against."""
    credential: ElementId | None = None
    """Credential id authenticating the source; absent = unauthenticated."""
    transport_encryption: TransportEncryption | None = None
    masking: Annotated[list[FieldMasking], AfterValidator(_by_field)] = []
    audit_logging: bool = False
    audit_retention_days: int | None = Field(default=None, ge=0)
    third_party_justification: str | None = None
    """Why sensitive data may go to an external party."""
    tags: list[str] = []
