"""Named Cypher queries: every statement Integraph runs is a file under ``cypher/``.

A query is named by its path below ``cypher/`` without the extension, e.g.
``queries/db/ping`` for ``cypher/queries/db/ping.cypher``. Python passes parameters only.

One exception, for the planner's sake: a node label given as the dynamic label ``$($label)``
makes Neo4j 5.26 scan every node, so a query over one kind of element can be named with that
kind, ``queries/api/list[System]``: the file's ``$($label)`` then reads ``System``. Only the
fixed labels of ``integraph.graph.NodeLabel`` are accepted there, never text from a user.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from integraph.graph import NodeLabel
from integraph.resources import cypher_dir

_NAME = re.compile(r"^[a-z0-9_]+(/[A-Za-z0-9_.-]+)+$")
_LABELLED = re.compile(r"^(?P<name>.+)\[(?P<label>[A-Za-z]+)\]$")
DYNAMIC_LABEL = "$($label)"


@cache
def query_text(name: str) -> str:
    """The text of the named query; raises KeyError for a name with no file."""
    labelled = _LABELLED.match(name)
    if labelled:
        try:
            label = NodeLabel(labelled["label"])
        except ValueError:
            raise KeyError(f"'{labelled['label']}' in '{name}' is not a node label") from None
        text = query_text(labelled["name"])
        if DYNAMIC_LABEL not in text:
            raise KeyError(f"query '{labelled['name']}' has no {DYNAMIC_LABEL} to name")
        return text.replace(DYNAMIC_LABEL, label.value)
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
