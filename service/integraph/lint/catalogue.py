"""The rule catalogue as a Markdown document (``docs/rules.md`` is generated from this)."""

from __future__ import annotations

from itertools import groupby

from integraph.lint.rules import AREAS, Rule

HEADER = """# Lint rule catalogue

Generated from the rule files in `cypher/rules/` by `integraph rules doc -o docs/rules.md`;
a test keeps this file in sync. Severities are defaults; a project overrides them, and rule
parameters, in the `[lint]` table of `integraph.toml`.
"""


def _area_order(rule: Rule) -> tuple[int, str]:
    return (AREAS.index(rule.area) if rule.area in AREAS else len(AREAS), rule.area)


def render_catalogue(rules: list[Rule]) -> str:
    """Markdown: a summary table, then each rule with rationale, remediation and references."""
    ordered = sorted(rules, key=lambda r: (_area_order(r), r.id))
    lines = [HEADER, "| id | severity | area | title |", "|---|---|---|---|"]
    lines += [
        f"| [{r.id}](#{r.id.lower()}) | {r.severity} | {r.area} | {r.title} |" for r in ordered
    ]
    for area, group in groupby(ordered, key=lambda r: r.area):
        lines += ["", f"## {area}"]
        for rule in group:
            lines += [
                "",
                f"### {rule.id}",
                "",
                f"**{rule.title}** ({rule.severity}; tags: {', '.join(rule.tags) or '-'})",
                "",
                f"*Why.* {rule.rationale}",
                "",
                f"*Fix.* {rule.remediation}",
            ]
            if rule.parameters:
                params = ", ".join(f"`{k}` = `{v}`" for k, v in rule.parameters.items())
                lines += ["", f"*Parameters.* {params}"]
            lines += ["", "*References.*", *[f"- <{ref}>" for ref in rule.references]]
    return "\n".join(lines) + "\n"
