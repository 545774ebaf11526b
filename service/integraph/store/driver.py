"""The only code that talks to the Neo4j driver.

``Store`` owns the async driver and hands out transactions whose ``run`` takes the *name* of a
Cypher file (see ``queries.py``) and parameters. Reads go to readers (routing READ), writes to
the leader; managed transactions are retried by the driver on transient errors; every query
carries a timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction, AsyncTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    Neo4jError,
    ServiceUnavailable,
)

from integraph.errors import DatabaseUnavailable, QueryFailed
from integraph.store.queries import query_text

T = TypeVar("T")
Row = dict[str, Any]


class Tx:
    """A transaction in progress; runs named queries and returns rows as dicts.

    Its timeout is the transaction's (``Settings.query_timeout_s``), set where it is begun.
    """

    def __init__(self, tx: AsyncManagedTransaction | AsyncTransaction) -> None:
        self._tx = tx

    async def run(self, query: str, /, **params: Any) -> list[Row]:
        """Run the named query (a file under cypher/) with parameters."""
        return await self.run_text(query_text(query), params)

    async def run_text(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run Cypher read from a file the caller owns (a lint rule); never user-built text."""
        result = await self._tx.run(text, params or {})
        return await result.data()

    async def run_guarded(
        self, text: str, params: dict[str, Any] | None = None
    ) -> tuple[list[Row], bool]:
        """Run foreign Cypher (a lint rule) and also report whether it changed the graph."""
        result = await self._tx.run(text, params or {})
        rows = await result.data()
        summary = await result.consume()
        return rows, summary.counters.contains_updates or summary.counters.contains_system_updates


class Store:
    """A connection to one Neo4j database."""

    def __init__(
        self, driver: neo4j.AsyncDriver, *, uri: str, database: str, query_timeout_s: float
    ) -> None:
        self._driver = driver
        self.uri = uri
        self.database = database
        self.query_timeout_s = query_timeout_s

    @classmethod
    async def connect(
        cls,
        uri: str,
        user: str,
        password: str,
        *,
        database: str = "neo4j",
        connect_timeout_s: float = 10.0,
        query_timeout_s: float = 120.0,
    ) -> Store:
        """Open the driver and prove the login and the database work within the timeout."""
        try:
            driver = AsyncGraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connect_timeout_s,
                connection_acquisition_timeout=connect_timeout_s,
                max_transaction_retry_time=15.0,
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as exc:
            raise DatabaseUnavailable(f"cannot use Neo4j URI {uri}: {exc}") from None
        store = cls(driver, uri=uri, database=database, query_timeout_s=query_timeout_s)
        try:
            await asyncio.wait_for(store._probe(user), timeout=connect_timeout_s)
        except TimeoutError:
            await driver.close()
            raise DatabaseUnavailable(
                f"Neo4j at {uri} did not answer within {connect_timeout_s:.0f} s"
            ) from None
        except BaseException:
            await driver.close()
            raise
        return store

    async def _probe(self, user: str) -> None:
        try:
            await self._driver.verify_connectivity()
            async with self._driver.session(database=self.database) as session:
                result = await session.run("RETURN 1 AS ok")
                await result.consume()
        except AuthError:
            raise DatabaseUnavailable(
                f"Neo4j at {self.uri} refused the login for user '{user}': "
                "wrong user name or password (set NEO4J_USER / NEO4J_PASSWORD)"
            ) from None
        except ServiceUnavailable as exc:
            raise DatabaseUnavailable(
                f"Neo4j at {self.uri} is unreachable: {_cause(exc)}"
            ) from None
        except ClientError as exc:
            if exc.code and "DatabaseNotFound" in exc.code:
                raise DatabaseUnavailable(
                    f"Neo4j at {self.uri} has no database '{self.database}' "
                    "(set NEO4J_DATABASE; Community edition has one user database, 'neo4j')"
                ) from None
            raise DatabaseUnavailable(
                f"Neo4j at {self.uri} rejected the session: {exc.message}"
            ) from None

    async def close(self) -> None:
        await self._driver.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- single queries -------------------------------------------------------------------
    async def read(self, query: str, /, **params: Any) -> list[Row]:
        """Run one named read query in its own read transaction."""
        return await self.read_transaction(lambda tx: tx.run(query, **params))

    async def write(self, query: str, /, **params: Any) -> list[Row]:
        """Run one named write query in its own write transaction."""
        return await self.write_transaction(lambda tx: tx.run(query, **params))

    async def run_schema(self, statement: str) -> None:
        """Run one schema statement (from a migration file) in an auto-commit transaction.

        Neo4j does not allow schema and data changes in one transaction, hence its own method.
        """
        async with self._driver.session(database=self.database) as session:
            result = await session.run(neo4j.Query(statement, timeout=self.query_timeout_s))
            await result.consume()

    # -- transactions ---------------------------------------------------------------------
    async def read_transaction(
        self, work: Callable[[Tx], Awaitable[T]], *, timeout_s: float | None = None
    ) -> T:
        """Run ``work`` in a managed read transaction (retried on transient errors).

        The server refuses writes in it: lint rules run this way are read-only.
        """
        async with self._driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            return await _guard(session.execute_read(self._unit_of_work(work, timeout_s)))

    async def write_transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits or none of it."""
        async with self._driver.session(database=self.database) as session:
            return await _guard(session.execute_write(self._unit_of_work(work, None)))

    def _unit_of_work(
        self, work: Callable[[Tx], Awaitable[T]], timeout_s: float | None
    ) -> Callable[[AsyncManagedTransaction], Awaitable[T]]:
        """Wrap ``work`` as a transaction function bounded by a timeout (default: the store's)."""

        @neo4j.unit_of_work(timeout=timeout_s or self.query_timeout_s)
        async def transaction_function(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx))

        return transaction_function

    @asynccontextmanager
    async def scratch_transaction(self, *, timeout_s: float | None = None) -> AsyncIterator[Tx]:
        """A write transaction that is always rolled back (what-if, lint of unloaded files)."""
        async with self._driver.session(database=self.database) as session:
            tx = await session.begin_transaction(timeout=timeout_s or self.query_timeout_s)
            try:
                yield Tx(tx)
            finally:
                if not tx.closed():
                    await tx.rollback()
                await tx.close()


async def _guard(awaitable: Awaitable[T]) -> T:
    try:
        return await awaitable
    except ServiceUnavailable as exc:
        raise DatabaseUnavailable(f"lost the connection to Neo4j: {_cause(exc)}") from None
    except Neo4jError as exc:
        if exc.code and "TransactionTimedOut" in exc.code:
            raise QueryFailed(f"a query ran past its timeout: {exc.message}") from None
        if exc.code and "MemoryPoolOutOfMemoryError" in exc.code:
            raise QueryFailed(
                "the transaction needs more memory than Neo4j allows it (nothing was written): "
                "give the embedded Neo4j a bigger heap (INTEGRAPH_EMBEDDED_HEAP, e.g. 4g; "
                "transactions may use 70 % of it) or raise dbms.memory.transaction.total.max "
                f"on your server ({exc.message})"
            ) from None
        raise


def _cause(exc: BaseException) -> str:
    """The innermost useful message of a driver error chain (e.g. 'Connection refused')."""
    messages = []
    current: BaseException | None = exc
    while current is not None:
        text = str(current).strip()
        if text:
            messages.append(text)
        current = current.__cause__ or current.__context__
    return messages[-1] if messages else type(exc).__name__
