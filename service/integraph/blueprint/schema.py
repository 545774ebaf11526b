"""JSON Schema of one blueprint file, generated from the model, for editors."""

from __future__ import annotations

from typing import Any

from integraph.model import BlueprintFile

SCHEMA_ID = "https://integraph.dev/schemas/blueprint-file.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def blueprint_json_schema() -> dict[str, Any]:
    """A draft 2020-12 JSON Schema validating one blueprint file (every section optional)."""
    schema = BlueprintFile.model_json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "Integraph blueprint file",
        "description": (
            "One file of an integration architecture blueprint. A blueprint may span many "
            "files; ids must be unique across all of them. See docs/model.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
