"""Contracts, their ordered versions, the fields of each version and the error format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Annotated

import pydantic
from pydantic import StringConstraints

from integraph.model.element import Element, ElementRef, Model


class ContractKind(StrEnum):
    OPENAPI = "openapi"
    ASYNCAPI = "asyncapi"
    JSON_SCHEMA = "json_schema"
    AVRO = "avro"
    PROTOBUF = "protobuf"
    GRAPHQL = "graphql"
    FILE = "file"


class VersioningStrategy(StrEnum):
    SEMVER = "semver"
    URL = "url"
    HEADER = "header"
    MEDIA_TYPE = "media_type"
    SCHEMA_REGISTRY = "schema_registry"
    DATE = "date"
    NONE = "none"


class CompatibilityMode(StrEnum):
    """Confluent Schema Registry compatibility modes (RULES.md section 1); the compatibility
    engine (integraph.compat) uses this definition."""

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @property
    def checks_backward(self) -> bool:
        """The new schema must read data written with the old one."""
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def checks_forward(self) -> bool:
        """Readers on the old schema must read data written with the new one."""
        return self.value.startswith(("FORWARD", "FULL"))

    @property
    def full(self) -> bool:
        return self.value.startswith("FULL")


class ContentModel(StrEnum):
    """How a JSON object treats properties it does not declare (RULES.md section 1)."""

    OPEN = "open"
    CLOSED = "closed"
    PARTIALLY_OPEN = "partially_open"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class FieldType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    LONG = "long"
    NUMBER = "number"
    FLOAT = "float"
    DOUBLE = "double"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    BYTES = "bytes"
    DATE = "date"
    DATETIME = "datetime"
    OBJECT = "object"
    ARRAY = "array"


class FieldPart(StrEnum):
    """Which body of a version a field belongs to."""

    REQUEST = "request"
    RESPONSE = "response"
    MESSAGE = "message"
    ERROR = "error"


VersionString = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")]
JsonPointer = Annotated[str, StringConstraints(pattern=r"^(/[^/\s#]+)+$")]
FieldKey = Annotated[
    str, StringConstraints(pattern=r"^(request|response|message|error)(/[^/\s#]+)+$")
]
"""A field named relative to its version: `<part><path>`, e.g. `request/card/pan`."""


def version_id(contract_id: str, version: str) -> str:
    """Id of a contract version: `payments-api@2.0.0`."""
    return f"{contract_id}@{version}"


def field_id(contract_version_id: str, part: str, path: str) -> str:
    """Id of a field: `payments-api@2.0.0#request/card/pan`."""
    return f"{contract_version_id}#{part}{path}"


class Field(Model):
    """One field of a request, response, message or error body."""

    path: JsonPointer
    """JSON Pointer into the body, `/card/pan`; array items as `/items/*/sku`."""
    type: FieldType
    required: bool = False
    description: str | None = None
    default: str | int | float | bool | None = None
    """Reader default value (Avro)."""
    enum: list[str] | None = None
    extensible_enum: bool = False
    """Consumers must accept values not listed in `enum`."""
    classification: ElementRef | None = None
    """Classification id."""
    aliases: list[str] = []
    field_number: int | None = pydantic.Field(default=None, ge=1)
    """Protobuf field number."""
    min_length: int | None = pydantic.Field(default=None, ge=0)
    max_length: int | None = pydantic.Field(default=None, ge=0)
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None


class ErrorFormat(Model):
    """The format of error responses, e.g. RFC 9457 problem details."""

    media_type: str
    standard: str | None = None
    schema_ref: str | None = None


class ContractVersion(Model):
    """One published version of a contract; its id is `<contract>@<version>`."""

    version: VersionString
    status: VersionStatus = VersionStatus.ACTIVE
    released: date | None = None
    deprecated_on: date | None = None
    sunset: date | None = None
    """Date after which the version must no longer be used."""
    schema_ref: str | None = None
    """Where the full schema lives (repository path or URL)."""
    description: str | None = None
    request: list[Field] = []
    response: list[Field] = []
    message: list[Field] = []
    """The body of an event, command, batch record or stream record."""
    error: list[Field] = []
    """The error body."""
    error_format: ErrorFormat | None = None

    def fields(self) -> Iterator[tuple[FieldPart, Field]]:
        """Every field with the part it belongs to, in file order."""
        for part in FieldPart:
            for item in getattr(self, part.value):
                yield part, item


class Contract(Element):
    """An interface definition shared by producer and consumers; versions oldest first."""

    kind: ContractKind
    name: str | None = None
    description: str | None = None
    owner: ElementRef | None = None
    """Team id."""
    versioning: VersioningStrategy | None = None
    compatibility: CompatibilityMode | None = None
    content_model: ContentModel | None = None
    versions: list[ContractVersion] = []
    tags: list[str] = []

    def version(self, version: str) -> ContractVersion | None:
        """The version with this version string, if any."""
        return next((v for v in self.versions if v.version == version), None)
