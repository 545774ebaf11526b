"""YAML read within bounds into plain dicts and lists that remember where everything was.

Every YAML document Integraph reads from a user (blueprint files, change sets, schema files,
rule headers) goes through ``read_located``: built from parser events on an explicit stack,
never recursively, with file size, nesting, alias expansion and scalar sizes bounded by
``BlueprintLimits``, so that a hostile document ends in an error with a position, never in
exhausted memory, a crash or a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from integraph.limits import DEFAULT_LIMITS, BlueprintLimits, size_text

Loc = Sequence[str | int]
"""A path into a YAML document: mapping keys and list indexes."""
Position = tuple[int, int]
"""1-based (line, column)."""

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
MERGE_TAG = "tag:yaml.org,2002:merge"
INT_TAG = "tag:yaml.org,2002:int"


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


def read_located(text: str, limits: BlueprintLimits = DEFAULT_LIMITS) -> Any:
    """The single document in `text` as YamlMap / YamlList / scalars.

    The document is built from parser events on an explicit stack, never recursively, so
    that no nesting can exhaust the C or the Python stack; `limits` bounds nesting, alias
    expansion and scalar sizes (YamlLimitError at the position that crosses a bound).
    ruamel's libyaml-based parser is used when installed (`ruamel.yaml[libyaml]`), the
    pure-Python one otherwise.
    """
    try:
        return _EventBuilder(_yaml(pure=False), limits).build(text)
    except (YamlStructureError, ConstructorError):
        raise
    except MarkedYAMLError:
        # libyaml is YAML 1.1 and stricter than ruamel's own YAML 1.2 parser (it refuses
        # `[payments:write]`, for one): the pure-Python parser has the last word.
        return _EventBuilder(_yaml(pure=True), limits).build(text)


def _position(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


class YamlLimitError(YamlStructureError):
    """The document crosses one of the BlueprintLimits."""


_NO_KEY = object()
"""A mapping frame waiting for its next key."""
_MERGE = object()
"""A mapping frame whose pending key is `<<`."""


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("anchor", "container", "key", "key_at", "mark", "merges", "nodes")

    def __init__(self, container: YamlMap | YamlList, anchor: Any, mark: Any, nodes: int) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.key_at: Position = (0, 0)
        self.merges: list[Any] | None = None
        self.anchor = anchor
        self.mark = mark
        self.nodes = nodes
        """Nodes counted when the frame opened (its size is the difference when it closes)."""


class _EventBuilder:
    """YamlMap / YamlList / scalars from parser events, with the limits applied."""

    def __init__(self, yaml: YAML, limits: BlueprintLimits) -> None:
        self.yaml = yaml
        self.limits = limits

    def build(self, text: str) -> Any:
        limits = self.limits
        max_depth, max_scalar = limits.max_depth, limits.max_scalar_chars
        constructor = self.yaml.constructor
        table: dict[Any, list[tuple[Any, Any]]] | None = None
        anchors: dict[Any, tuple[Any, int]] = {}
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        nodes = expanded = 0
        document_mark: Any = None
        for event in self.yaml.parse(text):
            kind = type(event)
            if kind is ScalarEvent:
                nodes += 1
                value = event.value
                if len(value) > max_scalar:
                    raise self._too_long(value, event.start_mark)
                tag = event.ctag
                name = STR_TAG if tag is None else str(tag)
                if tag is None or name == "!":
                    name = STR_TAG
                    if event.implicit[0]:
                        if table is None:
                            table = self.yaml.resolver.versioned_resolver
                        for resolved, pattern in table.get(value[:1], ()):
                            if pattern.match(value):
                                name = resolved
                                break
                if name != STR_TAG and name != MERGE_TAG:
                    value = self._construct(constructor, name, event)
                at = _position(event.start_mark)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                if len(stack) >= max_depth:
                    raise YamlLimitError(
                        None,
                        None,
                        f"nested more than {max_depth} levels deep (mappings and lists "
                        f"inside each other); a blueprint file may nest at most {max_depth}",
                        event.start_mark,
                    )
                at = _position(event.start_mark)
                container = YamlMap(at) if kind is MappingStartEvent else YamlList(at)
                stack.append(_Frame(container, event.anchor, event.start_mark, nodes - 1))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                if frame.merges is not None:
                    self._merge(value, frame)
                at = _position(frame.mark)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, nodes - frame.nodes)
            elif kind is AliasEvent:
                name = event.anchor
                if name not in anchors:
                    if any(frame.anchor == name for frame in stack):
                        problem = "recursive alias"
                    else:
                        problem = f"found undefined alias {name!r}"
                    raise YamlStructureError(None, None, problem, event.start_mark)
                value, size = anchors[name]
                nodes += size
                expanded += size
                if expanded > limits.max_alias_nodes:
                    raise YamlLimitError(
                        None,
                        None,
                        f"aliases ('*name', '<<: *name') expand to more than "
                        f"{limits.max_alias_nodes:,} values in this file (a blueprint file "
                        f"may repeat at most {limits.max_alias_nodes:,} values through aliases)",
                        event.start_mark,
                    )
                at = _position(event.start_mark)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlStructureError(
                        "expected a single document in the stream",
                        document_mark,
                        "but found another document",
                        event.start_mark,
                    )
                document_mark = event.start_mark
                continue
            else:
                continue
            # A value is complete: put it into its parent.
            if not stack:
                root = value
                continue
            top = stack[-1]
            parent = top.container
            if type(parent) is YamlList:
                parent.append(value)
                parent.item_at.append(at)
            elif top.key is _NO_KEY:
                if kind is not ScalarEvent and kind is not AliasEvent:
                    raise YamlStructureError(
                        None, None, "a mapping key must be a plain value", frame.mark
                    )
                if kind is ScalarEvent and name == MERGE_TAG:
                    top.key = _MERGE
                    continue
                if isinstance(value, dict | list):
                    raise YamlStructureError(
                        None, None, "a mapping key must be a plain value", event.start_mark
                    )
                if value in parent:
                    raise YamlStructureError(
                        None, None, f"duplicate key '{value}'", event.start_mark
                    )
                top.key = value
                top.key_at = at
            else:
                key = top.key
                top.key = _NO_KEY
                if key is _MERGE:
                    if top.merges is None:
                        top.merges = []
                    top.merges.extend(value if isinstance(value, list) else [value])
                    continue
                parent[key] = value
                parent.key_at[key] = top.key_at
                parent.value_at[key] = at
        return root

    @staticmethod
    def _merge(mapping: YamlMap, frame: _Frame) -> None:
        # `<<: *anchor` merges: keys written here win over merged ones.
        for source in frame.merges or ():
            if not isinstance(source, YamlMap):
                raise YamlStructureError(None, None, "'<<' needs a mapping", frame.mark)
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    mapping.key_at[key] = source.key_at[key]
                    mapping.value_at[key] = source.value_at[key]

    def _construct(self, constructor: SafeConstructor, name: str, event: Any) -> Any:
        """A scalar of another type than str (int, bool, date, ...)."""
        value = event.value
        if name == INT_TAG:
            digits = sum(ch.isdigit() for ch in value)
            if digits > self.limits.max_integer_digits:
                raise YamlLimitError(
                    None,
                    None,
                    f"an integer of {digits:,} digits; a blueprint file may hold integers "
                    f"of at most {self.limits.max_integer_digits:,} digits",
                    event.start_mark,
                )
        tag = _shared_tag(name)
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
        try:
            return constructor.construct_non_recursive_object(node)
        except (ValueError, OverflowError) as error:
            shown = value if len(value) <= 40 else value[:37] + "..."
            problem = f"cannot read {shown!r} as {name.rsplit(':', 1)[-1]}: {error}"
            raise YamlStructureError(None, None, problem, event.start_mark) from None

    def _too_long(self, value: str, mark: Any) -> YamlLimitError:
        limit = self.limits.max_scalar_chars
        return YamlLimitError(
            None,
            None,
            f"a value of {len(value):,} characters; a blueprint file may hold values of at most "
            f"{limit:,} characters ({size_text(limit)})",
            mark,
        )
