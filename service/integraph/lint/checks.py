"""Python checks that rules delegate to when their logic is shared with another capability.

A check takes the rows its rule's query returned and the rule's parameters, and returns
violation rows (``element``, ``related``, ``message``, ``details``). Register each in CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rows = list[dict[str, Any]]
Check = Callable[[Rows, dict[str, Any]], Rows]

CHECKS: dict[str, Check] = {}

AFTER_FINDINGS: frozenset[str] = frozenset()
"""Checks whose rules run last and judge the findings of the rules before them."""
