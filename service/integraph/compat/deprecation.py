"""Reading deprecation markers: `deprecated: true`, `x-deprecated-since`, Avro doc text."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_SINCE_KEYS = ("x-deprecated-since", "deprecated_since", "deprecatedSince", "x-deprecatedSince")
_DOC_DEPRECATED = re.compile(r"(^\s*deprecated\b|@deprecated\b)", re.IGNORECASE)
_DOC_SINCE = re.compile(r"deprecated\s+since\s+(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def parse_date(value: Any) -> date | None:
    """A date from a YAML date, a datetime or an ISO `YYYY-MM-DD` string; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def deprecation_of(node: Any) -> tuple[bool, date | None]:
    """(marked deprecated, since when) for a schema, field, operation or message."""
    if not isinstance(node, dict):
        return False, None
    since = next((parse_date(node[k]) for k in _SINCE_KEYS if k in node), None)
    flag = node.get("deprecated") is True or node.get("x-deprecated") is True
    doc = node.get("doc")
    if isinstance(doc, str):  # Avro has no deprecation keyword; teams write it in `doc`
        if _DOC_DEPRECATED.search(doc):
            flag = True
        match = _DOC_SINCE.search(doc)
        if match and since is None:
            since = parse_date(match.group(1))
            flag = True
    return flag or since is not None, since
