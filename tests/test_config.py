"""Settings: environment, TOML file, defaults and the errors for bad values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import AliasChoices

from integraph.config import Settings, load_settings
from integraph.errors import ConfigurationError
from integraph.lint.config import load_lint_config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"INTEGRAPH_{name}", raising=False)
    for name in list(os.environ):
        if name.startswith("INTEGRAPH_") or name in ("QUERY_TIMEOUT_S", "XDG_STATE_HOME"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_no_uri_means_embedded_with_its_data_outside_the_working_tree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = load_settings()
    assert settings.embedded
    assert settings.home == Path.home() / ".local" / "state" / "integraph"
    assert settings.neo4j_database == "neo4j"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert load_settings().home == tmp_path / "state" / "integraph"


def test_every_setting_of_integraph_has_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_TIMEOUT_S", "5")  # the unprefixed name is not a setting
    assert load_settings().query_timeout_s == 120
    monkeypatch.setenv("INTEGRAPH_QUERY_TIMEOUT_S", "7")
    monkeypatch.setenv("INTEGRAPH_CONNECT_TIMEOUT_S", "3")
    monkeypatch.setenv("INTEGRAPH_EMBEDDED_START_TIMEOUT_S", "30")
    settings = load_settings()
    assert (settings.query_timeout_s, settings.connect_timeout_s) == (7, 3)
    assert settings.embedded_start_timeout_s == 30


def test_one_file_holds_settings_and_the_lint_table(tmp_path: Path) -> None:
    (tmp_path / "integraph.toml").write_text(
        "INTEGRAPH_QUERY_TIMEOUT_S = 9\n[lint]\nrule_timeout_s = 4\n"
        '[lint.severity]\n"RES-06" = "error"\n'
    )
    assert load_settings().query_timeout_s == 9
    config = load_lint_config()
    assert config.rule_timeout_s == 4
    assert str(config.severity["RES-06"]) == "error"


def test_a_broken_config_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "integraph.toml").write_text("NEO4J_URI = \n")
    with pytest.raises(ConfigurationError, match=r"integraph\.toml: cannot read the config file"):
        load_settings()
    with pytest.raises(ConfigurationError, match=r"integraph\.toml: cannot read the config file"):
        load_lint_config()


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        names = alias.choices if isinstance(alias, AliasChoices) else [name.upper()]
        assert f"`{names[-1]}`" in readme, f"setting {names[-1]} is not in the README"


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
