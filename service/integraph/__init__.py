"""Integraph: a graph-backed knowledge base and linter for integration architecture blueprints."""

__version__ = "0.1.0"
