"""What-if change sets: findings that appear and disappear, and nothing persists."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.impact.whatif import ChangeSetInvalid, read_changeset, what_if
from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules
from integraph.store.driver import Store
from tests.lint.harness import write_blueprint
from tests.store.test_writer import snapshot

LANDSCAPE = {
    "systems": [
        {"id": "shop", "name": "Shop", "trust_zone": "internal"},
        {"id": "billing", "name": "Billing", "trust_zone": "internal"},
    ],
    "components": [
        {"id": "topic", "kind": "topic"},
        {"id": "dlq", "kind": "dead_letter_queue"},
    ],
    "flows": [
        {
            "id": "order-placed",
            "source": "shop",
            "target": "billing",
            "pattern": "event",
            "via": ["topic"],
        },
        {"id": "get-invoice", "source": "shop", "target": "billing", "pattern": "request_response"},
    ],
    "credentials": [
        {"id": "cred-shop", "kind": "mtls", "secret_ref": "vault://kv/shop", "held_by": ["shop"]},
    ],
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


async def test_changeset_previews_and_persists_nothing(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    before = await snapshot(graph)
    changes = read_changeset(
        _write(
            tmp_path / "cs.yaml",
            """
changeset:
  blueprint: test-bp
add:
  policies:
    - {id: dl-topic, kind: dead_letter, dlq: dlq, applies_to: [topic], max_deliveries: 5}
modify:
  credentials:
    - {id: cred-shop, held_by: [shop, billing]}
remove: [get-invoice]
""",
        )
    )
    rules = choose_rules(ids=["SEC-01", "RES-01"])
    report = await what_if(graph, changes, rules, config=LintConfig())
    # The change set names the blueprint's elements by short id; findings and blast radii
    # name them by full identifier, as the graph does.
    assert report.blueprint == "test-bp"
    assert [(f.rule.id, f.element) for f in report.appeared] == [("SEC-01", "test-bp:cred-shop")]
    assert [(f.rule.id, f.element) for f in report.disappeared] == [
        ("RES-01", "test-bp:order-placed")
    ]
    blasted = {b.element: [a.id for a in b.affected] for b in report.blast}
    assert list(blasted) == ["test-bp:cred-shop", "test-bp:get-invoice", "test-bp:dl-topic"]
    # shop loses its synchronous call (outage), so billing's events from shop are at risk.
    assert blasted["test-bp:get-invoice"] == [
        "test-bp:get-invoice",
        "test-bp:shop",
        "test-bp:billing",
    ]
    assert blasted["test-bp:dl-topic"] == ["test-bp:billing", "test-bp:order-placed"]
    assert await snapshot(graph) == before


async def test_changeset_errors(graph: Store, tmp_path: Path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    with pytest.raises(ChangeSetInvalid, match="unknown top-level key"):
        read_changeset(_write(tmp_path / "a.yaml", "rename: [x]\n"))
    unknown = read_changeset(_write(tmp_path / "b.yaml", "remove: [nope]\n"))
    with pytest.raises(ChangeSetInvalid, match="unknown element"):
        await what_if(graph, unknown, choose_rules(ids=["SEC-01"]), config=LintConfig())
    dangling = read_changeset(_write(tmp_path / "c.yaml", "remove: [billing]\n"))
    with pytest.raises(ChangeSetInvalid, match="no system has id 'billing'"):
        await what_if(graph, dangling, choose_rules(ids=["SEC-01"]), config=LintConfig())


async def test_findings_point_at_the_blueprint_files_not_at_a_detour(
    graph: Store, tmp_path: Path
) -> None:
    """The change set is applied to the model in memory: a finding on an element the change
    set does not add points at the blueprint file it was loaded from."""
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    changes = read_changeset(
        _write(
            tmp_path / "cs.yaml",
            "modify:\n  credentials:\n    - {id: cred-shop, held_by: [shop, billing]}\n",
        )
    )
    report = await what_if(
        graph, changes, choose_rules(ids=["SEC-01"]), config=LintConfig(), origin="cs.yaml"
    )
    [shared] = report.appeared
    assert shared.location.file == "credentials.yaml"
    assert shared.location.line == 2


async def test_secrets_in_a_change_set_are_refused_like_in_files(
    graph: Store, tmp_path: Path
) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    changes = read_changeset(
        _write(
            tmp_path / "cs.yaml",
            "modify:\n  credentials:\n"
            "    - {id: cred-shop, secret_ref: 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}\n",
        )
    )
    with pytest.raises(ChangeSetInvalid, match="secret"):
        await what_if(graph, changes, choose_rules(ids=["SEC-01"]), config=LintConfig())


def test_a_hostile_change_set_is_bounded_like_blueprint_files(tmp_path: Path) -> None:
    bomb = "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
        + ["remove: *a8"]
    )
    with pytest.raises(ChangeSetInvalid, match=r"bomb\.yaml:\d+:\d+: "):
        read_changeset(_write(tmp_path / "bomb.yaml", bomb + "\n"))
    deep = "remove: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(ChangeSetInvalid, match=r"deep\.yaml:1:\d+: "):
        read_changeset(_write(tmp_path / "deep.yaml", deep))
