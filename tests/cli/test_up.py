"""`integraph up` end to end against the session's Neo4j: migrate, load, lint."""

from __future__ import annotations

from tests.conftest import ROOT, run_cli

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"


def test_up_loads_and_lints(cli_env: dict[str, str], graph: object) -> None:
    proc = run_cli("up", "--blueprint", str(MINIMAL), env=cli_env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "loaded blueprint 'minimal'" in proc.stdout
    assert " rules in " in proc.stdout  # the lint summary line
    again = run_cli("up", "--blueprint", str(MINIMAL), env=cli_env, timeout=300)
    assert "created 0, updated 0, deleted 0" in again.stdout
