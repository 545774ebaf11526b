"""Writing a landscape back as blueprint files: one file per section, elements sorted by id."""

from __future__ import annotations

from enum import Enum
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from integraph.model import LIST_SECTIONS, Landscape


def write_blueprint_files(landscape: Landscape, out_dir: Path) -> list[Path]:
    """Write `blueprint.yaml`, `teams.yaml`, ... (non-empty sections only) into `out_dir`.

    The output is deterministic and loads back into an equal landscape (sources aside).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if landscape.blueprint is not None:
        written.append(
            _write(out_dir / "blueprint.yaml", {"blueprint": _plain(landscape.blueprint)})
        )
    for section in LIST_SECTIONS:
        items = getattr(landscape, section)
        if items:
            content = {section: [_plain(item) for item in items]}
            written.append(_write(out_dir / f"{section}.yaml", content))
    return written


def dump_yaml(content: dict[str, Any]) -> str:
    """Block-style YAML text of `content`, keys in model order, multi-line text as `|`."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = StringIO()
    yaml.dump(_literal_blocks(content), stream)
    return stream.getvalue()


def _plain(model: BaseModel) -> dict[str, Any]:
    # Defaults are left out: the files stay short and read back to the same values.
    return model.model_dump(mode="python", exclude_defaults=True)


def _literal_blocks(value: Any) -> Any:
    # Enums become their values; dates stay dates (written unquoted); text with line
    # breaks becomes a `|` block.
    if isinstance(value, dict):
        return {key: _literal_blocks(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str):
        return str(value)
    return value


def _write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(dump_yaml(content), encoding="utf-8")
    return path
