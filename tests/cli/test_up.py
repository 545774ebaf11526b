"""`integraph up` end to end against the session's Neo4j: migrate, load, lint."""

from __future__ import annotations

import re

from tests.conftest import ROOT, run_cli

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"
# The seed's blueprints in load order: the landscape first, then those using it.
SEED_BLUEPRINTS = [
    "enterprise-landscape",
    "customer-and-channels",
    "finance-and-reporting",
    "payments-and-cards",
]


def test_up_loads_and_lints(cli_env: dict[str, str], graph: object) -> None:
    proc = run_cli("up", "--no-serve", "--blueprint", str(MINIMAL), env=cli_env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "loaded blueprint 'minimal'" in proc.stdout
    assert " rules in " in proc.stdout  # the lint summary line
    kept = re.search(r"^kept as audit run (\S+) \((\d+) new", proc.stdout, re.M)
    assert kept and int(kept.group(2)) > 0, proc.stdout[-1000:]
    again = run_cli("up", "--no-serve", "--blueprint", str(MINIMAL), env=cli_env, timeout=300)
    assert "created 0, updated 0, deleted 0" in again.stdout
    assert re.search(
        r"^kept as audit run \S+ \(0 new, 0 resolved since the last\)", again.stdout, re.M
    )
    listed = run_cli("audit", "list", env=cli_env)
    assert kept.group(1) in listed.stdout and len(listed.stdout.splitlines()) == 2


def test_up_loads_the_seed_knowledge_base(cli_env: dict[str, str], graph: object) -> None:
    """README command 1: `up` with no folder loads the four blueprints of seed/ and lints them."""
    proc = run_cli("up", "--no-serve", env=cli_env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert "Traceback" not in proc.stderr
    loaded = re.findall(r"^loaded blueprint '([a-z0-9-]+)' from \S*seed: ", proc.stdout, re.M)
    assert loaded == SEED_BLUEPRINTS, proc.stdout[:2000]
    summary = re.search(r"\d+ rules in .*?: (\d+) errors", proc.stdout)
    assert summary and int(summary.group(1)) > 0, proc.stdout[-2000:]
    # the approved project's open errors (GOV-01), one blueprint's expired waiver (GOV-02)
    assert "GOV-01 " in proc.stdout and "GOV-02 " in proc.stdout
    assert "blueprint customer-and-channels (version 1.4.0) is approved but has" in proc.stdout
    again = run_cli("up", "--no-serve", env=cli_env, timeout=600)
    assert again.returncode == 0, again.stderr
    unchanged = re.findall(
        r"^loaded blueprint '([a-z0-9-]+)' .*\(created 0, updated 0, deleted 0\)",
        again.stdout,
        re.M,
    )
    assert sorted(unchanged) == sorted(SEED_BLUEPRINTS), again.stdout[:2000]
