"""Integration platform components that mediate flows (gateways, brokers, queues...)."""

from __future__ import annotations

from enum import StrEnum

from integraph.model.element import Element, ElementRef
from integraph.model.systems import TrustZone


class ComponentKind(StrEnum):
    API_GATEWAY = "api_gateway"
    BROKER = "broker"
    TOPIC = "topic"
    QUEUE = "queue"
    DEAD_LETTER_QUEUE = "dead_letter_queue"
    EVENT_BUS = "event_bus"
    ESB = "esb"
    IPAAS = "ipaas"
    ETL = "etl"
    FILE_TRANSFER = "file_transfer"
    SERVICE_MESH = "service_mesh"
    STREAM_PROCESSOR = "stream_processor"
    OTHER = "other"


class Component(Element):
    """A platform component; topics and queues are `part_of` their broker."""

    kind: ComponentKind
    name: str | None = None
    description: str | None = None
    technology: str | None = None
    owner: ElementRef | None = None
    """Team id; for a dead-letter queue, the team handling its messages."""
    part_of: ElementRef | None = None
    """Component id of the containing component (a topic's broker)."""
    trust_zone: TrustZone | None = None
    tags: list[str] = []
