"""Blueprint files <-> the graph: the service functions behind ``integraph load`` and ``export``.

Loading validates everything first, then writes in one transaction: a failure anywhere leaves
the graph exactly as it was. Exporting reads a blueprint back and writes it as files that load
to the same graph.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue
from integraph.blueprint.export import write_blueprint_files
from integraph.blueprint.parse import (
    FoundFiles,
    ReadResult,
    discover_blueprint_files,
    group_blueprint_id,
    read_blueprint_files,
    split_by_blueprint,
)
from integraph.errors import IntegraphError
from integraph.graph import GraphRows, from_graph, to_graph
from integraph.knowledge.digest import files_digest
from integraph.knowledge.resolve import Pending, check_offline, load_order, resolve_references
from integraph.limits import DEFAULT_LIMITS, BlueprintLimits
from integraph.model import Landscape
from integraph.store.audit import AuditContext, ChangeLog, write_entry
from integraph.store.driver import Store, Tx
from integraph.store.writer import Progress, WriteCounts, prune_blueprint, read_rows, write_rows


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
class Validation:
    """What `validate_knowledge` read: each blueprint's files, and how many references into
    blueprints outside the paths it left for the load to check."""

    blueprints: list[ReadResult]
    unchecked: int


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
    audit: AuditContext | None = None,
) -> LoadReport:
    """Load the one blueprint in `paths` (see `load_knowledge`); several are refused."""
    reports = await load_knowledge(
        store, paths, prune=prune, progress=progress, limits=limits, audit=audit
    )
    if len(reports) != 1:
        names = ", ".join(r.blueprint for r in reports)
        raise IntegraphError(f"the paths hold {len(reports)} blueprints ({names}), not one")
    return reports[0]


async def load_knowledge(
    store: Store,
    paths: list[Path],
    *,
    prune: bool = False,
    progress: Progress | None = None,
    limits: BlueprintLimits | None = None,
    only: Collection[str] | None = None,
    audit: AuditContext | None = None,
) -> list[LoadReport]:
    """Load the blueprints in `paths` (one, or a folder with one sub-folder per blueprint),
    all in a single transaction: every one fully, or nothing at all.

    Every file is validated first (all problems at once), then the references into other
    blueprints are checked against the graph and the blueprints of the same load. Blueprints
    whose files are those of their last load (same digest, see ``digest.py``) are not parsed
    again: their report says every element is unchanged. `only` narrows the load to those
    blueprint ids. The reports come in load order (each blueprint after those it uses).

    With `audit`, each blueprint the load changes gets an audit entry in the same transaction
    (who, how, and the elements created, updated and deleted; see ``store/audit.py``).
    """
    began = time.monotonic()
    limits = limits or DEFAULT_LIMITS
    found = discover_blueprint_files(paths)
    groups = split_by_blueprint(found)
    if only is not None:
        groups = _narrow(groups, set(only), limits)
    unchanged: list[LoadReport] = []
    changed: list[tuple[FoundFiles, str | None]] = []
    for group in groups:
        digest = None
        if group.files and not group.problems:
            digest = files_digest(group.files, limits)
            same = await store.read("queries/load/load_record", digest=digest)
            if same and (same[0]["pruned"] or not prune):
                unchanged.append(_unchanged_report(same[0], group, began))
                continue
        changed.append((group, digest))
    if not changed:
        return unchanged
    pending, digests, notices = _read_all(paths, changed, limits)
    reports = await _write(
        store, pending, digests, prune=prune, progress=progress, began=began, audit=audit
    )
    reports = [dataclasses.replace(r, notices=tuple(notices.get(r.blueprint, ()))) for r in reports]
    return unchanged + reports


def _read_all(
    paths: list[Path], changed: list[tuple[FoundFiles, str | None]], limits: BlueprintLimits
) -> tuple[list[Pending], dict[str, str | None], dict[str, list[BlueprintIssue]]]:
    """Read and validate every changed blueprint; all their problems in one BlueprintInvalid."""
    pending: list[Pending] = []
    digests: dict[str, str | None] = {}
    notices: dict[str, list[BlueprintIssue]] = {}
    issues: list[BlueprintIssue] = []
    all_notices: list[BlueprintIssue] = []
    for group, digest in changed:
        try:
            read = read_blueprint_files(paths, limits=limits, found=group)
        except BlueprintInvalid as invalid:
            issues.extend(invalid.issues)
            all_notices.extend(invalid.notices)
            continue
        blueprint = blueprint_id_of(read.landscape)
        if blueprint in digests:
            raise IntegraphError(f"the paths hold blueprint '{blueprint}' twice")
        pending.append(Pending(blueprint, read.landscape, read.external))
        digests[blueprint] = digest
        notices[blueprint] = list(read.notices)
        all_notices.extend(read.notices)
    if issues:
        raise BlueprintInvalid(issues, all_notices)
    return pending, digests, notices


async def _write(
    store: Store,
    pending: list[Pending],
    digests: dict[str, str | None],
    *,
    prune: bool,
    progress: Progress | None,
    began: float,
    audit: AuditContext | None = None,
) -> list[LoadReport]:
    """Resolve, write every blueprint, then prune (so references dropped in the same load do
    not hold anything back), and record each load (and its audit entry), in one transaction."""

    async def work(tx: Tx) -> list[tuple[Pending, WriteCounts, int]]:
        logs = {item.blueprint: ChangeLog() for item in pending} if audit else {}
        written = await write_pending(tx, pending, progress=progress, logs=logs)
        results = []
        for item, rows, counts in written:
            deleted = 0
            log = logs.get(item.blueprint)
            if prune:
                kept = [row["id"] for node_rows in rows.nodes.values() for row in node_rows]
                deleted = await prune_blueprint(tx, item.blueprint, kept, log=log)
            await tx.run(
                "queries/load/record_load",
                blueprint=item.blueprint,
                digest=digests.get(item.blueprint),
                elements=item.landscape.count().total,
                relationships=counts.relationships,
                pruned=prune,
            )
            if audit is not None and log is not None and log.changed:
                await write_entry(tx, audit, item.blueprint, log, summary=load_summary(log))
            results.append((item, counts, deleted))
        return results

    results = await store.write_transaction(work)
    return [
        LoadReport(
            blueprint=item.blueprint,
            elements=item.landscape.count().total,
            relationships=counts.relationships,
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
            deleted=deleted,
            seconds=time.monotonic() - began,
        )
        for item, counts, deleted in results
    ]


async def write_pending(
    tx: Tx,
    pending: list[Pending],
    *,
    progress: Progress | None = None,
    logs: dict[str, ChangeLog] | None = None,
) -> list[tuple[Pending, GraphRows, WriteCounts]]:
    """Resolve the references of blueprints read from files against the graph (and each
    other), then write them, each after those it uses, in the caller's transaction (telling
    ``logs[blueprint]``, when there is one, what changed)."""
    ordered = load_order(pending)
    loaded_uses = {
        row["id"]: row["uses"] for row in await tx.run("queries/knowledge/blueprint_uses")
    }
    for item in ordered:
        loaded_uses.pop(item.blueprint, None)  # this load replaces what it said
    resolved = await resolve_references(tx, ordered, loaded_uses)
    written = []
    for item in ordered:
        rows = to_graph(item.landscape, item.blueprint, resolved[item.blueprint])
        log = (logs or {}).get(item.blueprint)
        counts = await write_rows(tx, rows, item.blueprint, progress=progress, log=log)
        written.append((item, rows, counts))
    return written


def load_summary(log: ChangeLog) -> str:
    """The one line an audit entry of a load says."""
    counts = log.counts
    return (
        f"loaded from files: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['deleted']} deleted"
    )


def validate_knowledge(paths: list[Path], *, limits: BlueprintLimits | None = None) -> Validation:
    """Read and check the blueprints in `paths` without a database (BlueprintInvalid)."""
    limits = limits or DEFAULT_LIMITS
    groups = split_by_blueprint(discover_blueprint_files(paths))
    results: list[ReadResult] = []
    issues: list[BlueprintIssue] = []
    notices: list[BlueprintIssue] = []
    for group in groups:
        try:
            results.append(read_blueprint_files(paths, limits=limits, found=group))
        except BlueprintInvalid as invalid:
            issues.extend(invalid.issues)
            notices.extend(invalid.notices)
    if issues:
        raise BlueprintInvalid(issues, notices)
    if len(results) == 1 and results[0].landscape.blueprint is None:
        return Validation(results, 0)  # files without a blueprint section: nothing to resolve
    pending = [Pending(blueprint_id_of(r.landscape), r.landscape, r.external) for r in results]
    return Validation(results, check_offline(pending))


def read_knowledge(
    paths: list[Path], *, limits: BlueprintLimits | None = None, only: Collection[str] | None = None
) -> list[Pending]:
    """Read and validate every blueprint in `paths` (all problems in one BlueprintInvalid)."""
    limits = limits or DEFAULT_LIMITS
    groups = split_by_blueprint(discover_blueprint_files(paths))
    if only is not None:
        groups = _narrow(groups, set(only), limits)
    pending, _, _ = _read_all(paths, [(g, None) for g in groups], limits)
    return pending


def _unchanged_report(last: dict[str, Any], group: FoundFiles, began: float) -> LoadReport:
    return LoadReport(
        blueprint=last["blueprint"],
        elements=last["elements"],
        relationships=last["relationships"],
        created=0,
        updated=0,
        unchanged=last["elements"],
        deleted=0,
        seconds=time.monotonic() - began,
        notices=tuple(group.notices),
        files_unchanged=True,
    )


def _narrow(groups: list[FoundFiles], only: set[str], limits: BlueprintLimits) -> list[FoundFiles]:
    """The groups of the blueprints in `only`; a name that is not there is an error."""
    named = {group_blueprint_id(g, limits): g for g in groups}
    missing = sorted(only - set(named))
    if missing:
        have = ", ".join(sorted(n for n in named if n)) or "none"
        raise IntegraphError(f"no blueprint {', '.join(missing)} in the paths (have: {have})")
    return [g for name, g in named.items() if name in only]


async def load_landscape(
    store: Store,
    landscape: Landscape,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    began: float | None = None,
    digest: str | None = None,
    audit: AuditContext | None = None,
) -> LoadReport:
    """Write an already validated landscape in a single transaction, with the record of the
    load (``digest``: of the files it came from, None for a landscape built in memory) and,
    with ``audit``, its audit entry.

    References into other blueprints must be full identifiers (`landscape:crm`) of elements
    in the graph."""
    began = time.monotonic() if began is None else began
    blueprint = blueprint_id_of(landscape)
    rows = to_graph(landscape, blueprint)

    elements = landscape.count().total

    async def work(tx: Tx):  # type: ignore[no-untyped-def]
        log = ChangeLog() if audit else None
        counts = await write_rows(tx, rows, blueprint, prune=prune, progress=progress, log=log)
        await tx.run(
            "queries/load/record_load",
            blueprint=blueprint,
            digest=digest,
            elements=elements,
            relationships=counts.relationships,
            pruned=prune,
        )
        if audit is not None and log is not None and log.changed:
            await write_entry(tx, audit, blueprint, log, summary=load_summary(log))
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
