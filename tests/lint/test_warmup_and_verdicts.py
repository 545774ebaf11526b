"""The lint warm-up (lint/warmup.py) and the compatibility verdict cache (lint/checks.py)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

from integraph.lint import checks
from integraph.lint.config import LintConfig
from integraph.lint.loading import load_rules
from integraph.lint.warmup import start_warm_up, stop_warm_up, warm_up
from integraph.store.derived import version_content
from integraph.store.driver import Store

SOME = {"CON-03", "RES-07", "SEC-01", "GOV-01"}  # a check, derived facts, plain, after-findings


async def test_warm_up_plans_and_runs_the_rules(graph: Store) -> None:
    rules = [r for r in load_rules() if r.id in SOME]
    assert await warm_up(graph, rules, LintConfig(), run=False) == len(SOME)
    assert await warm_up(graph, rules, LintConfig()) == len(SOME)


async def test_a_rule_that_cannot_be_planned_does_not_stop_the_warm_up(
    graph: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "TEAM-01.cypher").write_text(
        "// id: TEAM-01\n// title: Broken\n// severity: warning\n// area: governance\n"
        "// rationale: A rule that does not parse.\n// remediation: Fix it.\n"
        "// references: [https://example.org]\n"
        "MATCH (n RETURN n.id AS element, 'm' AS message\n"
    )
    rules = [r for r in load_rules([folder]) if r.id in SOME | {"TEAM-01"}]
    assert await warm_up(graph, rules, LintConfig(), run=False) == len(SOME)


async def test_closing_the_context_cancels_a_warm_up_in_progress(graph: Store) -> None:
    task = start_warm_up(graph, LintConfig())
    assert task is not None
    await asyncio.sleep(0)
    await stop_warm_up(task)
    assert task.done()
    assert await graph.read("queries/db/ping")  # the store is still usable


# --- verdicts cached by content digest -----------------------------------------------------


def _version(version_id: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    content = version_content(fields)
    return {
        "id": version_id,
        "version": version_id.split("@")[1],
        "digest": hashlib.sha256(content.encode()).hexdigest(),
        "content": content,
    }


def _field(path: str, required: bool) -> dict[str, Any]:
    return {
        "part": "message",
        "path": path,
        "type": "string",
        "required": required,
        "enum": None,
        "extensible_enum": None,
        "default": None,
    }


def _row(*versions: dict[str, Any]) -> dict[str, Any]:
    return {
        "element": "orders",
        "kind": "json_schema",
        "mode": "BACKWARD",
        "versioning": "semver",
        "content_model": "closed",
        "versions": list(versions),
    }


def test_verdicts_are_cached_by_the_digests_of_the_versions() -> None:
    checks.clear_verdict_cache()
    old = _version("orders@1.0.0", [_field("/id", True)])
    breaking = _version("orders@1.1.0", [_field("/id", True), _field("/note", True)])
    fine = _version("orders@1.1.0", [_field("/id", True), _field("/note", False)])

    first = checks.contract_compatibility([_row(old, breaking)], {})
    assert [v["element"] for v in first] == ["orders@1.1.0"]
    assert len(checks._verdicts) == 1
    assert checks.contract_compatibility([_row(old, breaking)], {}) == first  # from the cache
    assert len(checks._verdicts) == 1
    # Same ids, other content: another digest, so the verdict is computed again.
    assert checks.contract_compatibility([_row(old, fine)], {}) == []
    assert len(checks._verdicts) == 2
    checks.clear_verdict_cache()
    assert checks.contract_compatibility([_row(old, breaking)], {}) == first


def test_content_is_read_back_exactly() -> None:
    fields = [{**_field("/total", False), "type": "number", "default": 0.5, "enum": ["a", "é"]}]
    assert json.loads(version_content(fields)) == fields
