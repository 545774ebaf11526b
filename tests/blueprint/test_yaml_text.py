"""The blueprint YAML writer: what it writes reads back to the same values in both parsers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ruamel.yaml import YAML

from integraph.blueprint.yaml_text import dump_yaml_text, scalar_text
from integraph.bounded_yaml import read_located

TRICKY_STRINGS = [
    "plain words", "yes", "No", "ON", "off", "y", "null", "Null", "~", "true", "False",
    "1.1.0", "0742", "1e3", "12:30", "2024-03-01", "-", "- a", "a: b", "a:b", "a #b", "#x",
    "vault://kv/app/client", "", " lead", "trail ", "tab\tin", 'quote"s', "back\\slash",
    "multi\nline\n", "multi\nline", "ends\n\n", "\nleading newline", "  indented\nblock",
    "Zürich \u2013 naïve", "\u2028separator", "del\x7f", "bell\x07", "@at", "`tick", "%pct",
    "!bang", "&anchor", "*alias", "[x]", "{x}", "a,b", "=", "<<", "?q", ".inf", "|", ">",
    "request/card/pan", "/items/*/sku", "O'Brien & Sons (EU)", "crlf\r\nline", "x\n  y\n",
]  # fmt: skip
SCALARS = [
    0, -5, 10**20, 1.0, 0.1, 1e20, 1e-7, -2.5, float("inf"), True, False, None,
    datetime.date(2026, 11, 30),
]  # fmt: skip


def _parsers() -> list[YAML]:
    return [YAML(typ="safe"), YAML(typ="safe", pure=True)]


@pytest.mark.parametrize("parser", _parsers(), ids=["libyaml", "pure"])
def test_every_scalar_reads_back_as_written(parser: YAML) -> None:
    values = TRICKY_STRINGS + SCALARS
    content = {"values": values, "mapping": {f"k{i}": v for i, v in enumerate(values)}}
    loaded = parser.load(dump_yaml_text(content))
    assert loaded == content


@pytest.mark.parametrize("parser", _parsers(), ids=["libyaml", "pure"])
def test_nesting_reads_back(parser: YAML) -> None:
    content: dict[str, Any] = {
        "flows": [
            {"id": "a", "via": ["gw", "topic"], "masking": [{"field": "x", "method": "none"}]},
            {"id": "b", "via": [], "options": {}, "notes": "line one\nline two\n"},
            {"nested": [[1, 2], [], [{"deep": {"er": ["text\nblock"]}}]]},
            {"first": "multi\nline", "second": {"k": None}},
        ],
        "empty": [],
    }
    assert parser.load(dump_yaml_text(content)) == content


def test_layout_is_block_style_with_readable_plain_scalars() -> None:
    text = dump_yaml_text(
        {"decisions": [{"id": "adr-1", "date": datetime.date(2024, 3, 1), "context": "a\nb\n"}]}
    )
    assert text == (
        "decisions:\n  - id: adr-1\n    date: 2024-03-01\n    context: |\n      a\n      b\n"
    )


def test_strings_that_would_read_as_something_else_are_quoted() -> None:
    assert scalar_text("yes") == '"yes"'
    assert scalar_text("1.1.0") == '"1.1.0"'
    assert scalar_text("vault://kv/x") == '"vault://kv/x"'
    assert scalar_text("payments-api") == "payments-api"
    assert scalar_text(1e20) == "1.0e+20"


def test_positions_are_read_from_written_text() -> None:
    text = dump_yaml_text({"systems": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]})
    document = read_located(text)
    assert document["systems"].item_at == [(2, 5), (4, 5)]


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot write"):
        dump_yaml_text({"x": object()})
