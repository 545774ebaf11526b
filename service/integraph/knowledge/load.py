"""Blueprint files <-> the graph: the service functions behind ``integraph load`` and ``export``.

Loading validates everything first, then writes in one transaction: a failure anywhere leaves
the graph exactly as it was. Exporting reads a blueprint back and writes it as files that load
to the same graph.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from integraph.blueprint.errors import BlueprintIssue
from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import discover_blueprint_files, read_blueprint_files
from integraph.errors import IntegraphError
from integraph.graph import from_graph, to_graph
from integraph.knowledge.digest import files_digest
from integraph.limits import DEFAULT_LIMITS, BlueprintLimits
from integraph.model import Landscape
from integraph.store.driver import Store, Tx
from integraph.store.writer import Progress, read_rows, write_rows


@dataclass(frozen=True)
class LoadReport:
    """What a load changed."""

    blueprint: str
    elements: int
    relationships: int
    created: int
    updated: int
    unchanged: int
    deleted: int
    seconds: float
    notices: tuple[BlueprintIssue, ...] = ()
    """What was skipped while reading the files, and why (warnings)."""
    files_unchanged: bool = False
    """The files were those of the last load (same digest): nothing was parsed or written."""


@dataclass(frozen=True)
class ExportReport:
    blueprint: str
    elements: int
    files: list[Path]


def blueprint_id_of(landscape: Landscape) -> str:
    if landscape.blueprint is None:
        raise IntegraphError(
            "the files hold no `blueprint:` section: one file must name the blueprint "
            "(id, name, version, status)"
        )
    return landscape.blueprint.id


async def load_blueprint(
    store: Store,
    paths: list[Path],
    *,
    prune: bool = False,
    progress: Progress | None = None,
    limits: BlueprintLimits | None = None,
) -> LoadReport:
    """Validate the files (all problems at once), then write them in a single transaction.

    Files identical to those of the blueprint's last load (same digest, see ``digest.py``)
    are not parsed again: the report says every element is unchanged.
    """
    began = time.monotonic()
    limits = limits or DEFAULT_LIMITS
    found = discover_blueprint_files(paths)
    digest = None
    if found.files and not found.problems:
        digest = files_digest(found.files, limits)
        same = await store.read("queries/load/load_record", digest=digest)
        if same and (same[0]["pruned"] or not prune):
            last = same[0]
            return LoadReport(
                blueprint=last["blueprint"],
                elements=last["elements"],
                relationships=last["relationships"],
                created=0,
                updated=0,
                unchanged=last["elements"],
                deleted=0,
                seconds=time.monotonic() - began,
                notices=tuple(found.notices),
                files_unchanged=True,
            )
    # BlueprintInvalid before any write
    read = read_blueprint_files(paths, limits=limits, found=found)
    report = await load_landscape(
        store, read.landscape, prune=prune, progress=progress, began=began, digest=digest
    )
    return dataclasses.replace(report, notices=tuple(read.notices))


async def load_landscape(
    store: Store,
    landscape: Landscape,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    began: float | None = None,
    digest: str | None = None,
) -> LoadReport:
    """Write an already validated landscape in a single transaction, with the record of the
    load (``digest``: of the files it came from, None for a landscape built in memory)."""
    began = time.monotonic() if began is None else began
    blueprint = blueprint_id_of(landscape)
    rows = to_graph(landscape, blueprint)

    elements = landscape.count().total

    async def work(tx: Tx):  # type: ignore[no-untyped-def]
        counts = await write_rows(tx, rows, blueprint, prune=prune, progress=progress)
        await tx.run(
            "queries/load/record_load",
            blueprint=blueprint,
            digest=digest,
            elements=elements,
            relationships=counts.relationships,
            pruned=prune,
        )
        return counts

    counts = await store.write_transaction(work)
    return LoadReport(
        blueprint=blueprint,
        elements=elements,
        relationships=counts.relationships,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        deleted=counts.deleted,
        seconds=time.monotonic() - began,
    )


async def stored_blueprints(store: Store) -> list[str]:
    return [row["id"] for row in await store.read("queries/export/blueprints")]


async def export_blueprint(
    store: Store, out_dir: Path, *, blueprint: str | None = None
) -> list[ExportReport]:
    """Write stored blueprints as files: into ``out_dir`` for one, a subfolder each for several."""
    available = await stored_blueprints(store)
    if blueprint is not None:
        if blueprint not in available:
            raise IntegraphError(
                f"no blueprint '{blueprint}' in the graph (have: {', '.join(available) or 'none'})"
            )
        chosen = [blueprint]
    else:
        chosen = available
    if not chosen:
        raise IntegraphError("the graph holds no blueprint to export; load one first")
    reports = []
    for name in chosen:
        rows = await store.read_transaction(lambda tx, name=name: read_rows(tx, name))
        target = out_dir if len(chosen) == 1 else out_dir / name
        files = write_blueprint_files(from_graph(rows), target)
        count = sum(len(r) for r in rows.nodes.values())
        reports.append(ExportReport(blueprint=name, elements=count, files=files))
    return reports
