"""Locates the data that ships with Integraph: cypher/, seed/ and the embedded-Neo4j project.

An installed wheel carries them under ``integraph/_data``; a source checkout (editable install)
has them at the repository root. Both layouts are looked up in that order.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory (or file) ``name`` shipped with Integraph, e.g. ``cypher``."""
    for base in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"Integraph's data '{name}' is missing from {_PACKAGE_DIR}")


def cypher_dir() -> Path:
    return data_dir("cypher")


def seed_dir() -> Path:
    return data_dir("seed")


def embedded_pom() -> Path:
    return data_dir("embedded-neo4j/pom.xml")
