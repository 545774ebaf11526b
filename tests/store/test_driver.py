"""The storage layer against the session's real Neo4j: errors users see, transactions."""

from __future__ import annotations

import time

import pytest

from integraph.errors import DatabaseUnavailable
from integraph.store.driver import Store
from integraph.store.migrations import available_migrations, migrate
from tests.conftest import run_cli
from tests.neo4j_target import Target, free_port


async def test_wrong_password_is_a_clear_error(neo4j_target: Target) -> None:
    began = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match="refused the login for user 'neo4j'"):
        await Store.connect(neo4j_target.uri, "neo4j", "not-the-password")
    assert time.monotonic() - began < 10


async def test_unreachable_uri_is_a_clear_error() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    began = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match=f"Neo4j at {uri} is unreachable"):
        await Store.connect(uri, "neo4j", "x", connect_timeout_s=5)
    assert time.monotonic() - began < 10


async def test_missing_database_is_a_clear_error(neo4j_target: Target) -> None:
    with pytest.raises(DatabaseUnavailable, match="has no database 'nosuchdb'"):
        await Store.connect(
            neo4j_target.uri, neo4j_target.user, neo4j_target.password, database="nosuchdb"
        )


def test_cli_reports_wrong_password_without_traceback(cli_env: dict[str, str]) -> None:
    cli_env["NEO4J_PASSWORD"] = "not-the-password"
    began = time.monotonic()
    proc = run_cli("db", "status", env=cli_env)
    assert time.monotonic() - began < 15
    assert proc.returncode == 3
    assert "refused the login" in proc.stderr and cli_env["NEO4J_URI"] in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_reports_unreachable_uri_without_traceback(cli_env: dict[str, str]) -> None:
    cli_env["NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"
    proc = run_cli("db", "status", env=cli_env)
    assert proc.returncode == 3
    assert f"Neo4j at {cli_env['NEO4J_URI']} is unreachable" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_rejects_a_non_neo4j_uri(cli_env: dict[str, str]) -> None:
    cli_env["NEO4J_URI"] = "http://127.0.0.1:7474"
    proc = run_cli("db", "status", env=cli_env)
    assert proc.returncode == 2
    assert "is not a Neo4j URI" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_status_of_an_external_server(cli_env: dict[str, str]) -> None:
    proc = run_cli("db", "status", env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "5.26" in proc.stdout and cli_env["NEO4J_URI"] in proc.stdout


async def test_migrations_twice_are_a_no_op(graph: Store) -> None:
    # `graph` keeps the bookkeeping nodes; forget them to migrate a never-migrated database.
    await graph.write_transaction(lambda tx: tx.run_text("MATCH (m:SchemaMigration) DELETE m"))
    first = await migrate(graph)
    assert first.applied == [m.path.name for m in available_migrations()]
    second = await migrate(graph)
    assert second.applied == []
    assert second.already_applied == first.applied
    rows = await graph.read("queries/schema/applied_migrations")
    assert [r["version"] for r in rows] == [m.version for m in available_migrations()]


async def test_write_transaction_is_all_or_nothing(graph: Store) -> None:
    async def work(tx):  # type: ignore[no-untyped-def]
        await tx.run_text("CREATE (:Element {id: 'a'})")
        await tx.run_text("CREATE (:Element {id: 'a'})")  # violates the unique id constraint

    with pytest.raises(Exception, match="already exists"):
        await graph.write_transaction(work)
    rows = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (e:Element) RETURN count(e) AS n")
    )
    assert rows == [{"n": 0}]


async def test_scratch_transaction_never_persists(graph: Store) -> None:
    async with graph.scratch_transaction() as tx:
        await tx.run_text("CREATE (:Element {id: 'scratch'})")
        inside = await tx.run_text("MATCH (e:Element {id: 'scratch'}) RETURN count(e) AS n")
        assert inside == [{"n": 1}]
    rows = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (e:Element) RETURN count(e) AS n")
    )
    assert rows == [{"n": 0}]
