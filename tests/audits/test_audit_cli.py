"""`integraph audit` end to end: the real CLI in a subprocess against the session's Neo4j."""

from __future__ import annotations

import json

from integraph.knowledge.load import load_knowledge
from tests.api.conftest import KNOWLEDGE
from tests.conftest import run_cli


def ok(*args: str, env: dict[str, str], code: int = 0) -> str:
    proc = run_cli("audit", *args, env=env)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


async def test_run_list_show_diff_history_prune(cli_env: dict[str, str], graph) -> None:
    await load_knowledge(graph, [KNOWLEDGE])
    first = json.loads(ok("run", "--format", "json", "--fail-on", "error", env=cli_env, code=1))
    assert first["status"] == "complete" and first["counts"]["new"] > 0 and first["counts"]["error"]
    second = json.loads(ok("run", "--format", "json", "--fail-on", "error", env=cli_env))
    assert second["previous"] == first["id"] and second["counts"]["new"] == 0  # nothing new

    listed = ok("list", env=cli_env)
    assert listed.index(second["id"]) < listed.index(first["id"])  # newest first
    shown = json.loads(ok("show", second["id"], "--format", "json", env=cli_env))
    assert {f["mark"] for f in shown["findings"]} == {"persisting"}
    fingerprint = shown["findings"][0]["fingerprint"]
    markdown = ok("show", first["id"], "--format", "markdown", env=cli_env)
    assert markdown.startswith(f"# Audit {first['id']}") and "## New (" in markdown

    diff = ok("diff", first["id"], second["id"], env=cli_env)
    assert "0 appeared, 0 disappeared, 0 changed status" in diff
    assert "## Appeared (0)" in ok("diff", first["id"], second["id"], "-f", "markdown", env=cli_env)
    history = ok("history", fingerprint, env=cli_env)
    assert first["id"] in history and second["id"] in history and "new" in history

    assert "pruned 1 run(s)" in ok("prune", "--keep", "1", env=cli_env)
    assert first["id"] not in ok("list", env=cli_env)
    missing = run_cli("audit", "show", first["id"], env=cli_env)
    assert missing.returncode == 2 and f"no audit run '{first['id']}'" in missing.stderr
