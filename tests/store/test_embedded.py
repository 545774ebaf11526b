"""The embedded launcher against a real Neo4j of its own (not the session's): it stops,
restarts and kills its server."""

from __future__ import annotations

import os
import signal
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from integraph.config import load_settings
from integraph.errors import LauncherError
from integraph.store.distribution import check_java
from integraph.store.embedded import EmbeddedNeo4j
from tests.neo4j_target import free_port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedNeo4j]:
    instance = EmbeddedNeo4j(
        load_settings(
            home=tmp_path / "home",
            embedded_port=free_port(),
            embedded_heap="512m",
            embedded_page_cache="128m",
        )
    )
    yield instance
    instance.stop()


def _session(server: EmbeddedNeo4j) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", server.password()))


def test_start_write_stop_start_keeps_data(server: EmbeddedNeo4j) -> None:
    server.start()
    status = server.status()
    assert status.running and status.pid and status.rss_bytes
    assert status.address == server.uri and server.uri.startswith("bolt://127.0.0.1:")
    with _session(server) as driver:
        driver.execute_query("CREATE (:Probe {name: 'kept'})")
    assert server.stop() is True
    assert server.status().running is False
    assert "Stopped." in server.tail_log(20)  # SIGTERM gave a clean shutdown
    server.start()
    with _session(server) as driver:
        records, _, _ = driver.execute_query("MATCH (p:Probe) RETURN p.name AS name")
    assert [r["name"] for r in records] == ["kept"]


def test_password_starting_with_a_dash(tmp_path: Path) -> None:
    # Generated passwords are URL-safe base64 and may begin with "-": neo4j-admin must not
    # take one for an option.
    server = EmbeddedNeo4j(
        load_settings(
            home=tmp_path / "home",
            embedded_port=free_port(),
            embedded_heap="512m",
            embedded_page_cache="128m",
            neo4j_password="-Starts-with-a-dash",
        )
    )
    try:
        server.start()
        with _session(server) as driver:
            driver.verify_authentication()
    finally:
        server.stop()


def test_second_start_is_a_no_op(server: EmbeddedNeo4j) -> None:
    server.start()
    pid = server.pid()
    assert server.start() == 0.0
    assert server.pid() == pid


def test_sigkill_during_writes_recovers_committed_data(server: EmbeddedNeo4j) -> None:
    server.start()
    committed: list[int] = []
    stop_writing = threading.Event()

    def writer() -> None:
        with _session(server) as driver:
            for seq in range(100_000):
                if stop_writing.is_set():
                    return
                try:
                    driver.execute_query("CREATE (:Write {seq: $seq})", seq=seq)
                except Exception:
                    return  # the server died under us: this write is not acknowledged
                committed.append(seq)

    thread = threading.Thread(target=writer)
    thread.start()
    while len(committed) < 200:
        thread.join(0.05)
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    thread.join(30)
    stop_writing.set()
    assert server.pid() is None  # the stale pid file is recognised

    server.start()  # Neo4j replays its transaction log
    with _session(server) as driver:
        records, _, _ = driver.execute_query("MATCH (w:Write) RETURN collect(w.seq) AS seqs")
    present = set(records[0]["seqs"])
    assert set(committed) <= present
    assert len(committed) >= 200


def test_port_taken_is_explained(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = EmbeddedNeo4j(load_settings(home=tmp_path / "home", embedded_port=port))
        with pytest.raises(LauncherError, match=f"port {port} on 127.0.0.1 is already taken"):
            server.start()


def _fake_java(folder: Path, version_line: str) -> Path:
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return folder


def test_too_old_java_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = _fake_java(tmp_path / "jdk11", 'openjdk version "11.0.22" 2024-01-16')
    monkeypatch.setenv("JAVA_HOME", str(home))
    with pytest.raises(LauncherError, match=r"is Java 11; Neo4j 5\.26\.\d+ needs Java 17"):
        check_java()


def test_missing_java_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LauncherError, match="Java 17 or newer is needed"):
        check_java()


def test_current_java_is_accepted() -> None:
    assert check_java() >= 17
