"""GraphQL types derived from the pydantic model and the service results, never restated.

`object_type(model, ...)` turns a pydantic model (or a dataclass) into a strawberry type with
one GraphQL field per model field: the same names (camelCased by strawberry), the same
nullability, the model's docstrings as descriptions, its enums as GraphQL enums. Fields that
the graph stores as relationships are left out by the caller and declared as relations.
Values are read from the source object by the schema's default resolver: a dict (a node's
properties) or an attribute (a service result).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from enum import Enum
from typing import Any

import strawberry
from pydantic import BaseModel
from strawberry.scalars import JSON

Date = typing.NewType("Date", str)
DateTime = typing.NewType("DateTime", str)
SCALARS = {
    Date: strawberry.scalar(
        name="Date",
        description="A calendar date, ISO 8601 (`2026-12-01`).",
        serialize=lambda value: (
            value.isoformat() if isinstance(value, datetime.date) else str(value)
        ),
        parse_value=lambda value: datetime.date.fromisoformat(value),
    ),
    DateTime: strawberry.scalar(
        name="DateTime",
        description="A moment, ISO 8601 with its offset (`2026-12-01T10:00:00+00:00`).",
        serialize=lambda value: value.isoformat() if hasattr(value, "isoformat") else str(value),
        parse_value=lambda value: datetime.datetime.fromisoformat(value),
    ),
}
"""The schema's own scalars (`StrawberryConfig.scalar_map`): stored dates are ISO text."""

_ENUMS: dict[type[Enum], Any] = {}
_OBJECTS: dict[tuple[type, str], type] = {}


_ENUM_NAMES = {"integraph.model.policies.Severity": "AlertSeverity"}
"""GraphQL names of enums whose Python name another enum has too."""


def enum_type(enum: type[Enum]) -> Any:
    """The GraphQL enum of a model enum (one per enum, whatever uses it)."""
    if enum not in _ENUMS:
        name = _ENUM_NAMES.get(f"{enum.__module__}.{enum.__qualname__}")
        _ENUMS[enum] = strawberry.enum(enum, name=name, description=_doc(enum))
    return _ENUMS[enum]


def _doc(thing: Any) -> str | None:
    doc = thing.__doc__
    if not doc or doc.startswith(("An enumeration", "Create a collection")):
        return None
    return " ".join(doc.split())


def graphql_annotation(annotation: Any) -> Any:
    """The GraphQL type of a model annotation: scalars, dates, enums, lists, nested models;
    a union of scalars (a field's `default`) is JSON."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return graphql_annotation(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        inner = graphql_annotation(members[0]) if len(members) == 1 else JSON
        return inner | None if optional else inner
    if origin is typing.Literal:
        return str
    if origin in (list, tuple, set, frozenset):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return list[graphql_annotation(args[0])] if args else list[JSON]
    if origin is dict or annotation is dict or annotation is Any:
        return JSON
    if annotation is datetime.datetime:
        return DateTime
    if annotation is datetime.date:
        return Date
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return enum_type(annotation)
        if issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation):
            return object_type(annotation)
        if annotation in (str, int, float, bool):
            return annotation
    raise TypeError(f"no GraphQL type for {annotation!r}")


def model_fields(model: type) -> dict[str, tuple[Any, str | None, bool]]:
    """name -> (annotation, description, required) of a pydantic model or a dataclass."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {
            name: (info.annotation, info.description, info.is_required())
            for name, info in model.model_fields.items()
        }
    hints = typing.get_type_hints(model)
    return {f.name: (hints[f.name], None, True) for f in dataclasses.fields(model)}


def object_type(
    model: type,
    *,
    name: str | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
    extra: dict[str, Any] | None = None,
    json_fields: frozenset[str] = frozenset(),
    interfaces: tuple[type, ...] = (),
    description: str | None = None,
    is_type_of: Any = None,
) -> type:
    """The strawberry type of `model`: its fields minus `exclude`, plus `extra` (relations:
    strawberry fields with resolvers). `json_fields` are stored as JSON text in the graph and
    decoded on the way out."""
    name = name or model.__name__
    key = (model, name)
    if key in _OBJECTS:
        return _OBJECTS[key]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__, "__doc__": description or _doc(model)}
    for field_name, (annotation, doc, required) in model_fields(model).items():
        if field_name in exclude:
            continue
        graphql = graphql_annotation(annotation)
        if not required and not _nullable(graphql) and _has_no_default(model, field_name):
            graphql = graphql | None
        if field_name in json_fields:
            namespace[field_name] = strawberry.field(
                resolver=_json_resolver(field_name, graphql), description=doc
            )
            continue
        if field_name == "id":
            graphql = strawberry.ID
        annotations[field_name] = graphql
        namespace[field_name] = strawberry.field(description=doc)
    namespace["__annotations__"] = annotations
    namespace.update(extra or {})
    cls = type(name, interfaces, namespace)
    if is_type_of is not None:
        cls.is_type_of = classmethod(is_type_of)  # type: ignore[attr-defined]
    result = strawberry.type(cls)
    _OBJECTS[key] = result
    return result


def _nullable(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(
        None
    ) in typing.get_args(annotation)


def _has_no_default(model: type, field_name: str) -> bool:
    if isinstance(model, type) and issubclass(model, BaseModel):
        info = model.model_fields[field_name]
        return info.default is None and info.default_factory is None
    return False


def _json_resolver(field_name: str, annotation: Any) -> Any:
    """A resolver decoding a property stored as JSON text into the nested type's values."""

    def resolve(root: strawberry.Parent[Any]) -> Any:
        value = root.get(field_name) if isinstance(root, dict) else getattr(root, field_name)
        return json.loads(value) if isinstance(value, str) else value

    resolve.__annotations__["return"] = annotation
    return resolve


def read_value(source: Any, name: str) -> Any:
    """The schema's default resolver: a node's property, or a result's attribute."""
    if type(source) is dict:
        return source.get(name)
    return getattr(source, name, None)
