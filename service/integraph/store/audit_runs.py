"""The storage of scheduled audits: runs, their findings, leases and alert deliveries.

    (:AuditRun {id, scope_key, scope, started, finished, status, catalogue, rules,
                rules_not_run, errors, waiver_problems, previous, counts})
      -[:HAS_FINDINGS]->(:AuditFindings {run, rule, area, fingerprints, severities, elements,
                                         blueprints, teams, messages, statuses, marks})
    (:AuditLease {scope_key, period, holder, expires, done})
    (:AlertDelivery {run, webhook, attempt, started, seconds, status, outcome, error})

A run's findings are stored one node per rule, as parallel lists (the i-th finding of a rule
is `fingerprints[i]`, `severities[i]`, ...): an audit of 80,000 findings writes a few dozen
nodes in one transaction instead of 80,000, and reading a run back is one value. Timestamps
are ISO 8601 text in UTC, which sorts as time does. `counts` is JSON text. None of these
labels is `:Element`, and audits never move the graph's version token: lint, export, impact
and its cache never see them. Migration 009 holds the constraints and indexes.
"""

from __future__ import annotations

from typing import Any

from integraph.store.driver import Store

Chunk = dict[str, Any]
"""One rule's findings of a run: the lists of `AuditFindings`."""


async def save_run(store: Store, run: dict[str, Any], chunks: list[Chunk]) -> None:
    """Write a run and its findings in one transaction."""
    await store.write("queries/audits/save_run", run=run, chunks=chunks)


async def previous_complete(
    store: Store, scope_key: str, before: str
) -> tuple[str, list[Chunk]] | None:
    """The newest complete run of the scope before `before`: its id and its findings."""
    found = await store.read_single(
        "queries/audits/previous_complete", scope_key=scope_key, before=before
    )
    if found is None:
        return None
    run_id, chunks = found
    return run_id, chunks


async def list_runs(store: Store, scope_key: str | None, limit: int) -> list[dict[str, Any]]:
    """Runs newest first, without findings."""
    return await store.read_single("queries/audits/runs", scope_key=scope_key, limit=limit)


async def get_run(
    store: Store, run_id: str, *, findings: bool = True
) -> tuple[dict[str, Any], list[Chunk]] | None:
    found = await store.read_single("queries/audits/run", id=run_id, findings=findings)
    if found is None:
        return None
    run, chunks = found
    return run, chunks


async def finding_history(store: Store, fingerprint: str) -> list[tuple[dict[str, Any], Chunk]]:
    """(run, the finding as that run recorded it) for every run that recorded it, oldest first."""
    return [
        (run, finding)
        for run, finding in await store.read_single(
            "queries/audits/history", fingerprint=fingerprint
        )
    ]


async def prune_runs(store: Store, *, keep: int | None, cutoff: str | None, batch: int = 20) -> int:
    """Delete runs beyond the newest `keep` of each scope or started before `cutoff`, `batch`
    runs per transaction until none is left; how many were deleted."""
    if keep is None and cutoff is None:
        return 0
    pruned = 0
    while True:
        rows = await store.write("queries/audits/prune_runs", keep=keep, cutoff=cutoff, batch=batch)
        done = rows[0]["pruned"] if rows else 0
        pruned += done
        if done < batch:
            return pruned


async def take_lease(
    store: Store, scope_key: str, *, period: str, holder: str, now: str, expires: str
) -> bool:
    """Whether `holder` may run the audit of `scope_key` for `period` (see take_lease.cypher)."""
    rows = await store.write(
        "queries/audits/take_lease",
        scope_key=scope_key,
        period=period,
        holder=holder,
        now=now,
        expires=expires,
    )
    return bool(rows and rows[0]["taken"])


async def finish_lease(store: Store, scope_key: str, *, period: str, holder: str) -> None:
    await store.write(
        "queries/audits/finish_lease", scope_key=scope_key, period=period, holder=holder
    )


async def save_deliveries(store: Store, run_id: str, attempts: list[dict[str, Any]]) -> None:
    if attempts:
        await store.write("queries/audits/save_deliveries", run=run_id, attempts=attempts)


async def deliveries(store: Store, run_id: str) -> list[dict[str, Any]]:
    return await store.read_single("queries/audits/deliveries", run=run_id)


async def owner_teams(store: Store, ids: list[str]) -> dict[str, str | None]:
    """The team owning each element (see queries/api/element_owner_teams)."""
    return dict(await store.read_single("queries/api/element_owner_teams", ids=ids))
