"""Scheduled audits inside the app: the scheduler runs in the lifespan, /metrics shows the
latest runs, and the README's Grafana dashboard and alert rule use metrics that exist."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from integraph.api.audits import scheduled_audits
from integraph.api.metrics import ApiMetrics
from integraph.audits import service
from integraph.audits.runs import run_audit
from integraph.config import load_settings
from integraph.context import AppContext
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules

README = Path(__file__).resolve().parent.parent.parent / "README.md"


async def test_the_app_audits_on_schedule_and_shows_the_run_on_metrics(knowledge) -> None:
    context = AppContext(
        settings=load_settings(audit_every="1h"), lint_config=LintConfig(), store=knowledge
    )
    metrics = ApiMetrics()
    async with scheduled_audits(context, metrics):
        for _ in range(600):
            runs = await service.runs(knowledge)
            if runs:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # the tick's refresh of the gauges
    (run,) = runs  # one run for this period, however often the scheduler ticked
    assert run.status == "complete"
    text = metrics.render().decode()
    errors = run.breakdown["severity"].get("error", 0)
    assert errors > 0
    assert f'integraph_audit_open_findings_by_severity{{severity="error"}} {errors:.1f}' in text
    assert 'integraph_audit_last_run_status{status="complete"} 1.0' in text
    assert 'integraph_audit_runs_total{status="complete"} 1.0' in text


def _readme_block(title: str, language: str) -> str:
    text = README.read_text()
    at = text.index(title)
    found = re.search(rf"```{language}\n(.*?)```", text[at:], re.DOTALL)
    assert found, f"no {language} block after {title!r} in the README"
    return found.group(1)


def test_the_readme_dashboard_and_alert_rule_use_metrics_that_exist() -> None:
    exposed = set(re.findall(r"^# TYPE (\S+) (\S+)", ApiMetrics().render().decode(), re.M))
    names = set()
    for name, kind in exposed:
        names.add(name)
        if kind == "counter":
            names.add(f"{name}_total")
        if kind == "histogram":
            names.update(f"{name}_{suffix}" for suffix in ("bucket", "sum", "count"))
    dashboard = json.loads(_readme_block("Grafana dashboard", "json"))
    expressions = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    rule = _readme_block("Prometheus alert rule", "yaml")
    used = set(re.findall(r"\bintegraph_[a-z_]+", " ".join(expressions) + rule))
    assert used and used <= names, used - names


async def test_audits_read_through_graphql_as_the_cli_reads_them(run, knowledge) -> None:
    rules = choose_rules()
    first = await run_audit(knowledge, rules, config=LintConfig())
    second = await run_audit(knowledge, rules, config=LintConfig())
    data = await run(
        """query($a: String!, $b: String!, $fp: String!) {
             auditRuns { id status counts findings { rule } }
             auditRun(id: $b) { id previous
               findings(where: {marks: ["persisting"], severities: ["error"]}) {
                 rule element team mark status } }
             auditDiff(before: $a, after: $b) { appeared { rule } disappeared { rule }
               changed { before { status } after { status } } unchanged }
             auditFindingHistory(fingerprint: $fp) { run { id } finding { mark } }
             auditTrend(by: "severity") { run counts } }""",
        {"a": first.id, "b": second.id, "fp": first.findings[0].fingerprint},
    )
    assert [r["id"] for r in data["auditRuns"]] == [second.id, first.id]
    assert data["auditRuns"][0]["counts"] == second.counts
    assert data["auditRuns"][0]["findings"] == []  # lists carry no findings
    shown = data["auditRun"]
    assert shown["previous"] == first.id
    expected = [f for f in second.findings if f.mark == "persisting" and f.severity == "error"]
    assert len(shown["findings"]) == len(expected) > 0
    assert all(f["mark"] == "persisting" for f in shown["findings"])
    diff = data["auditDiff"]
    assert diff["appeared"] == diff["disappeared"] == diff["changed"] == []
    assert diff["unchanged"] == len(first.findings)
    assert [h["finding"]["mark"] for h in data["auditFindingHistory"]] == ["new", "persisting"]
    assert [p["run"] for p in data["auditTrend"]] == [first.id, second.id]
    assert data["auditTrend"][1]["counts"] == second.breakdown["severity"]
