"""Typed values of the compatibility engine: change kinds, differences and reports.

The modes and content models are the blueprint model's (integraph.model.contracts), the one
definition of each; they are re-exported here for the engine's modules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from integraph.errors import IntegraphError
from integraph.model.contracts import CompatibilityMode, ContentModel

__all__ = [
    "Change",
    "ChangeKind",
    "CompatError",
    "CompatibilityMode",
    "CompatibilityReport",
    "ContentModel",
    "Difference",
    "Language",
    "Role",
    "SchemaFamily",
    "SchemaLoadError",
    "Verdict",
]


class ChangeKind(StrEnum):
    """What changed between two versions of a contract."""

    FIELD_ADDED = "field_added"
    FIELD_REMOVED = "field_removed"
    FIELD_RENAMED = "field_renamed"
    REQUIRED_TO_OPTIONAL = "required_to_optional"
    OPTIONAL_TO_REQUIRED = "optional_to_required"
    TYPE_CHANGED = "type_changed"
    TYPE_WIDENED = "type_widened"
    TYPE_NARROWED = "type_narrowed"
    ENUM_VALUE_ADDED = "enum_value_added"
    ENUM_VALUE_REMOVED = "enum_value_removed"
    CONSTRAINT_TIGHTENED = "constraint_tightened"
    CONSTRAINT_LOOSENED = "constraint_loosened"
    CONSTRAINT_CHANGED = "constraint_changed"
    CONTENT_MODEL_CLOSED = "content_model_closed"
    CONTENT_MODEL_OPENED = "content_model_opened"
    DEFAULT_ADDED = "default_added"
    DEFAULT_REMOVED = "default_removed"
    ERROR_FORMAT_CHANGED = "error_format_changed"
    MEDIA_TYPE_ADDED = "media_type_added"
    MEDIA_TYPE_REMOVED = "media_type_removed"
    RESPONSE_ADDED = "response_added"
    RESPONSE_REMOVED = "response_removed"
    OPERATION_ADDED = "operation_added"
    OPERATION_REMOVED = "operation_removed"
    CHANNEL_ADDED = "channel_added"
    CHANNEL_REMOVED = "channel_removed"
    MESSAGE_ADDED = "message_added"
    MESSAGE_REMOVED = "message_removed"


class SchemaFamily(StrEnum):
    JSON_SCHEMA = "jsonschema"
    AVRO = "avro"
    OPENAPI = "openapi"
    ASYNCAPI = "asyncapi"
    FIELD_LIST = "field_list"


class Language(StrEnum):
    """The schema language a change is explained in (its words: content model, default...)."""

    JSON_SCHEMA = "json_schema"  # also OpenAPI, AsyncAPI payloads and JSON field lists
    AVRO = "avro"
    PROTOBUF = "protobuf"


class Role(StrEnum):
    """Who reads the data a change touches; HTTP fixes the direction per part of an operation."""

    DATA = "data"  # the declared mode applies as is
    REQUEST = "request"  # the server reads requests: BACKWARD rules
    RESPONSE = "response"  # clients read responses: FORWARD rules


@dataclass(frozen=True)
class Verdict:
    """Why a change breaks each direction (None: it does not). Texts use $old_data,
    $old_readers and $new_reader, worded per role when the change is judged."""

    backward: str | None = None
    forward: str | None = None


@dataclass(frozen=True)
class Change:
    """A difference found by a family-specific comparer, before any mode is applied."""

    kind: ChangeKind
    pointer: str
    summary: str
    verdict: Verdict
    old: Any = None
    new: Any = None
    role: Role = Role.DATA
    deprecated: bool = False
    deprecated_since: date | None = None
    note: str | None = None
    language: Language = Language.JSON_SCHEMA


class Difference(BaseModel):
    """One difference, judged under a mode."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    pointer: str
    breaking: bool
    reason: str
    old: Any = None
    new: Any = None
    conflicts_with_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if data["conflicts_with_version"] is None:
            del data["conflicts_with_version"]
        return data


class CompatibilityReport(BaseModel):
    """All differences between two contract versions and the overall verdict under a mode."""

    model_config = ConfigDict(frozen=True)

    mode: CompatibilityMode
    family: SchemaFamily
    differences: tuple[Difference, ...] = ()

    @property
    def breaking(self) -> list[Difference]:
        return [d for d in self.differences if d.breaking]

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the CLI prints: compatible, mode, differences."""
        return {
            "compatible": self.compatible,
            "mode": self.mode.value,
            "differences": [d.to_dict() for d in self.differences],
        }


class CompatError(IntegraphError):
    """Input the compatibility engine cannot compare; the message is meant for the user."""

    exit_code = 2


class SchemaLoadError(CompatError):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
