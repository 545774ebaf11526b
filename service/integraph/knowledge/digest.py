"""The digest of a blueprint's files: a reload of files that did not change writes nothing.

Every load records, in the transaction that writes the blueprint, the digest of the files it
read (``(:LoadRecord {blueprint, files_digest, ...})``, not an element). A later load whose
files give the same digest finds that record and returns at once, without parsing. The digest
covers each file's path relative to the folder given and its bytes, Integraph's version (a new
version may map the model differently) and the reading limits (which decide what is
accepted). A load of a landscape built in memory records no digest, so the next file load is a
full one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from integraph import __version__
from integraph.blueprint.parse import BlueprintFilePath
from integraph.limits import BlueprintLimits


def files_digest(files: Iterable[BlueprintFilePath], limits: BlueprintLimits) -> str:
    """SHA-256 over the files (sorted by relative path), the version and the limits."""
    digest = hashlib.sha256()
    digest.update(f"integraph {__version__}\n{limits!r}\n".encode())
    for file in sorted(files, key=lambda f: f.relative):
        data = file.path.read_bytes()
        digest.update(f"{file.relative}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()
