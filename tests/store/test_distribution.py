"""Fetching and verifying Neo4j's jars (real Maven, real cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from integraph.config import load_settings
from integraph.errors import LauncherError
from integraph.store.distribution import MANIFEST, NEO4J_VERSION, ensure_distribution
from tests.neo4j_target import Target


def _cache() -> Path:
    return load_settings().resolved_cache_dir


def test_cached_distribution_needs_no_maven(
    neo4j_target: Target, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if neo4j_target.kind != "embedded":
        pytest.skip("the session's Neo4j is not the embedded one")
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn, no network tools: the cache must do
    dist = ensure_distribution(_cache(), verify=True)
    assert dist.version == NEO4J_VERSION
    assert (dist.lib_dir / f"neo4j-{NEO4J_VERSION}.jar").is_file()


def test_damaged_jar_is_detected(
    neo4j_target: Target, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if neo4j_target.kind != "embedded":
        pytest.skip("the session's Neo4j is not the embedded one")
    source = ensure_distribution(_cache()).lib_dir
    copy = tmp_path / "cache" / f"neo4j-community-{NEO4J_VERSION}" / "lib"
    shutil.copytree(source, copy)
    jar = copy / f"neo4j-{NEO4J_VERSION}.jar"
    data = bytearray(jar.read_bytes())
    data[100] ^= 0xFF  # same size, different content
    jar.write_bytes(bytes(data))
    assert (copy / MANIFEST).is_file()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    # The damaged cache is not trusted: a re-fetch is attempted, which needs Maven.
    with pytest.raises(LauncherError, match=r"Maven \(mvn\) is not installed"):
        ensure_distribution(tmp_path / "cache", verify=True)


def test_no_network_on_first_use_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not shutil.which("mvn"):
        pytest.skip("Maven is not installed")
    # An empty local repository and a proxy on a closed loopback port: Maven cannot download.
    monkeypatch.setenv(
        "MAVEN_OPTS",
        f"-Dmaven.repo.local={tmp_path / 'repo'} -Dhttps.proxyHost=127.0.0.1 "
        "-Dhttps.proxyPort=9 -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9",
    )
    with pytest.raises(LauncherError, match=r"\(no network\?\).*first start needs network"):
        ensure_distribution(tmp_path / "cache")
    assert not (tmp_path / "cache" / f"neo4j-community-{NEO4J_VERSION}" / "lib").exists()
