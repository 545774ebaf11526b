"""A connection that drops during a commit: the user is told the outcome is unknown, and how
to check, not that nothing happened.

A small TCP proxy between the driver and the session's Neo4j forwards everything, and cuts
both sides right after it has passed a Bolt COMMIT message on, before the answer comes back.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

from integraph.blueprint.parse import load_blueprint_files
from integraph.errors import CommitOutcomeUnknown
from integraph.knowledge.load import load_landscape
from integraph.store.driver import Store
from tests.conftest import ROOT
from tests.neo4j_target import Target

COMMIT = b"\x00\x02\xb0\x12\x00\x00"  # one chunk holding the field-less COMMIT struct, then end


class CommitCutter:
    """Forwards Bolt traffic; once armed, drops the connection that sends a COMMIT."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.armed = False
        self.cut = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self.upstream)
        done = asyncio.Event()

        async def upward() -> None:
            while not done.is_set():
                data = await client_r.read(65536)
                if not data:
                    break
                cutting = self.armed and COMMIT in data
                if cutting:
                    done.set()  # from now on nothing the server says reaches the driver
                server_w.write(data)
                await server_w.drain()
                if cutting:
                    await asyncio.sleep(0.5)  # the server commits; its answer is dropped
                    self.cut += 1
                    break
            done.set()

        async def downward() -> None:
            while not done.is_set():
                data = await server_r.read(65536)
                if not data or done.is_set():
                    break
                client_w.write(data)
                await client_w.drain()
            done.set()

        tasks = [asyncio.create_task(upward()), asyncio.create_task(downward())]
        await done.wait()
        await asyncio.wait(tasks[:1], timeout=2)  # a commit being cut reaches the server first
        for task in tasks:
            task.cancel()
        for writer in (client_w, server_w):
            writer.close()


@pytest.fixture
async def cutter(neo4j_target: Target) -> object:
    parts = urlsplit(neo4j_target.uri)
    if parts.scheme != "bolt":
        pytest.skip("the commit-cutting proxy speaks to a single bolt:// server only")
    proxy = CommitCutter(parts.hostname or "127.0.0.1", parts.port or 7687)
    port = await proxy.start()
    store = await Store.connect(
        f"bolt://127.0.0.1:{port}", neo4j_target.user, neo4j_target.password
    )
    yield proxy, store
    await store.close()
    await proxy.close()


async def test_a_drop_at_commit_says_the_outcome_is_unknown(
    graph: Store, cutter: tuple[CommitCutter, Store]
) -> None:
    proxy, store = cutter
    landscape = load_blueprint_files([ROOT / "tests" / "fixtures" / "blueprints" / "minimal"])
    proxy.armed = True
    with pytest.raises(CommitOutcomeUnknown) as raised:
        await load_landscape(store, landscape)
    assert proxy.cut == 1
    message = str(raised.value)
    assert "unknown whether it was written" in message
    assert "run the same load again" in message
    # Here the commit did reach the server: the load is in the graph.
    assert [row["id"] for row in await graph.read("queries/export/blueprints")] == ["minimal"]
