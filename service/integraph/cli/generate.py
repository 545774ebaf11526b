"""``integraph generate``: write a synthetic landscape as blueprint files, for scale tests."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from integraph.blueprint.export import write_blueprint_files
from integraph.cli.output import console
from integraph.errors import IntegraphError
from integraph.generate import Shape, generate_landscape
from integraph.model import LIST_SECTIONS, Landscape

YAML_SUFFIXES = (".yaml", ".yml")
OUT = typer.Argument(..., help="Folder to write the blueprint files into.")


def generate(
    systems: int = typer.Option(
        1000,
        "--systems",
        min=2,
        help="Number of systems (services; the layered shape adds their data stores and actors).",
    ),
    seed: int = typer.Option(42, "--seed", help="Same seed, same files."),
    shape: Shape = typer.Option(
        Shape.LAYERED,
        "--shape",
        case_sensitive=False,
        help="layered: domains in layers, synchronous calls going down only (a designed "
        "landscape); random: random calls around hubs (a stress case).",
    ),
    out: Path = OUT,
) -> None:
    """Write a deterministic synthetic landscape (domains in layers or random calls around
    hubs, brokers, ~5 flows per system, a few deliberate defects) as blueprint files into OUT,
    for benchmarks and scale tests."""
    landscape = generate_landscape(systems, seed, shape=shape)
    refuse_foreign_files(out, landscape)
    files = write_blueprint_files(landscape, out)
    title = f"{len(files)} files of a {shape.value} landscape written to {out}"
    table = Table("kind", "count", title=title)
    count = landscape.count()  # the one way of counting, as validate and load report it
    for kind, number in count.by_kind.items():
        table.add_row(kind, f"{number:,}")
    table.add_row("elements", f"{count.total:,}", style="bold")
    console.print(table)


def refuse_foreign_files(out: Path, landscape: Landscape) -> None:
    """Stop if OUT holds YAML files this run would not overwrite: they would load with it."""
    if not out.exists():
        return
    if not out.is_dir():
        raise IntegraphError(f"{out} is a file; give a folder to write the blueprint files into")
    ours = {"blueprint.yaml"} | {f"{s}.yaml" for s in LIST_SECTIONS if getattr(landscape, s)}
    foreign = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.suffix in YAML_SUFFIXES and p.relative_to(out).as_posix() not in ours
    )
    if foreign:
        raise IntegraphError(
            f"{out} already holds other blueprint files ({', '.join(foreign[:3])}"
            f"{', ...' if len(foreign) > 3 else ''}); choose an empty folder"
        )
