"""Documents sent in a request (blueprint files, a proposed schema, a change set), written to
a private temporary folder under the names they were sent with, so that the same service
functions the CLI calls read them, and every problem they report names the document."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import strawberry

from integraph.errors import IntegraphError

SUFFIXES = (".yaml", ".yml", ".json", ".avsc")
MAX_DOCUMENTS = 2_000


class DocumentRefused(IntegraphError):
    exit_code = 2
    code = "BAD_USER_INPUT"


@strawberry.input(description="A file sent in the request: its relative path and its text.")
class DocumentInput:
    name: str = strawberry.field(
        description="Relative path, as in a blueprint folder (`payments/flows.yaml`)."
    )
    content: str


def _checked(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in path.parts)
        or "\\" in name
        or "\x00" in name
    ):
        raise DocumentRefused(f"document name '{name}' must be a plain relative path")
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentRefused(f"document '{name}' must end in {', '.join(SUFFIXES)}")
    return path


@contextmanager
def written(documents: list[DocumentInput]) -> Iterator[Path]:
    """A folder holding the documents; removed on the way out."""
    if not documents:
        raise DocumentRefused("send at least one document")
    if len(documents) > MAX_DOCUMENTS:
        raise DocumentRefused(f"send at most {MAX_DOCUMENTS} documents at once")
    names = [_checked(d.name) for d in documents]
    if len(set(names)) != len(names):
        raise DocumentRefused("two documents have the same name")
    with tempfile.TemporaryDirectory(prefix="integraph-documents-") as folder:
        root = Path(folder)
        for name, document in zip(names, documents, strict=True):
            target = root.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document.content, encoding="utf-8")
        yield root
