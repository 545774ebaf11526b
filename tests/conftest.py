"""Session-wide fixtures: one real Neo4j per test session, a clean graph per test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from integraph.store.driver import Store
from integraph.store.migrations import migrate
from tests.neo4j_target import Target, session_target

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The session's Neo4j (started lazily: tests that need no database never start one)."""
    with session_target(tmp_path_factory.mktemp("neo4j")) as target:
        yield target


@pytest.fixture(scope="session")
async def store(neo4j_target: Target) -> AsyncIterator[Store]:
    """A migrated connection to the session's Neo4j."""
    connection = await Store.connect(
        neo4j_target.uri,
        neo4j_target.user,
        neo4j_target.password,
        connect_timeout_s=60,  # a loaded 2-core CI machine can be slow to answer at first
        query_timeout_s=60,
    )
    await migrate(connection)
    yield connection
    await connection.close()


@pytest.fixture
async def graph(store: Store) -> AsyncIterator[Store]:
    """The session's store with an empty graph, emptied again after the test."""
    await store.write("queries/db/clear")
    yield store
    await store.write("queries/db/clear")


@pytest.fixture
def cli_env(neo4j_target: Target, tmp_path: Path) -> dict[str, str]:
    """Environment for running the real ``integraph`` CLI against the session's Neo4j."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INTEGRAPH_"))}
    env.update(neo4j_target.env())
    env["INTEGRAPH_HOME"] = str(tmp_path / "home")
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return env


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``integraph ARGS`` as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "integraph", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
