"""Building blocks shared by every element of the model: ids, reference sets, locations."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
"""Author-chosen ids: lower case, digits, '.', '_', '-'; never '@', '#' or '/'."""

REF_PATTERN = r"^[a-z0-9][a-z0-9._@#/*-]*$"
"""Any referable id, including derived ones (`payments-api@2.0.0#request/card/pan`)."""

ElementId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
AnyId = Annotated[str, StringConstraints(pattern=REF_PATTERN)]


def _sorted_unique(values: list[str]) -> list[str]:
    # Reference lists are sets: one canonical order makes model equality and the graph round
    # trip independent of how authors ordered them.
    return sorted(set(values))


IdSet = Annotated[list[ElementId], AfterValidator(_sorted_unique)]
AnyIdSet = Annotated[list[AnyId], AfterValidator(_sorted_unique)]


class Model(BaseModel):
    """Base of every model class: unknown fields are errors, attribute docstrings document."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Element(Model):
    """An element with an author-chosen id, unique across the whole blueprint."""

    id: ElementId


class SourceLocation(BaseModel):
    """Where something was defined: file relative to the blueprint root, 1-based line/column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
