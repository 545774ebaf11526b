"""Project lint settings from the ``[lint]`` table of ``integraph.toml``.

[lint]
rule_timeout_s = 10          # per rule
[lint.severity]              # override a rule's default severity
"RES-06" = "error"
[lint.parameters."RES-12"]   # override a rule's parameters
max_depth = 4
[lint.thresholds]            # open findings tolerated before the run fails
"SEC-01" = 0                 # by rule id ...
"error-handling" = 3         # ... or by area
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from integraph.config import config_file_path, read_config_file
from integraph.errors import ConfigurationError
from integraph.lint.rules import Rule, Severity


@dataclass(frozen=True)
class LintConfig:
    rule_timeout_s: float = 10.0
    severity: dict[str, Severity] = field(default_factory=dict)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    thresholds: dict[str, int] = field(default_factory=dict)

    def severity_of(self, rule: Rule) -> Severity:
        return self.severity.get(rule.id, rule.severity)

    def parameters_of(self, rule: Rule) -> dict[str, Any]:
        overrides = self.parameters.get(rule.id, {})
        unknown = sorted(set(overrides) - set(rule.parameters))
        if unknown:
            raise ConfigurationError(
                f'[lint.parameters."{rule.id}"]: {rule.id} has no parameter '
                f"{', '.join(unknown)} (it has: {', '.join(rule.parameters) or 'none'})"
            )
        return {**rule.parameters, **overrides}

    def threshold_of(self, rule: Rule) -> int | None:
        if rule.id in self.thresholds:
            return self.thresholds[rule.id]
        return self.thresholds.get(rule.area)


def load_lint_config(path: Path | None = None) -> LintConfig:
    """The ``[lint]`` settings of the project config file (defaults when there is none)."""
    table = read_config_file(path).get("lint", {})
    if not table:
        return LintConfig()
    where = f"{path or config_file_path()}: [lint]"
    try:
        severity = {k: Severity.parse(v) for k, v in table.get("severity", {}).items()}
        thresholds = {k: int(v) for k, v in table.get("thresholds", {}).items()}
        timeout = float(table.get("rule_timeout_s", 10.0))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    parameters = table.get("parameters", {})
    if not isinstance(parameters, dict) or not all(
        isinstance(v, dict) for v in parameters.values()
    ):
        raise ConfigurationError(f'{where}: [lint.parameters."RULE-ID"] tables expected')
    return LintConfig(
        rule_timeout_s=timeout, severity=severity, parameters=parameters, thresholds=thresholds
    )
