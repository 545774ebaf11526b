"""Where blueprint elements stand in their files: positions, located raw elements, field paths.

The YAML itself is read by ``integraph.bounded_yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from integraph.bounded_yaml import Loc, Position, YamlList, YamlMap
from integraph.model import SourceLocation


@dataclass(frozen=True)
class Located:
    """A position in a file: what to print in issues and what to store as the source."""

    file: str
    """Path as the user gave it (printed in issues)."""
    source_file: str
    """Path relative to the blueprint root folder (stored as the element's source)."""
    line: int
    column: int

    def source(self) -> SourceLocation:
        return SourceLocation(file=self.source_file, line=self.line, column=self.column)

    def at(self, position: Position) -> Located:
        """The same file at another position."""
        return Located(self.file, self.source_file, position[0], position[1])


@dataclass(frozen=True)
class RawElement:
    """One element as read from YAML, before validation."""

    section: str
    index: int | None
    """Position in its section's list (None for the `blueprint` mapping)."""
    node: Any
    at: Located
    """Where the element starts."""

    @property
    def raw_id(self) -> str | None:
        """The `id` written in the file, if it is a string."""
        if isinstance(self.node, dict):
            value = self.node.get("id")
            if isinstance(value, str):
                return value
        return None

    def locate(self, loc: Loc, key: bool = False) -> Located:
        """Position of the value at `loc` (of its key if `key`), else of the nearest parent."""
        position = (self.at.line, self.at.column)
        node = self.node
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, YamlMap) and part in node:
                position = node.key_at[part] if key and last else node.value_at[part]
                node = node[part]
            elif isinstance(node, YamlList) and isinstance(part, int) and part < len(node):
                position = node.item_at[part]
                node = node[part]
            else:
                break
        return self.at.at(position)

    def locate_item(self, field: str, value: Any) -> Located:
        """Position of `value` in the list held by `field` (lists are re-sorted after parsing)."""
        items = self.node.get(field) if isinstance(self.node, dict) else None
        if isinstance(items, list):
            for index, item in enumerate(items):
                if item == value:
                    return self.locate((field, index))
        return self.locate((field,))


def field_path(loc: Loc) -> str | None:
    """`versions[0].request[1].type` from ("versions", 0, "request", 1, "type")."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None
