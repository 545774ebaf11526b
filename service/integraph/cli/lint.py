"""``integraph lint`` and ``integraph rules``: run the Cypher rule catalogue, browse it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from integraph.cli.output import console
from integraph.cli.session import run_in_context
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.errors import ConfigurationError
from integraph.knowledge.load import read_knowledge
from integraph.limits import BlueprintLimits
from integraph.lint.baseline import read_baseline, write_baseline
from integraph.lint.catalogue import render_catalogue
from integraph.lint.config import load_lint_config
from integraph.lint.findings import OPEN, LintReport
from integraph.lint.loading import Severity, load_rules
from integraph.lint.reports import FORMATS, render
from integraph.lint.service import choose_rules, lint

rules_app = typer.Typer(help="Browse the lint rule catalogue.")


def severity_option(value: str) -> Severity:
    """A severity given on the command line (`--fail-on`, `--min-severity`), or exit 2."""
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def lint_command(
    paths: list[Path] = typer.Argument(
        None, help="Blueprint files or folders to lint without loading them (default: the graph)."
    ),
    rules_dir: list[Path] = typer.Option(
        [], "--rules", help="A folder of custom rule files to run as well (repeatable)."
    ),
    select: list[str] = typer.Option([], "--select", help="Only these rule ids (repeatable)."),
    area: list[str] = typer.Option([], "--area", help="Only rules of this area (repeatable)."),
    tag: list[str] = typer.Option([], "--tag", help="Only rules with this tag (repeatable)."),
    min_severity: str = typer.Option("info", "--min-severity", help="error, warning or info."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json, sarif, junit, markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    fail_on: str = typer.Option(
        "error", "--fail-on", help="Exit 1 on open findings at or above: error|warning|info|never."
    ),
    baseline: Path | None = typer.Option(
        None, "--baseline", help="Report only findings not in this baseline file."
    ),
    update_baseline: bool = typer.Option(
        False, "--update-baseline", help="Write the current open findings to --baseline."
    ),
    source_root: str | None = typer.Option(
        None, "--source-root", help="Prefix for file paths in reports (default: the PATH linted)."
    ),
    stop_after: bool = typer.Option(
        False,
        "--stop-after",
        help="Stop the embedded Neo4j afterwards if this command started it (hooks, CI).",
    ),
    blueprint: list[str] = typer.Option(
        [],
        "--blueprint",
        "-b",
        help="Only the findings of this blueprint's elements (repeatable; default: all).",
    ),
) -> None:
    """Run the lint rules over the loaded graph, or over blueprint files (graph untouched).

    Files are linted over the stored blueprints they use (`uses:`), and nothing else."""
    if fmt not in FORMATS:
        raise ConfigurationError(f"--format must be one of {', '.join(FORMATS)}")
    if update_baseline and baseline is None:
        raise ConfigurationError("--update-baseline needs --baseline FILE")
    threshold = None if fail_on == "never" else severity_option(fail_on)
    config = load_lint_config()
    rules = choose_rules(
        rule_dirs=rules_dir,
        ids=select or None,
        areas=area or None,
        tags=tag or None,
        min_severity=severity_option(min_severity),
        config=config,
    )
    known = read_baseline(baseline) if baseline and not update_baseline else set()
    if source_root is None:
        single = paths[0] if paths and len(paths) == 1 and paths[0].is_dir() else None
        source_root = os.path.relpath(single) if single else ""

    # Files are read and checked before any database is touched: a broken file fails fast.
    limits = BlueprintLimits.from_settings(load_settings())
    only = blueprint or None
    knowledge = read_knowledge(paths, limits=limits, only=only) if paths else None

    async def work(context: AppContext) -> LintReport:
        return await lint(
            context.store,
            rules,
            knowledge=knowledge,
            config=config,
            baseline=known,
            fail_on=threshold,
            blueprints=only,
        )

    report = run_in_context(work, keep_server=not stop_after)
    if update_baseline and baseline is not None:
        count = write_baseline(baseline, [f for f in report.findings if f.status == OPEN])
        console.print(f"baseline {baseline}: {count} findings recorded")
        return
    color = (
        output is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    text = render(report, fmt, source_root=source_root, color=color, fail_on=threshold)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        counts = report.counts()
        console.print(
            f"{fmt} report written to {output}: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info"
        )
    else:
        sys.stdout.write(text)
    if report.failed:
        raise typer.Exit(code=1)


@rules_app.command("list")
def list_rules(
    rules_dir: list[Path] = typer.Option([], "--rules", help="Include custom rule folders."),
) -> None:
    """The catalogue: id, severity (after project overrides), area and title."""
    config = load_lint_config()
    for rule in load_rules(rules_dir):
        severity = config.severity_of(rule)
        print(f"{rule.id:8} {severity!s:8} {rule.area:15} {rule.title}")


@rules_app.command("show")
def show_rule(
    rule_id: str = typer.Argument(..., help="Rule id, e.g. SEC-01."),
    rules_dir: list[Path] = typer.Option([], "--rules", help="Include custom rule folders."),
) -> None:
    """One rule in full: rationale, remediation, references, parameters and its query."""
    rules = {r.id: r for r in load_rules(rules_dir)}
    if rule_id not in rules:
        raise ConfigurationError(f"no rule {rule_id}; see `integraph rules list`")
    rule = rules[rule_id]
    config = load_lint_config()
    lines = [
        f"{rule.id}: {rule.title}",
        f"severity:    {config.severity_of(rule)} (default {rule.severity})",
        f"area:        {rule.area}",
        f"tags:        {', '.join(rule.tags) or '-'}",
        f"file:        {rule.path}",
        "",
        f"rationale:   {rule.rationale}",
        f"remediation: {rule.remediation}",
        "references:",
        *[f"  - {ref}" for ref in rule.references],
        "parameters:",
        *[f"  {k} = {v}" for k, v in config.parameters_of(rule).items()],
        "",
        rule.query,
    ]
    console.print("\n".join(lines), markup=False, highlight=False)


@rules_app.command("doc")
def rules_doc(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """The catalogue as Markdown (docs/rules.md is generated with this)."""
    text = render_catalogue(load_rules())
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
