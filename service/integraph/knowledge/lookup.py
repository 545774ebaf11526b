"""Finding an element from what a person types: a full identifier, or a short id that only
one blueprint has. The CLI and the API resolve ids here before calling a service."""

from __future__ import annotations

from integraph.errors import IntegraphError
from integraph.model import NAMESPACE_SEPARATOR
from integraph.store.driver import Store


class AmbiguousId(IntegraphError):
    """A short id that several blueprints have: the full identifier is needed."""

    exit_code = 2


async def resolve_id(store: Store, text: str) -> str:
    """The full identifier `text` names; `text` itself when nothing matches (the service
    then reports it as unknown in its own words). AmbiguousId for a short id that several
    blueprints have, or that is both a blueprint's id and an element's."""
    rows = await store.read("queries/knowledge/find_element", text=text)
    if NAMESPACE_SEPARATOR in text and any(row["id"] == text for row in rows):
        return text  # a full identifier
    if len(rows) == 1:
        return str(rows[0]["id"])
    if len(rows) > 1:
        options = ", ".join(f"{row['id']} ({row['kind'].lower()})" for row in rows)
        raise AmbiguousId(f"'{text}' is in several blueprints: use one of {options}")
    return text
