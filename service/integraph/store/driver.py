"""The only code that talks to the Neo4j driver.

``Store`` owns the async driver and hands out transactions whose ``run`` takes the *name* of a
Cypher file (see ``queries.py``) and parameters. Reads go to readers (routing READ), writes to
the leader; managed transactions are retried by the driver on transient errors; every query
carries a timeout.

Nothing of the driver leaks past this module: rows come back with Python values (a Neo4j
``Date`` is a ``datetime.date``), and driver errors become Integraph's own (``CypherError``
with the server's code, ``DatabaseUnavailable``, ``CommitOutcomeUnknown``, ``QueryFailed``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import Any, TypeVar

import neo4j
import neo4j.time
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction, AsyncTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from integraph.errors import CommitOutcomeUnknown, CypherError, DatabaseUnavailable, QueryFailed
from integraph.store.queries import query_text

T = TypeVar("T")
Row = dict[str, Any]
QueryObserver = Callable[[str, float, bool], None]
"""observer(query name, seconds, failed): told of every statement run (the API's metrics)."""


class Tx:
    """A transaction in progress; runs named queries and returns rows as dicts.

    Its timeout is the transaction's (``Settings.query_timeout_s``), set where it is begun.
    In a managed transaction the driver's own errors travel up to ``Store`` (the driver
    retries the transient ones and only sees them as they are); an explicit one (a scratch
    transaction) translates them here.
    """

    def __init__(
        self,
        tx: AsyncManagedTransaction | AsyncTransaction,
        *,
        managed: bool,
        observers: list[QueryObserver] | None = None,
    ) -> None:
        self._tx = tx
        self._managed = managed
        self._observers = observers or []

    async def run(self, query: str, /, **params: Any) -> list[Row]:
        """Run the named query (a file under cypher/) with parameters."""
        rows, _ = await self._run(query_text(query), params, summary=False, name=query)
        return rows

    async def single(self, query: str, /, **params: Any) -> Any:
        """Run the named query, which returns one row of one column, and give that value as
        the driver decoded it: nested lists and maps as they came, without the per-value
        conversion of `run` (temporal values stay Neo4j's; `native` converts one). For large
        answers collected into one value, where that conversion is most of the cost."""
        async with self._statement(query):
            result = await self._tx.run(query_text(query), params)
            record = await result.single(strict=True)
            return record[0]

    async def run_text(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run Cypher read from a file the caller owns (a lint rule); never user-built text."""
        rows, _ = await self._run(text, params, summary=False)
        return rows

    async def run_guarded(
        self, text: str, params: dict[str, Any] | None = None
    ) -> tuple[list[Row], bool]:
        """Run foreign Cypher (a lint rule) and also report whether it changed the graph."""
        return await self._run(text, params, summary=True)

    async def _run(
        self, text: str, params: dict[str, Any] | None, *, summary: bool, name: str = "rule"
    ) -> tuple[list[Row], bool]:
        async with self._statement(name):
            result = await self._tx.run(text, params or {})
            rows = [_native_row(record) for record in await result.data()]
            wrote = False
            if summary:
                counters = (await result.consume()).counters
                wrote = counters.contains_updates or counters.contains_system_updates
            return rows, wrote

    @asynccontextmanager
    async def _statement(self, name: str) -> AsyncIterator[None]:
        """One statement: timed for the observers, its driver errors translated (a managed
        transaction's are left to the driver, which retries the transient ones)."""
        began = time.perf_counter()
        failed = True
        try:
            yield
            failed = False
        except (Neo4jError, DriverError) as exc:
            if self._managed:
                raise
            raise translate(exc) from None
        finally:
            for observe in self._observers:
                observe(name, time.perf_counter() - began, failed)


class Store:
    """A connection to one Neo4j database."""

    def __init__(
        self, driver: neo4j.AsyncDriver, *, uri: str, database: str, query_timeout_s: float
    ) -> None:
        self._driver = driver
        self.uri = uri
        self.database = database
        self.query_timeout_s = query_timeout_s
        self.observers: list[QueryObserver] = []
        """Told of every statement this store runs (`QueryObserver`)."""
        self.sessions_in_use = 0
        """Sessions open right now: how much of the connection pool is in use."""

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

    async def read_single(self, query: str, /, **params: Any) -> Any:
        """Run one named read query returning one value (see `Tx.single`)."""
        return await self.read_transaction(lambda tx: tx.single(query, **params))

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
        with self._session_in_use():
            async with self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                return await _guard(session.execute_read(self._unit_of_work(work, timeout_s)))

    async def write_transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits or none of it."""
        with self._session_in_use():
            async with self._driver.session(database=self.database) as session:
                return await _guard(session.execute_write(self._unit_of_work(work, None)))

    @contextmanager
    def _session_in_use(self) -> Iterator[None]:
        self.sessions_in_use += 1
        try:
            yield
        finally:
            self.sessions_in_use -= 1

    def _unit_of_work(
        self, work: Callable[[Tx], Awaitable[T]], timeout_s: float | None
    ) -> Callable[[AsyncManagedTransaction], Awaitable[T]]:
        """Wrap ``work`` as a transaction function bounded by a timeout (default: the store's)."""

        @neo4j.unit_of_work(timeout=timeout_s or self.query_timeout_s)
        async def transaction_function(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx, managed=True, observers=self.observers))

        return transaction_function

    @asynccontextmanager
    async def scratch_transaction(self, *, timeout_s: float | None = None) -> AsyncIterator[Tx]:
        """A write transaction that is always rolled back (what-if, lint of unloaded files)."""
        try:
            async with self._driver.session(database=self.database) as session:
                tx = await session.begin_transaction(timeout=timeout_s or self.query_timeout_s)
                try:
                    yield Tx(tx, managed=False, observers=self.observers)
                finally:
                    if not tx.closed():
                        with suppress(Neo4jError, DriverError):
                            await tx.rollback()
                    with suppress(Neo4jError, DriverError):
                        await tx.close()
        except (Neo4jError, DriverError) as exc:
            raise translate(exc) from None


async def _guard(awaitable: Awaitable[T]) -> T:
    try:
        return await awaitable
    except (Neo4jError, DriverError) as exc:
        raise translate(exc) from None


def translate(exc: Neo4jError | DriverError) -> Exception:
    """The Integraph error for a driver error: what happened, and what the user can do."""
    if isinstance(exc, IncompleteCommit):
        return CommitOutcomeUnknown(
            "the connection to Neo4j dropped while the transaction was committing, so it is "
            "unknown whether it was written: look at the graph (`integraph export DIR`, or "
            "run the same load again: loads are idempotent and report what they change) "
            f"({_cause(exc)})"
        )
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return DatabaseUnavailable(
            f"lost the connection to Neo4j before anything was committed: {_cause(exc)}"
        )
    if isinstance(exc, Neo4jError):
        code, message = exc.code or "", (exc.message or str(exc)).strip()
        if "TransactionTimedOut" in code:
            return QueryFailed(f"a query ran past its timeout: {message}")
        if "MemoryPoolOutOfMemoryError" in code:
            return QueryFailed(
                "the transaction needs more memory than Neo4j allows it (nothing was written): "
                "give the embedded Neo4j a bigger heap (INTEGRAPH_EMBEDDED_HEAP, e.g. 4g; "
                "transactions may use 70 % of it) or raise dbms.memory.transaction.total.max "
                f"on your server ({message})"
            )
        return CypherError(code, message)
    return DatabaseUnavailable(f"the Neo4j driver failed: {_cause(exc)}")


_TEMPORAL = (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)


def native(value: Any) -> Any:
    """A value of a row with Neo4j's temporal types turned into Python's."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list):
        return [native(item) for item in value]
    if isinstance(value, dict):
        return {key: native(item) for key, item in value.items()}
    if isinstance(value, neo4j.time.Duration):
        return value  # no exact Python equivalent (months); Integraph stores none
    if isinstance(value, _TEMPORAL):
        return value.to_native()
    return value


def _native_row(row: Row) -> Row:
    return {key: native(value) for key, value in row.items()}


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
