"""Relay cursor connections over the element lists: edges, page info, total count."""

from __future__ import annotations

import base64
from typing import Generic, TypeVar

import strawberry

from integraph.errors import IntegraphError

T = TypeVar("T")
MAX_PAGE = 1_000
"""The most elements one page may hold (`first`)."""


class BadCursor(IntegraphError):
    exit_code = 2
    code = "BAD_USER_INPUT"


def encode_cursor(element_id: str) -> str:
    return base64.urlsafe_b64encode(f"id:{element_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise BadCursor(f"'{cursor}' is not a cursor this API gave out") from None
    if not text.startswith("id:"):
        raise BadCursor(f"'{cursor}' is not a cursor this API gave out")
    return text[3:]


def check_first(first: int) -> None:
    if not 0 <= first <= MAX_PAGE:
        raise BadCursor(f"first must be between 0 and {MAX_PAGE}, not {first}")


@strawberry.type(description="Where a page stands in the whole list.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="One element of a page, with the cursor to continue after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="One page of a list, in id order, and how many there are in all.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="How many elements match the filter (asked of the database only when selected)."
    )

    @strawberry.field(description="The page's elements without their cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]
