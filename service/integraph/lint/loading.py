"""Loading the rules a lint run executes: read the rule files, then check what they name.

``integraph.lint.rules`` reads and validates rule files on its own; the names of the Python
checks that rules delegate to (``// check: ...``) are checked here, against the registry in
``integraph.lint.checks``, because the checks import the findings and the findings import the
rules: validating them in ``rules`` would make the package's imports a cycle.
"""

from __future__ import annotations

from pathlib import Path

from integraph.lint.checks import CHECKS
from integraph.lint.rules import Rule, RuleInvalid, Severity, read_rules, select_rules

__all__ = ["Rule", "RuleInvalid", "Severity", "check_names", "load_rules", "select_rules"]


def check_names(rules: list[Rule]) -> list[Rule]:
    """``rules`` unchanged when every check they name is registered; RuleInvalid otherwise."""
    for rule in rules:
        if rule.check is not None and rule.check not in CHECKS:
            raise RuleInvalid(
                f"{rule.path}: rule {rule.id} names an unknown check '{rule.check}' "
                f"(known: {', '.join(sorted(CHECKS)) or 'none'})"
            )
    return rules


def load_rules(extra_dirs: list[Path] | None = None) -> list[Rule]:
    """The built-in catalogue plus the rule files of ``extra_dirs``, sorted by id, with the
    names of their checks validated."""
    return check_names(read_rules(extra_dirs))
