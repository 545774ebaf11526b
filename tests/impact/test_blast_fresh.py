"""The in-memory dependency graph never answers from stale data.

After each kind of write (a reload that changes a flow, a prune, a cleared graph) the next
blast radius shows the change and equals the walk in the database; a what-if (written in a
transaction that is rolled back) leaves the structure as it was, and a write that commits while
the structure is being read keeps that read from being cached.

Systems are found by name and answers compared by name, so the tests hold whatever form the
stored ids take.
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from integraph.errors import IntegraphError
from integraph.impact.adjacency import (
    cached_dependency_graph,
    dependency_graph,
    read_dependency_graph,
)
from integraph.impact.blast import BlastRadius, Direction, blast_radius, blast_radius_in
from integraph.impact.whatif import read_changeset, what_if
from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules
from integraph.store.driver import Store, Tx
from integraph.store.writer import graph_version
from tests.impact.test_blast import LANDSCAPE
from tests.lint.harness import write_blueprint


async def _load(graph: Store, folder: Path, landscape: dict[str, Any], **kwargs: Any) -> None:
    await load_blueprint(graph, [write_blueprint(folder, landscape)], **kwargs)


async def _system(graph: Store, name: str) -> str:
    rows = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (s:System {name: $name}) RETURN s.id AS id", {"name": name})
    )
    assert len(rows) == 1, (name, rows)
    return str(rows[0]["id"])


async def _broker(graph: Store) -> str:
    rows = await graph.read_transaction(
        lambda tx: tx.run_text("MATCH (c:Component {kind: 'broker'}) RETURN c.id AS id")
    )
    assert len(rows) == 1, rows
    return str(rows[0]["id"])


def _by_name(result: BlastRadius) -> dict[str, tuple[str, int]]:
    return {str(a.name): (str(a.effect), a.depth) for a in result.affected if a.kind == "System"}


async def _checked(graph: Store, element: str, **kwargs: Any) -> BlastRadius:
    """The in-memory answer, after checking it against the walk in the database."""
    direction = kwargs.get("direction", Direction.DOWNSTREAM)
    depth = kwargs.get("depth", 6)
    fast = await blast_radius(graph, element, limit=None, **kwargs)
    reference = await graph.read_transaction(
        lambda tx: blast_radius_in(tx, element, direction, depth, limit=None)
    )
    assert asdict(fast) == asdict(reference)
    return fast


def _flow(landscape: dict[str, Any], flow_id: str) -> dict[str, Any]:
    return next(f for f in landscape["flows"] if f["id"] == flow_id)


async def test_a_reload_that_changes_a_flow_changes_the_next_answer(
    graph: Store, tmp_path: Path
) -> None:
    landscape = copy.deepcopy(LANDSCAPE)
    await _load(graph, tmp_path / "bp", landscape)
    stock, orders = await _system(graph, "Stock"), await _system(graph, "Orders")
    before = await _checked(graph, stock)
    assert _by_name(before) == {
        "Orders": ("outage", 1),
        "Web": ("outage", 2),
        "Billing": ("delayed", 2),
        "Mailer": ("data_loss_risk", 2),
        "Ledger": ("deferred", 3),
    }
    built = cached_dependency_graph(graph)
    assert built is not None and built.token == await graph_version(graph)

    # orders no longer calls stock: it sends it an event (stock now depends on orders).
    _flow(landscape, "orders-stock")["pattern"] = "event"
    await _load(graph, tmp_path / "bp", landscape)
    after = await _checked(graph, stock)
    assert _by_name(after) == {}
    assert _by_name(await _checked(graph, orders))["Stock"] == ("data_loss_risk", 1)
    rebuilt = cached_dependency_graph(graph)
    assert rebuilt is not None and rebuilt is not built and rebuilt.token != built.token

    # A flow pointed at another system.
    _flow(landscape, "orders-stock")["target"] = "mailer"
    await _load(graph, tmp_path / "bp", landscape)
    assert "Stock" not in _by_name(await _checked(graph, orders))
    assert _by_name(await _checked(graph, orders))["Mailer"] == ("data_loss_risk", 1)


async def test_a_prune_removes_the_flow_from_the_next_answer(graph: Store, tmp_path: Path) -> None:
    landscape = copy.deepcopy(LANDSCAPE)
    await _load(graph, tmp_path / "bp", landscape)
    orders = await _system(graph, "Orders")
    assert _by_name(await _checked(graph, orders))["Mailer"] == ("data_loss_risk", 1)

    landscape["flows"] = [f for f in landscape["flows"] if f["id"] != "order-mail"]
    # Without --prune the flow stays in the graph, and so in the answer...
    await _load(graph, tmp_path / "bp", landscape)
    assert "Mailer" in _by_name(await _checked(graph, orders))
    # ...with --prune it is gone from both.
    await _load(graph, tmp_path / "bp", landscape, prune=True)
    assert "Mailer" not in _by_name(await _checked(graph, orders))


async def test_a_what_if_leaves_the_structure_and_the_answers_as_they_were(
    graph: Store, tmp_path: Path
) -> None:
    await _load(graph, tmp_path / "bp", copy.deepcopy(LANDSCAPE))
    orders = await _system(graph, "Orders")
    before = await _checked(graph, orders)
    built = cached_dependency_graph(graph)
    changes = tmp_path / "changes.yaml"
    changes.write_text(
        """
changeset:
  blueprint: test-bp
add:
  flows:
    - {id: stock-mailer, source: stock, target: mailer, pattern: request_response}
modify:
  flows:
    - {id: order-placed, pattern: batch, via: null}
remove: [order-mail]
"""
    )
    report = await what_if(
        graph, read_changeset(changes), choose_rules(ids=["RES-01"]), config=LintConfig()
    )
    # Inside its rolled-back transaction the what-if saw its own new flow (stock now calls
    # mailer)...
    first_hops = [
        {a.name: str(a.effect) for a in b.affected if a.kind == "System" and a.depth == 1}
        for b in report.blast
    ]
    assert {"Stock": "outage"} in first_hops
    # ...the modified flow's radius is the graph's as it is (an event with a dead letter)...
    assert {"Billing": "delayed"} in first_hops
    # ...and nothing of it reached the committed graph, the version or the structure.
    after = await _checked(graph, orders)
    assert asdict(after) == asdict(before)
    assert cached_dependency_graph(graph) is built


async def test_a_cleared_graph_is_not_answered_from_the_structure(
    graph: Store, tmp_path: Path
) -> None:
    await _load(graph, tmp_path / "bp", copy.deepcopy(LANDSCAPE))
    orders = await _system(graph, "Orders")
    assert (await blast_radius(graph, orders)).total == 4
    assert cached_dependency_graph(graph) is not None
    await graph.write("queries/db/clear")  # no version token left at all
    assert await graph_version(graph) is None
    assert await dependency_graph(graph) is None
    with pytest.raises(IntegraphError, match="no element"):
        await blast_radius(graph, orders)


class _WriteBetween:
    """A transaction that lets a load commit (in its own transaction) right after one query."""

    def __init__(self, tx: Tx, after: str, write: Any) -> None:
        self._tx, self._after, self._write = tx, after, write

    async def run(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        rows = await self._tx.run(query, **params)
        if query == self._after:
            await self._write()
        return rows


async def test_a_write_committed_while_reading_the_structure_is_not_cached(
    graph: Store, tmp_path: Path
) -> None:
    landscape = copy.deepcopy(LANDSCAPE)
    await _load(graph, tmp_path / "bp", landscape)
    stock = await _system(graph, "Stock")
    changed = copy.deepcopy(landscape)
    _flow(changed, "orders-stock")["pattern"] = "event"

    async def reload() -> None:
        await _load(graph, tmp_path / "bp", changed)

    read = await graph.read_transaction(
        lambda tx: read_dependency_graph(
            _WriteBetween(tx, "queries/impact/dependency_systems", reload)  # type: ignore[arg-type]
        )
    )
    assert read is None  # the token moved between the two reads of the token
    assert _by_name(await _checked(graph, stock)) == {}  # the next answer has the change


async def test_pages_concatenate_to_the_whole_answer_and_count_everything(
    graph: Store, tmp_path: Path
) -> None:
    await _load(graph, tmp_path / "bp", copy.deepcopy(LANDSCAPE))
    stock = await _system(graph, "Stock")
    for element in (stock, await _broker(graph)):
        whole = await blast_radius(graph, element, direction=Direction.BOTH, limit=None)
        assert whole.total == len(whole.affected) >= 5
        pages = [
            await blast_radius(graph, element, direction=Direction.BOTH, limit=2, offset=start)
            for start in range(0, whole.total + 2, 2)
        ]
        assert [asdict(a) for p in pages for a in p.affected] == [asdict(a) for a in whole.affected]
        assert all(len(p.affected) <= 2 and p.total == whole.total for p in pages)
        assert all(p.summary() == whole.summary() for p in pages)
        assert pages[-1].affected == []  # past the end: an empty page, the same counts
        in_tx = await graph.read_transaction(
            lambda tx, e=element: blast_radius_in(tx, e, Direction.BOTH, 6, limit=2, offset=2)
        )
        assert asdict(in_tx) == asdict(pages[1])
    with pytest.raises(IntegraphError, match="--limit"):
        await blast_radius(graph, stock, limit=0)
    with pytest.raises(IntegraphError, match="--offset"):
        await blast_radius(graph, stock, offset=-1)
