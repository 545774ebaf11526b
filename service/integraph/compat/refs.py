"""Local `$ref` resolution inside one document (JSON Schema, OpenAPI, AsyncAPI).

Only same-document references are followed: `#/definitions/X`, `#/$defs/X`,
`#/components/schemas/X`, plain-name anchors (`#foo`). Other references stay opaque and are
compared by their text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

# Keywords that describe a schema without constraining data.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "example",
        "default",
        "$comment",
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$dynamicAnchor",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
    }
)


class RefResolver:
    """Follows local references in one document; unresolvable ones come back unchanged."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._anchors: dict[str, Any] | None = None

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """(target, the last reference followed or None). A `$ref` with sibling keywords
        (allowed from draft 2019-09) is merged over its target."""
        followed: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in followed:  # a reference chain that points back at itself
                return {}, ref
            target = self.lookup(ref)
            if target is None:
                return node, ref
            followed.append(ref)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings and isinstance(target, dict):
                target = {**target, **siblings}
            node = target
        return node, (followed[-1] if followed else None)

    def lookup(self, ref: str) -> Any:
        """The node a local reference points to, or None."""
        if not ref.startswith("#"):
            return None
        fragment = unquote(ref[1:])
        if fragment and not fragment.startswith("/"):
            return self._anchor_index().get(fragment)
        node = self.root
        for token in fragment.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def _anchor_index(self) -> dict[str, Any]:
        if self._anchors is None:
            self._anchors = {}
            stack = [self.root]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    for key in ("$anchor", "$dynamicAnchor"):
                        if isinstance(node.get(key), str):
                            self._anchors.setdefault(node[key], node)
                    # drafts 6 and 7 declare anchors as "$id": "#name"
                    node_id = node.get("$id")
                    if isinstance(node_id, str) and node_id.startswith("#"):
                        self._anchors.setdefault(node_id[1:], node)
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
        return self._anchors


def escape(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")
