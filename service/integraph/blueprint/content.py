"""Blueprint content given as data rather than files, checked exactly as files are.

What-if and importers build blueprint content in memory; ``validate_content`` runs the same
schema, secret and reference checks over it as a load of files does, without writing YAML.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.parse import assemble
from integraph.blueprint.references import ExternalReference, check_references
from integraph.blueprint.source import Located, RawElement
from integraph.blueprint.validate import check_schema
from integraph.model import LIST_SECTIONS, Landscape, SourceLocation


def landscape_content(landscape: Landscape) -> dict[str, Any]:
    """The landscape as plain data by section, as its files would hold it (defaults left out)."""
    content: dict[str, Any] = {}
    if landscape.blueprint is not None:
        content["blueprint"] = plain(landscape.blueprint)
    for section in LIST_SECTIONS:
        items = getattr(landscape, section)
        if items:
            content[section] = [plain(item) for item in items]
    return content


def plain(model: BaseModel) -> dict[str, Any]:
    """One element as the plain mapping a file would hold (defaults left out)."""
    return model.model_dump(mode="python", exclude_defaults=True)


def validate_content(
    content: dict[str, Any],
    *,
    origin: str,
    sources: dict[str, SourceLocation] | None = None,
    external: list[ExternalReference] | None = None,
) -> Landscape:
    """Validate content by section like files; raise BlueprintInvalid with every problem.

    References into the blueprints it uses are appended to ``external`` (for the caller to
    resolve against the graph, as a load does).

    ``origin`` names the content in messages (e.g. the change set's path); ``sources`` keeps an
    element's known file and line (an element without one is placed at ``origin``).
    """
    known = sources or {}
    elements: list[RawElement] = []
    for section, value in content.items():
        if section == "blueprint":
            elements.append(RawElement("blueprint", None, value, _at(value, origin, known)))
            continue
        for index, item in enumerate(value or []):
            elements.append(RawElement(section, index, item, _at(item, origin, known)))
    valid, problems = check_schema(elements)
    problems.extend(check_references(elements, valid, complete=True, external=external))
    if problems:
        raise BlueprintInvalid(problems)
    return assemble(valid)


def _at(node: Any, origin: str, sources: dict[str, SourceLocation]) -> Located:
    element_id = node.get("id") if isinstance(node, dict) else None
    where = sources.get(element_id) if isinstance(element_id, str) else None
    if where is None:
        return Located(origin, origin, 1, 1)
    return Located(f"{origin} ({where.file}:{where.line})", where.file, where.line, where.column)
