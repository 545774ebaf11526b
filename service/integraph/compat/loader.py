"""Reading schema files (JSON, YAML, .avsc) and telling the schema families apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from integraph.bounded_yaml import YamlLimitError, read_located
from integraph.compat.avro_diff import looks_like_avro
from integraph.compat.model import CompatError, SchemaFamily, SchemaLoadError
from integraph.limits import DEFAULT_LIMITS

_JSON_SUFFIXES = {".json", ".avsc"}
_YAML_SUFFIXES = {".yaml", ".yml"}


def load_schema(path: Path) -> Any:
    """Parse a JSON or YAML schema file; raise SchemaLoadError with a one-line reason."""
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            raise SchemaLoadError(
                path, f"the file is larger than {DEFAULT_LIMITS.max_file_bytes:,} bytes"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise SchemaLoadError(path, f"cannot read the file: {reason}") from exc
    suffix = path.suffix.lower()
    if suffix in _JSON_SUFFIXES or (suffix not in _YAML_SUFFIXES and text.lstrip()[:1] in "[{"):
        try:
            return _string_keys(_shallow(json.loads(text), path))
        except RecursionError:
            raise SchemaLoadError(path, "the JSON nests deeper than can be read") from None
        except json.JSONDecodeError as exc:
            if suffix in _JSON_SUFFIXES:
                raise SchemaLoadError(
                    path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
                ) from exc
    try:
        data = read_located(text, DEFAULT_LIMITS)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SchemaLoadError(
            path, f"the YAML{where} is too costly to read: {exc.problem}"
        ) from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise SchemaLoadError(path, f"invalid YAML{where}: {problem}") from exc
    if data is None:
        raise SchemaLoadError(path, "the file is empty")
    return _string_keys(data)


def detect_family(schema: Any) -> SchemaFamily:
    """JSON Schema, Avro, OpenAPI 3.x or AsyncAPI 2.x/3.x, from the document itself."""
    if isinstance(schema, dict):
        if "openapi" in schema:
            if not str(schema["openapi"]).startswith("3"):
                raise CompatError(f"OpenAPI {schema['openapi']} is not supported (3.x only)")
            return SchemaFamily.OPENAPI
        if "swagger" in schema:
            raise CompatError("Swagger 2.0 is not supported; convert it to OpenAPI 3 first")
        if "asyncapi" in schema:
            if not str(schema["asyncapi"]).startswith(("2", "3")):
                raise CompatError(f"AsyncAPI {schema['asyncapi']} is not supported (2.x, 3.x)")
            return SchemaFamily.ASYNCAPI
    if looks_like_avro(schema):
        return SchemaFamily.AVRO
    if isinstance(schema, dict | bool):
        return SchemaFamily.JSON_SCHEMA
    raise CompatError(
        f"not a schema: expected a JSON Schema, an Avro schema, or an OpenAPI/AsyncAPI "
        f"document, got a {type(schema).__name__}"
    )


def _shallow(document: Any, path: Path) -> Any:
    """The document, unless it nests deeper than the limit (the engine walks it recursively)."""
    level = [document]
    for _depth in range(DEFAULT_LIMITS.max_depth):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return document
    raise SchemaLoadError(path, f"the document nests deeper than {DEFAULT_LIMITS.max_depth} levels")


def _string_keys(node: Any) -> Any:
    # YAML reads `200:` as an integer key; pointers and JSON output need strings.
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node
