"""Named queries and migration files."""

from __future__ import annotations

import pytest

from integraph.resources import cypher_dir
from integraph.store.migrations import available_migrations
from integraph.store.queries import query_text, split_statements


def test_named_query_is_read_from_its_file() -> None:
    assert "SchemaMigration" in query_text("queries/schema/applied_migrations")


@pytest.mark.parametrize("name", ["../etc/passwd", "queries/../../x", "nope", "queries/none"])
def test_bad_or_unknown_names_are_refused(name: str) -> None:
    with pytest.raises(KeyError):
        query_text(name)


def test_a_query_named_with_a_label_reads_that_label_for_the_dynamic_one() -> None:
    generic = query_text("queries/api/list")
    assert "MATCH (n:$($label))" in generic
    labelled = query_text("queries/api/list[System]")
    assert "MATCH (n:System)" in labelled and "$($label)" not in labelled
    typed = query_text("queries/api/related_values_outgoing[HAS_FIELD]")
    assert "-[r:HAS_FIELD]->" in typed and "$($type)" not in typed


@pytest.mark.parametrize(
    "name",
    [
        "queries/api/list[NoSuchLabel]",  # not a node label
        "queries/api/list[HAS_FIELD]",  # a relationship type where the query has a label
        "queries/api/list[System) DETACH DELETE (n]",  # not even a name
        "queries/db/ping[System]",  # a query without a dynamic label
    ],
)
def test_labels_outside_the_fixed_ones_are_refused(name: str) -> None:
    with pytest.raises(KeyError):
        query_text(name)


def test_split_statements_ignores_comments_and_blank_lines() -> None:
    text = "// header\n\nCREATE INDEX a IF NOT EXISTS\nFOR (n:A) ON (n.x);\n\n// two\nRETURN 1;\n"
    assert split_statements(text) == [
        "CREATE INDEX a IF NOT EXISTS\nFOR (n:A) ON (n.x)",
        "RETURN 1",
    ]


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in available_migrations()]
    assert versions == sorted(set(versions))
    assert versions == list(range(1, versions[-1] + 1))
    assert all(m.path.parent == cypher_dir() / "schema" for m in available_migrations())
