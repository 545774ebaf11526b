"""Block-style YAML text for blueprint data: plain dicts, lists and scalars.

A generic YAML library spends most of its time resolving and analysing each scalar; blueprint
data has a known shape (string keys; str, int, float, bool, date and None values), so this
writer decides each scalar's form with a few checks and is an order of magnitude faster,
which matters for `integraph export` and `integraph generate` on large landscapes.

Whatever it writes reads back to the same values under YAML 1.2 (ruamel's own parser) and
YAML 1.1 (libyaml): a string is written plain only when it cannot be read as anything else
(it starts with a letter, `_` or `/`, has no `:` or ` #`, and is no 1.1 boolean or null
word); text with line breaks becomes a `|` block; anything else is double-quoted.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterator
from enum import Enum
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_ ./@+,()'&*=-]*")
_WORDS_1_1 = frozenset(
    word
    for base in ("y", "n", "yes", "no", "on", "off", "true", "false", "null")
    for word in (base, base.capitalize(), base.upper())
)
# Characters YAML does not allow unescaped in a double-quoted scalar (beyond what JSON
# escapes), and line separators that YAML 1.1 treats as line breaks.
_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
INDENT = 2


def dump_yaml_text(content: dict[str, Any]) -> str:
    """The YAML document of `content`, keys in their order, lists indented under their key."""
    return "".join(line + "\n" for line in _mapping(content, 0))


def scalar_text(value: Any) -> str:
    """One scalar as YAML text that reads back to the same value."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _string_text(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML: {value!r}")


def _float_text(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    # YAML 1.1 reads a float only with a dot in its mantissa ("1e+20" would be a string).
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + ("e" + exponent if exponent else "")


def _string_text(value: str) -> str:
    if (
        _PLAIN.fullmatch(value)
        and not value.endswith(" ")
        and " #" not in value
        and value not in _WORDS_1_1
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _is_block_text(value: Any) -> bool:
    """Text written as a `|` block: several lines, none of them needing escapes."""
    return (
        isinstance(value, str)
        and "\n" in value
        and value.strip("\n") != ""
        and not value.startswith((" ", "\t", "\n"))
        and "\r" not in value
        and not _UNPRINTABLE.search(value)
        and all(c >= " " or c in "\t\n" for c in value)
    )


def _block_text(value: str, indent: int) -> Iterator[str]:
    """The header's chomping indicator, then the lines, indented."""
    if value.endswith("\n\n"):
        yield "|+"
    elif value.endswith("\n"):
        yield "|"
    else:
        yield "|-"
    pad = " " * indent
    lines = value[:-1].split("\n") if value.endswith("\n") else value.split("\n")
    for line in lines:
        yield pad + line if line else ""


def _value_lines(value: Any, indent: int) -> tuple[str, list[str]]:
    """What follows `key:` or `- ` on its line, and the lines below it."""
    if _is_block_text(value):
        header, *lines = _block_text(value, indent)
        return " " + header, lines
    if isinstance(value, dict):
        return ("", list(_mapping(value, indent))) if value else (" {}", [])
    if isinstance(value, list):
        return ("", list(_sequence(value, indent))) if value else (" []", [])
    return " " + scalar_text(value), []


def _mapping(content: dict[str, Any], indent: int) -> Iterator[str]:
    pad = " " * indent
    for key, value in content.items():
        head, below = _value_lines(value, indent + INDENT)
        yield f"{pad}{scalar_text(key)}:{head}"
        yield from below


def _sequence(items: list[Any], indent: int) -> Iterator[str]:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            # The first key shares the dash's line; the others line up under it.
            lines = list(_mapping(item, indent + INDENT))
            yield f"{pad}- {lines[0][indent + INDENT :]}"
            yield from lines[1:]
        else:
            head, below = _value_lines(item, indent + INDENT)
            yield f"{pad}-{head}"
            yield from below
