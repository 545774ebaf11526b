"""Settings: environment, TOML file, defaults and the errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.config import load_settings
from integraph.errors import ConfigurationError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"INTEGRAPH_{name}", raising=False)
    for name in ("INTEGRAPH_CONFIG", "INTEGRAPH_HOME", "INTEGRAPH_EMBEDDED_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_no_uri_means_embedded() -> None:
    settings = load_settings()
    assert settings.embedded
    assert settings.home == Path(".integraph")
    assert settings.neo4j_database == "neo4j"


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster.example:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    monkeypatch.setenv("INTEGRAPH_NEO4J_DATABASE", "arch")
    settings = load_settings()
    assert not settings.embedded
    assert settings.neo4j_uri == "neo4j://cluster.example:7687"
    assert settings.neo4j_password and settings.neo4j_password.get_secret_value() == "pw"
    assert settings.neo4j_database == "arch"
    assert "pw" not in repr(settings)


def test_toml_file_below_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "integraph.toml").write_text(
        'NEO4J_URI = "neo4j+s://abc.databases.neo4j.io"\nINTEGRAPH_EMBEDDED_PORT = 27687\n'
    )
    settings = load_settings()
    assert settings.neo4j_uri == "neo4j+s://abc.databases.neo4j.io"
    assert settings.embedded_port == 27687
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
    assert load_settings().neo4j_uri == "bolt://127.0.0.1:7687"


def test_explicit_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('INTEGRAPH_HOME = "/var/lib/integraph"\n')
    monkeypatch.setenv("INTEGRAPH_CONFIG", str(path))
    assert load_settings().home == Path("/var/lib/integraph")
    monkeypatch.setenv("INTEGRAPH_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigurationError, match="not a file"):
        load_settings()


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "redis://x"])
def test_bad_uri_scheme(monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    monkeypatch.setenv("NEO4J_URI", uri)
    with pytest.raises(ConfigurationError, match="is not a Neo4j URI"):
        load_settings()


def test_bad_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRAPH_EMBEDDED_PORT", "70000")
    with pytest.raises(ConfigurationError, match="INTEGRAPH_EMBEDDED_PORT"):
        load_settings()
