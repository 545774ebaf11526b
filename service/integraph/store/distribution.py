"""Fetches Neo4j Community's server jars from Maven Central once, and verifies the cached copy.

Maven Central carries no unix tarball for Neo4j 5.26, so the launcher runs the server's own
entry point on the classpath of ``org.neo4j:neo4j``'s dependency closure, resolved by Maven from
``embedded-neo4j/pom.xml``. The jars land in a per-user cache with a SHA-256 manifest, so a
second project or a second run never downloads again, and a damaged cache is detected.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from integraph.errors import LauncherError
from integraph.resources import embedded_pom

NEO4J_VERSION = "5.26.30"
MIN_JAVA = 17
MANIFEST = "MANIFEST.sha256"
_NETWORK_HINTS = (
    "Could not transfer",
    "Unknown host",
    "UnknownHostException",
    "Connection refused",
    "Network is unreachable",
    "connect timed out",
    "Could not resolve dependencies",
)


@dataclass(frozen=True)
class Distribution:
    """A verified set of Neo4j server jars."""

    version: str
    lib_dir: Path

    @property
    def classpath(self) -> str:
        return str(self.lib_dir / "*")


def java_executable() -> Path:
    """The ``java`` to run Neo4j with: $JAVA_HOME/bin/java, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return Path(java_home) / "bin" / "java"
    found = shutil.which("java")
    if not found:
        raise LauncherError(
            f"Java {MIN_JAVA} or newer is needed to run the embedded Neo4j and none was found: "
            "install a JDK/JRE 17 (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    return Path(found)


def check_java() -> int:
    """Return the Java major version, or explain why it cannot run Neo4j 5.26."""
    java = java_executable()
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        raise LauncherError(f"cannot run {java}: {exc}") from None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        raise LauncherError(f"cannot tell the version of {java}: {out.stderr.strip()[:200]}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise LauncherError(
            f"{java} is Java {major}; Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or newer: "
            "install openjdk-17 and put it first on PATH or set JAVA_HOME"
        )
    return major


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(lib_dir: Path) -> None:
    lines = [
        f"{_sha256(jar)}  {jar.stat().st_size}  {jar.name}" for jar in sorted(lib_dir.glob("*.jar"))
    ]
    (lib_dir / MANIFEST).write_text("\n".join(lines) + "\n")


def _manifest_ok(lib_dir: Path, *, deep: bool) -> bool:
    manifest = lib_dir / MANIFEST
    if not manifest.is_file():
        return False
    entries = [line.split("  ") for line in manifest.read_text().splitlines() if line]
    if not entries:
        return False
    for digest, size, name in entries:
        jar = lib_dir / name
        if not jar.is_file() or jar.stat().st_size != int(size):
            return False
        if deep and _sha256(jar) != digest:
            return False
    return True


def ensure_distribution(cache_dir: Path, *, verify: bool = False) -> Distribution:
    """Return the cached Neo4j jars, resolving them with Maven on first use.

    ``verify`` re-hashes every jar against the manifest (sizes are always checked).
    """
    lib_dir = cache_dir / f"neo4j-community-{NEO4J_VERSION}" / "lib"
    if _manifest_ok(lib_dir, deep=verify):
        return Distribution(NEO4J_VERSION, lib_dir)
    mvn = shutil.which("mvn")
    if not mvn:
        raise LauncherError(
            "the embedded Neo4j is resolved from Maven Central on first use and Maven (mvn) is "
            "not installed: install it (e.g. apt-get install maven) or point NEO4J_URI at a "
            "running Neo4j"
        )
    lib_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=lib_dir.parent))
    try:
        cmd = [
            mvn,
            "-B",
            "-q",
            "--strict-checksums",  # fail, not warn, if a download does not match Central's hash
            "-f",
            str(embedded_pom()),
            # Full coordinates, not the "dependency:" prefix: resolving a prefix offline fails
            # with a message that hides the real cause (no network).
            "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies",
            f"-Dneo4j.version={NEO4J_VERSION}",
            f"-Dneo4j.lib.dir={staging}",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
        if proc.returncode != 0:
            output = proc.stdout + proc.stderr
            if any(hint in output for hint in _NETWORK_HINTS):
                raise LauncherError(
                    f"could not download Neo4j {NEO4J_VERSION} from Maven Central (no network?): "
                    "the first start needs network access; later starts use the cache in "
                    f"{lib_dir.parent}"
                )
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise LauncherError(f"Maven failed to resolve Neo4j {NEO4J_VERSION}:\n{tail}")
        _write_manifest(staging)
        if lib_dir.exists():
            shutil.rmtree(lib_dir)
        staging.rename(lib_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Distribution(NEO4J_VERSION, lib_dir)
