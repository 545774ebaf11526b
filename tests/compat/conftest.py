"""Shared helpers for the compatibility tests: run one change under the three main modes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from integraph.compat import CompatibilityReport, Difference, diff_schemas

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
# Reference documents written by others live beside the project (../shared/fixtures).
SHARED_FIXTURES = Path(__file__).parents[2].parent / "shared" / "fixtures"

Flags = tuple[bool, bool, bool]


@pytest.fixture
def schemas_dir() -> Path:
    return SCHEMAS


@pytest.fixture
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return SHARED_FIXTURES


def only(report: CompatibilityReport) -> Difference:
    """The single difference of a report (the tests compare tiny pairs)."""
    assert len(report.differences) == 1, [d.model_dump() for d in report.differences]
    return report.differences[0]


@pytest.fixture
def flags() -> Callable[..., tuple[str, str, Flags]]:
    """(kind, pointer, breaking under BACKWARD/FORWARD/FULL) of the one difference of a pair."""

    def run(old: Any, new: Any, **options: Any) -> tuple[str, str, Flags]:
        found = [
            only(diff_schemas(old, new, mode=m, **options)) for m in ("BACKWARD", "FORWARD", "FULL")
        ]
        assert len({(d.kind, d.pointer) for d in found}) == 1
        return (
            found[0].kind.value,
            found[0].pointer,
            (found[0].breaking, found[1].breaking, found[2].breaking),
        )

    return run
