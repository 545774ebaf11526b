"""Writing a landscape back as blueprint files: one file per section, elements sorted by id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from integraph.blueprint.yaml_text import dump_yaml_text
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
    return dump_yaml_text(content)


def _plain(model: BaseModel) -> dict[str, Any]:
    # Defaults are left out: the files stay short and read back to the same values.
    return model.model_dump(mode="python", exclude_defaults=True)


def _write(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(dump_yaml(content), encoding="utf-8")
    return path
