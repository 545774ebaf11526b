"""Integration platform components that mediate flows (gateways, brokers, queues...)."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from integraph.model.element import Element, ElementRef, RefSet
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
    SCHEMA_REGISTRY = "schema_registry"
    OTHER = "other"


CHANNEL_KINDS = frozenset(
    {ComponentKind.TOPIC, ComponentKind.QUEUE, ComponentKind.DEAD_LETTER_QUEUE}
)
"""Components holding messages: they have settings (partitions, retention, ...)."""


class CleanupPolicy(StrEnum):
    DELETE = "delete"
    COMPACT = "compact"
    COMPACT_DELETE = "compact_delete"


_CHANNEL_SETTINGS = (
    "partitions",
    "retention_ms",
    "replication_factor",
    "min_insync_replicas",
    "cleanup_policy",
    "max_message_bytes",
)


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
    instance_of: ElementRef | None = None
    """Component id of the logical component this one runs (a cluster per environment of
    the broker the flows name)."""
    environments: RefSet = []
    """Environment ids this component serves; empty = not bound to environments."""
    partitions: int | None = Field(default=None, ge=1)
    """Topic partitions."""
    retention_ms: int | None = Field(default=None, ge=-1)
    """How long messages are kept, in milliseconds (-1 = forever)."""
    replication_factor: int | None = Field(default=None, ge=1)
    """Copies of each message kept by the broker (1 = a single copy)."""
    min_insync_replicas: int | None = Field(default=None, ge=1)
    cleanup_policy: CleanupPolicy | None = None
    max_message_bytes: int | None = Field(default=None, ge=1)
    tags: list[str] = []

    @model_validator(mode="after")
    def _settings_of_channels(self) -> Self:
        given = [name for name in _CHANNEL_SETTINGS if getattr(self, name) is not None]
        if given and self.kind not in CHANNEL_KINDS:
            raise ValueError(
                f"{', '.join(given)} only apply to a topic, queue or dead_letter_queue "
                f"(this component is a {self.kind.value})"
            )
        replicas, in_sync = self.replication_factor, self.min_insync_replicas
        if replicas is not None and in_sync is not None and in_sync > replicas:
            raise ValueError(
                f"min_insync_replicas {in_sync} is above replication_factor {replicas}: "
                "no write could ever be acknowledged"
            )
        return self
