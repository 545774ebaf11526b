"""Contracts, their ordered versions, the operations, named types and fields of each version
and the error format."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

import pydantic
from pydantic import StringConstraints

from integraph.model.element import ID_PATTERN, Element, ElementRef, Model, RefSet


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
    HEADERS = "headers"
    """Message or request headers (metadata beside the payload)."""


PART_NAMES = frozenset(part.value for part in FieldPart)


class SchemaFormat(StrEnum):
    """The schema language a payload or its headers are written in."""

    JSON_SCHEMA = "json_schema"
    AVRO = "avro"
    PROTOBUF = "protobuf"
    XML_SCHEMA = "xml_schema"
    CSV = "csv"


class HttpMethod(StrEnum):
    GET = "GET"
    HEAD = "HEAD"
    OPTIONS = "OPTIONS"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


SAFE_METHODS = frozenset({HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS})
"""RFC 9110 section 9.2.1: read-only methods."""
IDEMPOTENT_METHODS = SAFE_METHODS | {HttpMethod.PUT, HttpMethod.DELETE}
"""RFC 9110 section 9.2.2: repeating the request has the effect of sending it once."""


class MessageAction(StrEnum):
    """What the side providing the interface does with the operation's message (AsyncAPI 3
    `action`): `send` (it publishes), `receive` (it consumes)."""

    SEND = "send"
    RECEIVE = "receive"


VersionString = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")]
JsonPointer = Annotated[str, StringConstraints(pattern=r"^(/[^/\s#]+)+$")]
FIELD_KEY_PATTERN = (
    r"^([a-z0-9][a-z0-9._-]*/)?(request|response|message|error|headers)(/[^/\s#]+)+$"
)
FieldKey = Annotated[str, StringConstraints(pattern=FIELD_KEY_PATTERN)]
"""A field named relative to its version: `<part><path>` for the version's own bodies,
e.g. `request/card/pan`, `<operation>/<part><path>` for an operation's, e.g.
`place-order/request/card/pan`."""
OperationName = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
TypeName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")]
TYPE_REF_PATTERN = r"^([a-z0-9][a-z0-9._-]*@[0-9A-Za-z][0-9A-Za-z.+_-]*#)?[A-Za-z_][A-Za-z0-9_.]*$"
TypeRef = Annotated[str, StringConstraints(pattern=TYPE_REF_PATTERN)]
"""A named type: `Money` (of the same version), or `<contract>@<version>#Money` (of another
contract version of the same blueprint)."""


def version_id(contract_id: str, version: str) -> str:
    """Id of a contract version: `payments-api@2.0.0`."""
    return f"{contract_id}@{version}"


def field_key(part: str, path: str, operation: str | None = None) -> str:
    """A field's name within its version: `request/card/pan`, `place-order/request/card/pan`."""
    return f"{operation}/{part}{path}" if operation else f"{part}{path}"


def split_field_key(key: str) -> tuple[str | None, str, str]:
    """(operation or None, part, path) of a field key (the inverse of `field_key`)."""
    head, _, rest = key.partition("/")
    if head in PART_NAMES:
        return None, head, "/" + rest
    part, _, path = rest.partition("/")
    return head, part, "/" + path


def field_id(contract_version_id: str, part: str, path: str, operation: str | None = None) -> str:
    """Id of a field: `payments-api@2.0.0#request/card/pan`, or for an operation's field
    `payments-api@2.0.0#authorise/request/card/pan`."""
    return f"{contract_version_id}#{field_key(part, path, operation)}"


def operation_id(contract_version_id: str, operation: str) -> str:
    """Id of an operation: `payments-api@2.0.0#authorise`."""
    return f"{contract_version_id}#{operation}"


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
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    pattern: str | None = None
    format: str | None = None
    """A format the value follows, e.g. uuid, email, date-time, iso-4217 (JSON Schema `format`)."""
    min_items: int | None = pydantic.Field(default=None, ge=0)
    max_items: int | None = pydantic.Field(default=None, ge=0)
    nullable: bool = False
    """The value may be null (an Avro union with null, JSON Schema `type: [.., "null"]`);
    independent of `required` (whether the field may be absent)."""
    ref: TypeRef | None = None
    """A named type this field holds (for an array: each item holds): its fields appear
    below this one, e.g. `/total` with ref `Money` gives `/total/currency_code`."""
    deprecated: bool = False
    deprecated_on: date | None = None
    sunset: date | None = None
    """Date after which consumers must no longer read the field (CON-11)."""
    replaced_by: str | None = None
    """The path of the field to read instead."""
    clear_for: RefSet = []
    """System ids entitled to the field's clear value (an email provider must read the
    address): flows to them need no masking of it (SEC-08)."""

    @pydantic.model_validator(mode="after")
    def _ref_on_a_structure(self) -> Field:
        if self.ref is not None and self.type not in (FieldType.OBJECT, FieldType.ARRAY):
            raise ValueError(f"a field with ref '{self.ref}' must be of type object or array")
        if self.sunset and self.deprecated_on and self.sunset < self.deprecated_on:
            raise ValueError("sunset must not be before deprecated_on")
        return self


class NamedType(Model):
    """A named structure (Money, Address) defined once and referred to by fields' `ref`."""

    name: TypeName
    description: str | None = None
    fields: list[Field] = []
    """Paths relative to the type: `/currency_code`."""


class ErrorFormat(Model):
    """The format of error responses, e.g. RFC 9457 problem details."""

    media_type: str
    standard: str | None = None
    schema_ref: str | None = None


def _unique_in_order(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class Operation(Model):
    """One operation of a contract version: a REST method and path, a gRPC method or an
    AsyncAPI operation, with its own bodies. Its id is `<version id>#<name>`."""

    name: OperationName = pydantic.Field(
        json_schema_extra={"not": {"enum": sorted(PART_NAMES)}},
    )
    """Lower case, e.g. `place-order`; never a part name (request, response, ...)."""
    description: str | None = None
    method: HttpMethod | None = None
    http_path: str | None = None
    """REST path template, e.g. `/payments/{id}`."""
    grpc: str | None = None
    """Full gRPC method, `package.Service/Method`."""
    action: MessageAction | None = None
    channel: str | None = None
    """AsyncAPI channel (topic, queue) address."""
    mutating: bool | None = None
    """Whether the operation changes state; unset, derived from the method (RFC 9110: every
    method but GET, HEAD and OPTIONS), else false."""
    idempotent: bool | None = None
    """Whether repeating it has the effect of doing it once; unset, derived from the method
    (GET, HEAD, OPTIONS, PUT, DELETE), else false."""
    idempotency_key: FieldKey | None = None
    """The field carrying the key repeats are recognised by, e.g. `headers/Idempotency-Key`
    or `request/order_id` (relative to the operation)."""
    calls: Annotated[list[ElementRef], pydantic.AfterValidator(_unique_in_order)] = []
    """Flow ids the provider makes while serving this operation (its downstream calls), in
    the order it makes them, for the rules on timeout budgets, chains, latency and sagas."""
    calls_in_parallel: bool = False
    """Whether the calls are made concurrently (the latency is the slowest one's, not the
    sum); by default they are made one after the other."""
    deprecated: bool = False
    headers_format: SchemaFormat | None = None
    payload_format: SchemaFormat | None = None
    request: list[Field] = []
    response: list[Field] = []
    message: list[Field] = []
    error: list[Field] = []
    headers: list[Field] = []

    @pydantic.field_validator("name")
    @classmethod
    def _not_a_part(cls, value: str) -> str:
        if value in PART_NAMES:
            raise ValueError(f"'{value}' names a body part; choose another operation name")
        return value

    @property
    def is_mutating(self) -> bool:
        if self.mutating is not None:
            return self.mutating
        return self.method is not None and self.method not in SAFE_METHODS

    @property
    def is_idempotent(self) -> bool:
        if self.idempotent is not None:
            return self.idempotent
        return self.method is not None and self.method in IDEMPOTENT_METHODS


@dataclass(frozen=True)
class DeclaredField:
    """A field as written in a version: its place (`loc`, relative to the version) and key."""

    operation: str | None
    part: FieldPart
    field: Field
    loc: tuple[str | int, ...]

    @property
    def key(self) -> str:
        return field_key(self.part.value, self.field.path, self.operation)


@dataclass(frozen=True)
class VersionField:
    """A field of a version as the graph holds it: declared, or brought in by a named type
    (then `expanded_from` is the type's reference and `field` the type's field, whose path is
    relative to the type)."""

    operation: str | None
    part: FieldPart
    path: str
    field: Field
    expanded_from: str | None = None

    @property
    def key(self) -> str:
        return field_key(self.part.value, self.path, self.operation)


TypeResolver = Callable[[str], NamedType | None]
"""Finds a named type by the reference a field gives."""


def type_resolver(
    contracts: Mapping[str, Contract], contract_id: str, version: ContractVersion
) -> TypeResolver:
    """Resolves a field's `ref` written in `version` of contract `contract_id`: a name of the
    version's own types, or `<contract>@<version>#<name>` of one of `contracts` (a
    blueprint's, by id)."""

    def resolve(ref: str) -> NamedType | None:
        target, _, name = ref.rpartition("#")
        if not target:
            return version.named_type(name)
        other_id, _, other_version = target.partition("@")
        other = contracts.get(other_id)
        found = other.version(other_version) if other is not None else None
        return found.named_type(name) if found is not None else None

    return resolve


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
    headers: list[Field] = []
    """Headers of the version's messages or requests."""
    headers_format: SchemaFormat | None = None
    payload_format: SchemaFormat | None = None
    error_format: ErrorFormat | None = None
    types: list[NamedType] = []
    """Named types its fields (and other versions of the blueprint) refer to."""
    operations: list[Operation] = []

    def fields(self) -> Iterator[tuple[FieldPart, Field]]:
        """The version's own body fields (not its operations') with their part, in file
        order."""
        for part in FieldPart:
            for item in getattr(self, part.value):
                yield part, item

    def declared_fields(self) -> Iterator[DeclaredField]:
        """Every field written in the version, its operations' included, in file order."""
        for part in FieldPart:
            for j, item in enumerate(getattr(self, part.value)):
                yield DeclaredField(None, part, item, (part.value, j))
        for i, operation in enumerate(self.operations):
            for part in FieldPart:
                for j, item in enumerate(getattr(operation, part.value)):
                    yield DeclaredField(
                        operation.name, part, item, ("operations", i, part.value, j)
                    )

    def named_type(self, name: str) -> NamedType | None:
        return next((t for t in self.types if t.name == name), None)

    def operation(self, name: str) -> Operation | None:
        return next((o for o in self.operations if o.name == name), None)

    def expanded_fields(self, resolve: TypeResolver) -> list[VersionField]:
        """Every field the version holds: each declared one, followed by the fields of the
        named type it refers to (recursively; a type that contains itself stops at the
        field that closes the loop). An unknown reference brings nothing (validation
        reports it)."""
        found: list[VersionField] = []
        for declared in self.declared_fields():
            item = declared.field
            found.append(VersionField(declared.operation, declared.part, item.path, item))
            if item.ref is not None:
                found.extend(_expand(declared.operation, declared.part, item, resolve, ()))
        return found


def _expand(
    operation: str | None,
    part: FieldPart,
    holder: Field,
    resolve: TypeResolver,
    seen: tuple[str, ...],
    prefix: str | None = None,
) -> Iterator[VersionField]:
    ref = holder.ref
    if ref is None or ref in seen:
        return
    named = resolve(ref)
    if named is None:
        return
    base = (prefix or holder.path) + ("/*" if holder.type == FieldType.ARRAY else "")
    for item in named.fields:
        path = base + item.path
        yield VersionField(operation, part, path, item, expanded_from=ref)
        if item.ref is not None:
            yield from _expand(operation, part, item, resolve, (*seen, ref), path)


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
