"""Chooses the one Neo4j a test session runs against.

In order: ``NEO4J_URI`` if set (with NEO4J_USER / NEO4J_PASSWORD); testcontainers' Neo4j module
if a Docker engine answers; otherwise Integraph's embedded launcher on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from integraph.config import load_settings
from integraph.store.embedded import EmbeddedNeo4j

NEO4J_IMAGE = "neo4j:5.26-community"


@dataclass(frozen=True)
class Target:
    uri: str
    user: str
    password: str
    kind: str  # "external", "testcontainers" or "embedded"

    def env(self) -> dict[str, str]:
        """Environment variables that point the ``integraph`` CLI at this server."""
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        proc = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


@contextmanager
def session_target(work_dir: Path) -> Iterator[Target]:
    """Yield the session's Neo4j, started here if it has to be, and stop it afterwards."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Target(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            "external",
        )
        return
    if docker_engine_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(NEO4J_IMAGE, password="integraph-test") as container:
            yield Target(
                container.get_connection_url(), "neo4j", "integraph-test", "testcontainers"
            )
        return
    server = EmbeddedNeo4j(
        load_settings(
            home=work_dir / "integraph-home",
            embedded_port=free_port(),
            embedded_heap="1g",  # the embedded default: tests load what a default set-up can
            embedded_page_cache="256m",
        )
    )
    server.start()
    try:
        yield Target(server.uri, "neo4j", server.password(), "embedded")
    finally:
        server.stop()
