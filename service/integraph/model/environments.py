"""Environments a blueprint's landscape runs in (development, staging, production...)."""

from __future__ import annotations

from integraph.model.element import Element


class Environment(Element):
    """One environment; components and credentials name the environments they serve."""

    name: str | None = None
    description: str | None = None
    production: bool = False
    """Whether it serves real customers and real data."""
    tags: list[str] = []
