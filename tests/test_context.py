"""The application context: one connection per process, the schema migrated or checked."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from integraph.config import load_settings
from integraph.context import open_context
from integraph.errors import SchemaNotCurrent
from integraph.store.driver import Store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import available_migrations, migrate
from tests.conftest import ROOT, run_cli
from tests.neo4j_target import Target, free_port

MINIMAL = ROOT / "tests" / "fixtures" / "blueprints" / "minimal"


def settings_for(target: Target, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(
        neo4j_uri=target.uri,
        neo4j_user=target.user,
        neo4j_password=target.password,
        home=tmp_path / "home",
    )


@pytest.fixture
async def one_migration_missing(store: Store) -> object:
    """The session's database without its newest migration's record, put back afterwards."""
    newest = available_migrations()[-1]
    await store.write("queries/db/clear")
    await store.write("queries/schema/forget_migration", version=newest.version)
    yield newest
    await migrate(store)


async def test_the_context_checks_the_schema_and_says_what_to_run(
    neo4j_target: Target, tmp_path: Path, one_migration_missing: object
) -> None:
    with pytest.raises(SchemaNotCurrent, match=r"run `integraph db migrate`"):
        async with open_context(settings_for(neo4j_target, tmp_path)):
            pass


async def test_the_context_migrates_when_asked(
    neo4j_target: Target, tmp_path: Path, one_migration_missing: object
) -> None:
    async with open_context(settings_for(neo4j_target, tmp_path), schema="migrate") as context:
        assert context.migrations is not None
        assert context.migrations.applied == [one_migration_missing.path.name]  # type: ignore[attr-defined]
    async with open_context(settings_for(neo4j_target, tmp_path)) as context:
        assert context.migrations is None  # checked, nothing to do


def test_a_command_on_an_outdated_schema_fails_with_one_line(
    cli_env: dict[str, str], one_migration_missing: object
) -> None:
    proc = run_cli("load", str(MINIMAL), env=cli_env)
    assert proc.returncode == 5
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "run `integraph db migrate`" in lines[0], proc.stderr
    assert run_cli("db", "migrate", env=cli_env).returncode == 0
    assert run_cli("load", str(MINIMAL), env=cli_env).returncode == 0


def test_a_hook_run_keeps_its_data_outside_the_repository_and_stops_its_server(
    tmp_path: Path,
) -> None:
    """`integraph lint PATH --stop-after` with no settings: the pre-commit hook's case."""
    repository = tmp_path / "repo"
    repository.mkdir()
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INTEGRAPH_"))}
    port = free_port()
    env |= {"XDG_STATE_HOME": str(state), "INTEGRAPH_EMBEDDED_PORT": str(port)}
    env |= {"INTEGRAPH_EMBEDDED_HEAP": "512m", "INTEGRAPH_EMBEDDED_PAGE_CACHE": "64m"}
    proc = run_cli(
        "lint", str(MINIMAL), "--fail-on", "never", "--stop-after",
        env=env, cwd=repository, timeout=300,
    )  # fmt: skip
    server = EmbeddedNeo4j(load_settings(home=state / "integraph", embedded_port=port))
    try:
        assert proc.returncode == 0, proc.stderr
        assert list(repository.iterdir()) == []  # nothing to stage in the repository
        assert (state / "integraph" / "neo4j" / "data").is_dir()
        assert server.pid() is None, "the JVM the hook started is still running"
        for path in [server.root, *server.root.rglob("*")]:
            if not path.is_symlink():
                assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    finally:
        pid = server.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
