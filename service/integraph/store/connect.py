"""Opening the configured database: an external Neo4j, or the embedded one started on demand."""

from __future__ import annotations

import asyncio

from integraph.config import Settings
from integraph.store.driver import Store
from integraph.store.embedded import EmbeddedNeo4j
from integraph.store.migrations import migrate


async def open_store(settings: Settings, *, migrated: bool = True) -> Store:
    """Connect to the configured Neo4j (starting the embedded one if needed) and migrate it."""
    if settings.embedded:
        server = EmbeddedNeo4j(settings)
        if server.pid() is None:
            await asyncio.to_thread(server.start)
        uri, password = server.uri, server.password()
    else:
        assert settings.neo4j_uri is not None
        uri = settings.neo4j_uri
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    store = await Store.connect(
        uri,
        settings.neo4j_user,
        password,
        database=settings.neo4j_database,
        connect_timeout_s=settings.connect_timeout_s,
        query_timeout_s=settings.query_timeout_s,
    )
    if migrated:
        try:
            await migrate(store)
        except BaseException:
            await store.close()
            raise
    return store
