"""Fixtures for the blueprint tests: the tiny blueprint folders under tests/fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.blueprint.parse import load_blueprint_files
from integraph.model import Landscape

BLUEPRINTS = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"
MINIMAL = BLUEPRINTS / "minimal"
ERRORS = BLUEPRINTS / "errors"


@pytest.fixture(scope="session")
def minimal() -> Landscape:
    """The minimal fixture blueprint, parsed."""
    return load_blueprint_files([MINIMAL])
