"""An installed wheel carries cypher/, seed/ and the embedded-Neo4j project and finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_carries_and_finds_its_data(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("integraph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "integraph/_data/cypher/schema/001_migrations.cypher" in names
    assert "integraph/_data/embedded-neo4j/pom.xml" in names
    assert any(n.startswith("integraph/_data/seed/") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from integraph.resources import cypher_dir, seed_dir, embedded_pom;"
            "print(cypher_dir()); print(seed_dir()); print(embedded_pom())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    for line in probe.stdout.splitlines():
        assert line.startswith(str(site / "integraph" / "_data")), line
