"""Facts derived from the graph at load time, which lint rules would otherwise recompute.

Two kinds, each on nodes of their own (not elements: export, impact and lineage never see
them, and no element gains a property)::

    (:Flow)-[:HAS_RESILIENCE]->(:FlowResilience {policies: n, ...})<-[:SHAPES]-(:Policy)
    (:ContractVersion)-[:HAS_CONTENT]->(:VersionContent {fields: n, hashes: [...], ...})

* **Flow resilience**: what the policies reaching a flow (applied to it, or to a component it
  passes through) add up to: whether it is retried and with how many attempts at most, its
  timeouts, whether it has a dead-letter destination, an idempotency key, a circuit breaker
  (``cypher/queries/derive/flow_resilience.cypher``). One ``SHAPES`` from each of the ``n``
  policies the facts were computed from.
* **Version content**: a contract version's fields as canonical JSON (``content``, in the
  order the compatibility checks read them) and its SHA-256 (``digest``), so the contract
  rules read one string per version instead of every field, and compatibility verdicts can
  be cached by the digests of the versions compared (``lint/checks.py``), with the content
  hashes of the ``n`` fields it was read from (``hashes``) and the names of the version's
  operations (``operations``, in file order: an operation removed is a breaking change even
  when it had no fields).

``derive_facts`` runs at the end of every write (``write_rows``), in the same transaction,
and recomputes only what the write may have changed. The writer replaces an element that
changed by rewriting its properties and its *outgoing* relationships, and deletes an element
with all its relationships, so:

* a flow or contract version written or rewritten has no ``HAS_RESILIENCE`` /
  ``HAS_CONTENT`` (new, or the old one went with its outgoing relationships): the old facts
  are orphaned;
* a policy rewritten or deleted lost its ``SHAPES``: the facts it went into count fewer
  than they record;
* a policy written in this load (new or rewritten) shapes nothing yet, though it reaches
  flows;
* a field rewritten has another content hash (added or removed, its version was rewritten:
  the version's outgoing ``HAS_FIELD`` changed); an operation added or removed changes the
  names the version's ``HAS_OPERATION`` lead to.

Those facts are dropped, and every flow and contract version without facts gets them
computed anew. Finding them costs one pass over the facts, one over the policies (a degree
check each) and one over the fields' hashes, so a reload that changes one file recomputes
only what that file touches. (Fields carry a hash list rather than a relationship each: at
10,000 systems that is 170,000 relationships fewer in the load's transaction.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from integraph.store.driver import Tx

RESILIENCE_KINDS = ["retry", "timeout", "dead_letter", "idempotency", "circuit_breaker"]
"""The policy kinds the flow resilience facts are computed from."""

FIELD_KEYS = (
    "part",
    "path",
    "type",
    "required",
    "enum",
    "extensible_enum",
    "default",
    "operation",
    "nullable",
)
"""What a field of a version's content holds (the compatibility checks' field form; the
operation is None for a version's own bodies)."""

BATCH = 5_000
"""Contract versions per call when writing their content."""


async def derive_facts(tx: Tx) -> None:
    """Bring every derived fact up to date with the graph, in this transaction."""
    await derive_flow_resilience(tx)
    await derive_version_content(tx)


async def derive_flow_resilience(tx: Tx) -> int:
    """Recompute the resilience facts that may have changed; return how many flows got
    theirs (re)computed."""
    await tx.run("queries/derive/stale_flow_resilience")
    await tx.run("queries/derive/new_policy_scope", kinds=RESILIENCE_KINDS)
    rows = await tx.run("queries/derive/flow_resilience", kinds=RESILIENCE_KINDS)
    return int(rows[0]["derived"]) if rows else 0


async def derive_version_content(tx: Tx) -> int:
    """Rewrite the content of the contract versions that may have changed; return how many
    versions got theirs (re)written."""
    await tx.run("queries/derive/stale_version_content")
    versions = await tx.run("queries/derive/new_version_content")
    for batch in _batches(versions):
        rows = []
        for version in batch:
            content = version_content(
                [dict(zip(FIELD_KEYS, field, strict=True)) for field in version["fields"]]
            )
            rows.append(
                {"id": version["id"], "content": content, "digest": content_digest(content)}
            )
        await tx.run("queries/derive/version_content", rows=rows)
    return len(versions)


def version_content(fields: list[dict[str, Any]]) -> str:
    """A version's fields (in their order) as canonical JSON; ``json.loads`` gives them back."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_digest(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
