"""YAML read into plain dicts and lists that remember the 1-based position of everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from integraph.model import SourceLocation

Loc = Sequence[str | int]
"""A path into a YAML document: mapping keys and list indexes."""
Position = tuple[int, int]
"""1-based (line, column)."""

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlMap(dict[Any, Any]):
    """A mapping read from YAML, with the position of each key and each value."""

    __slots__ = ("at", "key_at", "value_at")

    def __init__(self, at: Position) -> None:
        super().__init__()
        self.at = at
        self.key_at: dict[Any, Position] = {}
        self.value_at: dict[Any, Position] = {}


class YamlList(list[Any]):
    """A sequence read from YAML, with the position of each item."""

    __slots__ = ("at", "item_at")

    def __init__(self, at: Position) -> None:
        super().__init__()
        self.at = at
        self.item_at: list[Position] = []


class YamlStructureError(MarkedYAMLError):
    """Valid YAML syntax that is still not a usable document (duplicate keys, odd keys)."""


def _shared_tag(name: str) -> Tag:
    """One Tag object per tag name, so ruamel computes its text once."""
    tag = _TAGS.get(name)
    if tag is None:
        tag = _TAGS[name] = Tag(suffix=name)
    return tag


_TAGS: dict[str, Tag] = {}
_STR, _SEQ, _MAP = (_shared_tag(STR_TAG), _shared_tag(SEQ_TAG), _shared_tag(MAP_TAG))


class _DocumentResolver(VersionedResolver):
    """ruamel's YAML resolver with its per-document choices made once per document.

    The stock resolver looks up the document's YAML version and builds a new tag object for
    every node; on large files that is most of the parsing time. Here the version's table of
    implicit types is taken once (a file has one document, so one `%YAML` version) and tags
    are shared objects. Path resolvers, which blueprints do not use, are not supported.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._table: dict[Any, list[tuple[Any, Any]]] | None = None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                if self._table is None:
                    self._table = self.versioned_resolver
                for tag, pattern in self._table.get(value[:1], ()):
                    if pattern.match(value):
                        return _shared_tag(tag)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


def _yaml(*, pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = _DocumentResolver
    return yaml


def read_located(text: str) -> Any:
    """The single document in `text` as YamlMap / YamlList / scalars.

    Nodes are composed (not constructed), so ruamel's libyaml-based parser is used when
    installed (`ruamel.yaml[libyaml]`), and the pure-Python one otherwise.
    """
    yaml = _yaml(pure=False)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError:
        # libyaml is YAML 1.1 and stricter than ruamel's own YAML 1.2 parser (it refuses
        # `[payments:write]`, for one): the pure-Python parser has the last word.
        yaml = _yaml(pure=True)
        node = yaml.compose(text)
    if node is None:
        return None
    return _Builder(yaml.constructor).build(node)


def _position(node: Node) -> Position:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class _Builder:
    def __init__(self, constructor: SafeConstructor) -> None:
        self.constructor = constructor
        self.active: set[int] = set()

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            # Most scalars are plain strings; only other tags need the constructor.
            if node.ctag is _STR or node.tag == STR_TAG:
                return node.value
            return self.constructor.construct_object(node, deep=True)
        if id(node) in self.active:
            raise YamlStructureError(None, None, "recursive alias", node.start_mark)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self._sequence(node)
            if isinstance(node, MappingNode):
                return self._mapping(node)
            raise YamlStructureError(None, None, "unsupported YAML node", node.start_mark)
        finally:
            self.active.discard(id(node))

    def _sequence(self, node: SequenceNode) -> YamlList:
        items = YamlList(_position(node))
        for child in node.value:
            items.append(self.build(child))
            items.item_at.append(_position(child))
        return items

    def _mapping(self, node: MappingNode) -> YamlMap:
        mapping = YamlMap(_position(node))
        merged: list[YamlMap] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                value = self.build(value_node)
                merged.extend(value if isinstance(value, list) else [value])
                continue
            key = self.build(key_node)
            if isinstance(key, dict | list):
                raise YamlStructureError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in mapping:
                raise YamlStructureError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            mapping[key] = self.build(value_node)
            mapping.key_at[key] = _position(key_node)
            mapping.value_at[key] = _position(value_node)
        # `<<: *anchor` merges: keys written here win over merged ones.
        for source in merged:
            if not isinstance(source, YamlMap):
                raise YamlStructureError(None, None, "'<<' needs a mapping", node.start_mark)
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    mapping.key_at[key] = source.key_at[key]
                    mapping.value_at[key] = source.value_at[key]
        return mapping


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
