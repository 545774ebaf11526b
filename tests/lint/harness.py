"""Run one lint rule over a tiny blueprint written for the test, through the real load path.

    found = await findings_of(graph, tmp_path, "SEC-01", {
        "systems": [...], "credentials": [...],
    })
    assert found == [("cred-a", ("shop", "billing"))]

The blueprint section is added when the test leaves it out. Files go through the same parser,
validator and loader as a user's, into the session's real Neo4j.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.findings import LintReport
from integraph.lint.service import choose_rules, lint
from integraph.model import localize
from integraph.store.driver import Store

TODAY = datetime.date(2026, 11, 25)
BLUEPRINT = {"id": "test-bp", "name": "Test blueprint", "version": "1.0", "status": "draft"}


def write_blueprint(folder: Path, sections: dict[str, Any]) -> Path:
    """Write ``sections`` as one YAML file per section under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    yaml.default_flow_style = False
    content = {"blueprint": BLUEPRINT, **sections}
    for section, value in content.items():
        with (folder / f"{section}.yaml").open("w") as handle:
            yaml.dump({section: value}, handle)
    return folder


async def lint_blueprint(
    graph: Store,
    folder: Path,
    sections: dict[str, Any],
    rule_ids: list[str],
    *,
    config: LintConfig | None = None,
) -> LintReport:
    """Load the blueprint into the (empty) graph and run the given rules over it."""
    write_blueprint(folder, sections)
    await load_blueprint(graph, [folder])
    rules = choose_rules(ids=rule_ids)
    return await lint(graph, rules, config=config or LintConfig(), today=TODAY)


async def findings_of(
    graph: Store, folder: Path, rule_id: str, sections: dict[str, Any], **kwargs: Any
) -> list[tuple[str, tuple[str, ...]]]:
    """(element, related) of every finding of ``rule_id``, by the ids the test wrote (the
    blueprint's short ids); fails the test on a rule error."""
    report = await lint_blueprint(graph, folder, sections, [rule_id], **kwargs)
    assert not report.rule_errors, report.rule_errors
    return [(short(f.element), tuple(short(r) for r in f.related)) for f in report.findings]


def short(full_id: str) -> str:
    """The id as the test blueprint's files write it (`test-bp:cred-a` -> `cred-a`)."""
    return localize(BLUEPRINT["id"], full_id)
