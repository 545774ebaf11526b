"""`integraph validate | load | export | schema` end to end, as a user runs them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from tests.conftest import ROOT, run_cli

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"
ERRORS = ROOT / "tests" / "fixtures" / "blueprints" / "errors"


def test_validate_needs_no_database(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "NEO4J_URI": "bolt://127.0.0.1:1", "HOME": str(tmp_path)}
    proc = run_cli("validate", str(MINIMAL), env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("minimal: ") and "no problems" in proc.stdout


def test_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    proc = run_cli("validate", str(ERRORS / "invalid_value"), env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2
    assert "flows.yaml:11:14: flow 'orders-to-billing' field 'pattern': 'evnt'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_schema_validates_a_blueprint_file(tmp_path: Path) -> None:
    proc = run_cli("schema", env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    document = YAML(typ="safe", pure=True).load((MINIMAL / "flows.yaml").read_text())
    jsonschema.validate(document, schema)


def test_load_and_export(cli_env: dict[str, str], tmp_path: Path, graph: object) -> None:
    proc = run_cli("load", str(MINIMAL), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "loaded blueprint 'minimal'" in proc.stdout and "created 45" in proc.stdout
    again = run_cli("load", str(MINIMAL), env=cli_env)
    assert "created 0, updated 0, unchanged 45, deleted 0" in again.stdout
    out = tmp_path / "out"
    proc = run_cli("export", str(out), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "exported blueprint 'minimal': 45 elements" in proc.stdout
    assert (out / "flows.yaml").is_file() and (out / "blueprint.yaml").is_file()
    proc = run_cli("export", str(out), "--blueprint", "nope", env=cli_env)
    assert proc.returncode == 1 and "no blueprint 'nope' in the graph" in proc.stderr


def test_load_of_broken_files_changes_nothing(cli_env: dict[str, str], graph: object) -> None:
    proc = run_cli("load", str(ERRORS / "dangling_reference"), env=cli_env)
    assert proc.returncode == 2
    assert "dangling" in proc.stderr or "no element has id" in proc.stderr
    status = run_cli("export", "/tmp/never-written", env=cli_env)
    assert "holds no blueprint" in status.stderr


def test_validate_load_export_and_generate_count_alike(
    cli_env: dict[str, str], tmp_path: Path, graph: object
) -> None:
    """One way of counting elements (graph nodes: reviews, versions and fields included)."""

    def count(proc) -> int:  # type: ignore[no-untyped-def]
        assert proc.returncode == 0, proc.stderr
        found = re.search(r": (\d+) elements", proc.stdout)
        assert found, proc.stdout
        return int(found.group(1))

    validated = count(run_cli("validate", str(MINIMAL), env=cli_env))
    assert count(run_cli("load", str(MINIMAL), env=cli_env)) == validated
    assert count(run_cli("export", str(tmp_path / "out"), env=cli_env)) == validated
    generated = tmp_path / "generated"
    made = run_cli("generate", "--systems", "12", "--seed", "3", str(generated), env=cli_env)
    assert made.returncode == 0, made.stderr
    table_total = re.search(r"elements\W+([\d,]+)", made.stdout)
    assert table_total, made.stdout
    total = int(table_total.group(1).replace(",", ""))
    assert total == count(run_cli("validate", str(generated), env=cli_env))


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args in (
        ("whatif", str(tmp_path / "missing.yaml")),
        ("impact", "x", "--direction", "sideways"),
        ("lint", "--no-such-option"),
    ):
        proc = run_cli(*args, env={**os.environ, "NO_COLOR": "1"})
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert lines[0].startswith("error: ") and "--help" in lines[0]
