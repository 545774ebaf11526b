"""Schema migrations: ordered, idempotent ``cypher/schema/NNN_name.cypher`` files.

Each applied file is recorded as a ``(:SchemaMigration {version, name, checksum, applied_at})``
node, so ``integraph db migrate`` twice is a no-op and the graph says which schema it has.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from neo4j.exceptions import Neo4jError

from integraph.errors import MigrationFailed, SchemaNotCurrent
from integraph.store.derived import derive_facts
from integraph.store.driver import Store
from integraph.store.queries import files_in, split_statements

_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.cypher$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class MigrationReport:
    applied: list[str]
    already_applied: list[str]


def available_migrations() -> list[Migration]:
    """The migration files in version order; a misnamed file is an error, not skipped."""
    migrations = []
    for path in files_in("schema"):
        match = _FILE.match(path.name)
        if not match:
            raise MigrationFailed(f"{path.name}: migration files are named NNN_name.cypher")
        migrations.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationFailed("two migration files share a version number in cypher/schema")
    return migrations


async def migrate(store: Store) -> MigrationReport:
    """Apply every migration not yet recorded in the graph, in order."""
    done = await _applied_versions(store)
    applied, skipped = [], []
    for migration in available_migrations():
        label = migration.path.name
        if migration.version in done:
            skipped.append(label)
            continue
        for statement in split_statements(migration.path.read_text()):
            try:
                await store.run_schema(statement)
            except Neo4jError as exc:
                raise MigrationFailed(f"migration {label} failed: {exc.message or exc}") from None
        await store.write(
            "queries/schema/record_migration",
            version=migration.version,
            name=migration.name,
            checksum=migration.checksum,
        )
        applied.append(label)
    if applied:
        # Facts derived from the graph (store/derived.py) for what an older Integraph stored
        # without them, or with ids a migration rewrote: brought up to date at once.
        await store.write_transaction(derive_facts)
    return MigrationReport(applied=applied, already_applied=skipped)


async def require_current_schema(store: Store) -> None:
    """Raise SchemaNotCurrent, saying what to run, unless every migration is applied.

    One small read: the commands that do not migrate call it before they use the graph.
    """
    done = await _applied_versions(store)
    known = {m.version: m.path.name for m in available_migrations()}
    missing = sorted(set(known) - done)
    unknown = sorted(done - set(known))
    if missing:
        names = ", ".join(known[v] for v in missing)
        raise SchemaNotCurrent(
            f"the database lacks {len(missing)} schema migration(s) ({names}): run "
            "`integraph db migrate` (or `integraph up`), then try again"
        )
    if unknown:
        raise SchemaNotCurrent(
            "the database has schema migrations this Integraph does not know "
            f"({', '.join(f'{v:03d}' for v in unknown)}): it was migrated by a newer "
            "Integraph; upgrade this one"
        )


async def _applied_versions(store: Store) -> set[int]:
    return {row["version"] for row in await store.read("queries/schema/applied_migrations")}
