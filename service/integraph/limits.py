"""What one blueprint file may cost to read: size, nesting, alias expansion, scalar sizes.

Blueprint files come from pull requests; a hostile or broken file must end in a clear
`file:line` problem, never in exhausted memory, a crash or a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from integraph.config import Settings


@dataclass(frozen=True)
class BlueprintLimits:
    """Bounds applied to every blueprint file; the defaults fit any real landscape.

    The generated 10,000-system landscape (70 MiB in 11 files) has files of up to 22 MiB
    (so the file limit is above the 16 MiB one might pick) and nests 7 levels deep; the
    seed nests 8 levels deep. `<<: *defaults` merges over hundreds of elements stay far
    below the alias bound.
    """

    max_file_bytes: int = 64 * 1024 * 1024
    """Size of one file on disk (checked before it is read)."""
    max_depth: int = 64
    """Nesting of mappings and sequences (the document itself is level 1)."""
    max_alias_nodes: int = 10_000
    """Nodes that `*alias` uses (and `<<: *merge` keys) may add to one file, counted
    as if every alias were written out in full (what a "billion laughs" file inflates)."""
    max_scalar_chars: int = 64 * 1024
    """Characters of one scalar (a key or a value)."""
    max_integer_digits: int = 100
    """Digits of one integer (Python refuses to convert ones beyond 4,300 digits)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> BlueprintLimits:
        """The limits configured by ``INTEGRAPH_BLUEPRINT_MAX_*``."""
        return cls(
            max_file_bytes=settings.blueprint_max_file_bytes,
            max_depth=settings.blueprint_max_depth,
            max_alias_nodes=settings.blueprint_max_alias_nodes,
            max_scalar_chars=settings.blueprint_max_scalar_chars,
            max_integer_digits=settings.blueprint_max_integer_digits,
        )


DEFAULT_LIMITS = BlueprintLimits()


def size_text(count: int) -> str:
    """`16 MiB`, `64 KiB`, `1,234 bytes`."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count:,} bytes"
