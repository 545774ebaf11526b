"""Writing a landscape back as blueprint files: one file per section, elements sorted by id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from integraph.blueprint.content import landscape_content
from integraph.blueprint.yaml_text import dump_yaml_text
from integraph.model import Landscape


def write_blueprint_files(landscape: Landscape, out_dir: Path) -> list[Path]:
    """Write `blueprint.yaml`, `teams.yaml`, ... (non-empty sections only) into `out_dir`.

    The output is deterministic and loads back into an equal landscape (sources aside).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        _write(out_dir / f"{section}.yaml", {section: value})
        for section, value in landscape_content(landscape).items()
    ]


def dump_yaml(content: dict[str, Any]) -> str:
    """Block-style YAML text of `content`, keys in model order, multi-line text as `|`."""
    return dump_yaml_text(content)


def _write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(dump_yaml(content), encoding="utf-8")
    return path
