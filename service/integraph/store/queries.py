"""Named Cypher queries: every statement Integraph runs is a file under ``cypher/``.

A query is named by its path below ``cypher/`` without the extension, e.g.
``queries/db/ping`` for ``cypher/queries/db/ping.cypher``. Python passes parameters only.

One exception, for the planner's sake: Neo4j 5.26 plans a dynamic label ``$($label)`` as a
scan of every node, and a dynamic relationship type ``$($type)`` as an expansion of every
relationship filtered afterwards. So a query can be named with the label or type it is for,
``queries/api/list[System]`` or ``queries/api/related_values_outgoing[TO]``: the file's
``$($label)`` (``$($type)``) then reads ``System`` (``TO``). Only the fixed labels of
``integraph.graph.NodeLabel`` and types of ``RelType`` are accepted, never text from a user.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from integraph.graph import NodeLabel, RelType
from integraph.resources import cypher_dir

_NAME = re.compile(r"^[a-z0-9_]+(/[A-Za-z0-9_.-]+)+$")
_NAMED = re.compile(r"^(?P<name>.+)\[(?P<label>[A-Za-z_]+)\]$")
DYNAMIC_LABEL = "$($label)"
DYNAMIC_TYPE = "$($type)"
_FIXED: dict[str, str] = {
    **{label.value: DYNAMIC_LABEL for label in NodeLabel},
    **{rel.value: DYNAMIC_TYPE for rel in RelType},
}
"""Each fixed label and relationship type, and the dynamic form it stands for."""


@cache
def query_text(name: str) -> str:
    """The text of the named query; raises KeyError for a name with no file."""
    named = _NAMED.match(name)
    if named:
        fixed = named["label"]
        dynamic = _FIXED.get(fixed)
        if dynamic is None:
            raise KeyError(f"'{fixed}' in '{name}' is not a node label or relationship type")
        text = query_text(named["name"])
        if dynamic not in text:
            raise KeyError(f"query '{named['name']}' has no {dynamic} to name")
        return text.replace(dynamic, fixed)
    if not _NAME.match(name):
        raise KeyError(f"'{name}' is not a query name (expected e.g. 'queries/db/ping')")
    path = cypher_dir() / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no Cypher file for query '{name}' at {path}")
    return path.read_text()


def split_statements(text: str) -> list[str]:
    """Split a file holding several statements, each ending with ``;`` at the end of a line.

    Only used for schema migrations, whose statements never carry string literals with ``;``.
    """
    statements: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("//")):
            continue
        current.append(line)
        if stripped.endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";").strip())
            current = []
    tail = "\n".join(current).strip()
    if tail and not all(ln.strip().startswith("//") or not ln.strip() for ln in tail.splitlines()):
        statements.append(tail)
    return statements


def files_in(folder: str) -> list[Path]:
    """The ``.cypher`` files of a folder below ``cypher/``, sorted by name."""
    return sorted((cypher_dir() / folder).glob("*.cypher"))
