"""Building blocks shared by every element of the model: ids, reference sets, locations."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

NAMESPACE_SEPARATOR = ":"
"""Between a blueprint id and an element's id in its full identifier: `landscape:crm`."""

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
"""Author-chosen ids: lower case, digits, '.', '_', '-'; never ':', '@', '#' or '/'."""

ELEMENT_REF_PATTERN = r"^([a-z0-9][a-z0-9._-]*:)?[a-z0-9][a-z0-9._-]*$"
"""A reference to an element: its id, or its full identifier `<blueprint>:<id>`."""

REF_PATTERN = r"^([a-z0-9][a-z0-9._-]*:)?[a-z0-9][a-z0-9._@#/*-]*$"
"""Any referable id, derived ones included (`payments-api@2.0.0#request/card/pan`), short
or with the blueprint in front (`landscape:payments-api@2.0.0`)."""

ElementId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ElementRef = Annotated[str, StringConstraints(pattern=ELEMENT_REF_PATTERN)]
AnyRef = Annotated[str, StringConstraints(pattern=REF_PATTERN)]


def qualify(blueprint: str, reference: str) -> str:
    """The full identifier of `reference` written inside `blueprint`: a short id gets the
    blueprint in front; a full identifier, the blueprint's own id and its review ids
    (`shop#review-1`, namespaced by construction) stay as they are."""
    if (
        NAMESPACE_SEPARATOR in reference
        or reference == blueprint
        or reference.startswith(f"{blueprint}#")
    ):
        return reference
    return f"{blueprint}{NAMESPACE_SEPARATOR}{reference}"


def localize(blueprint: str, full_id: str) -> str:
    """How `full_id` is written inside `blueprint`'s own files (the inverse of `qualify`):
    its own elements by short id, other blueprints' by full identifier."""
    prefix = f"{blueprint}{NAMESPACE_SEPARATOR}"
    return full_id[len(prefix) :] if full_id.startswith(prefix) else full_id


def split_reference(reference: str) -> tuple[str | None, str]:
    """(blueprint or None, local id) of a reference: `landscape:crm` -> ('landscape', 'crm')."""
    namespace, separator, local = reference.partition(NAMESPACE_SEPARATOR)
    return (namespace, local) if separator else (None, reference)


def _sorted_unique(values: list[str]) -> list[str]:
    # Reference lists are sets: one canonical order makes model equality and the graph round
    # trip independent of how authors ordered them.
    return sorted(set(values))


RefSet = Annotated[list[ElementRef], AfterValidator(_sorted_unique)]
AnyRefSet = Annotated[list[AnyRef], AfterValidator(_sorted_unique)]
IdSet = Annotated[list[ElementId], AfterValidator(_sorted_unique)]


class Model(BaseModel):
    """Base of every model class: unknown fields are errors, attribute docstrings document."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Element(Model):
    """An element with an author-chosen id, unique within its blueprint (its namespace)."""

    id: ElementId


class SourceLocation(BaseModel):
    """Where something was defined: file relative to the blueprint root, 1-based line/column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
