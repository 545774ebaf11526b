"""docs/rules.md is generated from the rule files and must stay in sync with them."""

from __future__ import annotations

from integraph.lint.catalogue import render_catalogue
from integraph.lint.loading import load_rules
from tests.conftest import ROOT


def test_docs_rules_md_is_in_sync() -> None:
    expected = render_catalogue(load_rules())
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `integraph rules doc -o docs/rules.md`"


def test_catalogue_lists_every_rule() -> None:
    text = render_catalogue(load_rules())
    for rule in load_rules():
        assert f"### {rule.id}\n" in text
