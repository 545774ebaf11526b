"""`integraph serve` for real: uvicorn on loopback, a real GraphQL client, health, shutdown."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import httpx
import pytest
from gql import Client
from gql.dsl import DSLQuery, DSLSchema, DSLVariableDefinitions, dsl_gql
from gql.transport.httpx import HTTPXAsyncTransport

from tests.api.conftest import KNOWLEDGE
from tests.conftest import run_cli

READY_LINE = "GraphQL API at "
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 5.0


class Server:
    """A running `integraph serve` subprocess and the lines it wrote on stderr."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.url = ""
        self._drain: asyncio.Task[None] | None = None

    async def wait_ready(self) -> None:
        """Read stderr until the address line, then keep draining it (the JSON logs)."""
        assert self.process.stderr is not None
        while not self.url:
            raw = await self.process.stderr.readline()
            if not raw:
                raise AssertionError(f"serve ended before listening: {self.lines}")
            line = raw.decode().rstrip()
            self.lines.append(line)
            if line.startswith(READY_LINE):
                self.url = line.removeprefix(READY_LINE).strip()
        self._drain = asyncio.create_task(self._keep_reading())

    async def _keep_reading(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode().rstrip())

    async def stop(self) -> int:
        """Interrupt the server as Ctrl-C would and wait for it to exit."""
        self.process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT_S)
        if self._drain is not None:
            await asyncio.wait_for(self._drain, STOP_TIMEOUT_S)
        return code


@asynccontextmanager
async def serving(env: dict[str, str]) -> AsyncIterator[Server]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "integraph",
        "serve",
        "--port",
        "0",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    server = Server(process)
    try:
        await asyncio.wait_for(server.wait_ready(), START_TIMEOUT_S)
        yield server
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()


@pytest.fixture
def reader_token(graph, cli_env) -> str:
    """A reader token made by `integraph token create`, with the knowledge fixture loaded."""
    loaded = run_cli("load", str(KNOWLEDGE), env=cli_env)
    assert loaded.returncode == 0, loaded.stderr
    created = run_cli(
        "token", "create", "--name", "t", "--role", "reader", "--format", "json", env=cli_env
    )
    assert created.returncode == 0, created.stderr
    token = json.loads(created.stdout)
    assert token["role"] == "reader" and token["status"] == "active"
    return token["token"]


async def test_serve_answers_a_real_client_and_stops_cleanly(cli_env, reader_token) -> None:
    async with serving(cli_env) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/graphql")
        transport = HTTPXAsyncTransport(
            url=server.url, headers={"Authorization": f"Bearer {reader_token}"}, timeout=30
        )
        client = Client(transport=transport, fetch_schema_from_transport=True)
        async with client as session:
            # Introspection: the client now validates every document against this schema.
            assert client.schema is not None
            query_type = client.schema.query_type
            assert query_type is not None
            assert {"system", "systems", "flow", "dashboard"} <= set(query_type.fields)
            assert "System" in client.schema.type_map

            ds = DSLSchema(client.schema)
            var = DSLVariableDefinitions()
            system = ds.Query.system.args(id=var.id).select(
                ds.System.id,
                ds.System.name,
                ds.System.tier,
                ds.System.trustZone,
                ds.System.owner.select(ds.Team.id, ds.Team.name),
                ds.System.outgoingFlows.select(
                    ds.Flow.id,
                    ds.Flow.pattern,
                    ds.Flow.target.select(ds.System.id, ds.System.external),
                ),
            )
            operation = DSLQuery(system)
            operation.variable_definitions = var
            request = dsl_gql(Payments=operation)
            request.variable_values = {"id": "landscape:payments"}
            data = await session.execute(request)

        assert data == {
            "system": {
                "id": "landscape:payments",
                "name": "Payments service",
                "tier": 1,
                "trustZone": "REGULATED",
                "owner": {"id": "landscape:team-payments", "name": "Payments"},
                "outgoingFlows": [
                    {
                        "id": "card-payments:payment-settled",
                        "pattern": "EVENT",
                        "target": {"id": "landscape:web-shop", "external": False},
                    },
                    {
                        "id": "card-payments:payments-to-processor",
                        "pattern": "REQUEST_RESPONSE",
                        "target": {"id": "landscape:card-processor", "external": True},
                    },
                ],
            }
        }

        base = server.url.removesuffix("/graphql")
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        assert (ready.status_code, ready.json()) == (200, {"status": "ready"})

        # The CLI's exit code for an interrupt (cli/main.py), after uvicorn's graceful shutdown.
        assert await server.stop() == 130, server.lines
        assert not [line for line in server.lines if "Traceback" in line], server.lines
        logged = [json.loads(line) for line in server.lines if line.startswith("{")]
        requests = [(r["method"], r["path"], r["status"], r.get("principal")) for r in logged]
        assert requests == [
            ("POST", "/graphql", 200, "token:t"),  # introspection
            ("POST", "/graphql", 200, "token:t"),
            ("GET", "/healthz", 200, None),
            ("GET", "/readyz", 200, None),
        ]
