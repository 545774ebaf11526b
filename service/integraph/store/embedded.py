"""The embedded Neo4j: Neo4j Community's own server, started and stopped by Integraph.

Layout under the data directory (``Settings.home``, by default the per-user state directory
``~/.local/state/integraph``, never the working tree), readable by its owner only::

    neo4j/conf/neo4j.conf   generated on every start from the settings
    neo4j/data/             the store (survives restarts)
    neo4j/logs/             neo4j.log, debug.log, console.log (stdout/stderr of the JVM)
    neo4j/run/neo4j.pid     pid of the running server
    neo4j/password          the generated password (mode 0600), unless NEO4J_PASSWORD is set

The server listens on 127.0.0.1 only, with authentication on. It is ready once Bolt accepts a
login; SIGTERM makes Neo4j shut down cleanly (its own shutdown hook flushes the store).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from integraph.config import Settings
from integraph.errors import LauncherError
from integraph.store.distribution import (
    NEO4J_VERSION,
    Distribution,
    check_java,
    ensure_distribution,
    java_executable,
)

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"
# Neo4j's bootloader passes these on Java 17; without them the page cache falls back to a slow
# mode and Netty cannot use direct buffers.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


@dataclass(frozen=True)
class ServerStatus:
    """What ``integraph db status`` reports."""

    running: bool
    version: str
    address: str
    data_dir: Path
    store_bytes: int
    pid: int | None
    uptime_s: float | None
    rss_bytes: int | None
    log_file: Path


class EmbeddedNeo4j:
    """Start, stop and inspect the Neo4j server that Integraph runs itself."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.home.resolve() / "neo4j"
        self.conf_dir = self.root / "conf"
        self.data_dir = self.root / "data"
        self.logs_dir = self.root / "logs"
        self.pid_file = self.root / "run" / "neo4j.pid"
        self.port = settings.embedded_port

    # -- addresses and credentials -------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.logs_dir / "neo4j.log"

    @property
    def console_log(self) -> Path:
        return self.logs_dir / "console.log"

    def password(self) -> str:
        """The configured password, else the one generated at first start."""
        if self.settings.neo4j_password is not None:
            return self.settings.neo4j_password.get_secret_value()
        path = self.root / "password"
        if path.is_file():
            return path.read_text().strip()
        self._make_private_root()
        generated = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generated + "\n")
        return generated

    # -- lifecycle -----------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of our running server, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if _is_our_server(pid, self.root):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def start(self) -> float:
        """Start Neo4j in the background unless it runs; return seconds until Bolt took a login."""
        if self.pid() is not None:
            return 0.0
        check_java()
        dist = ensure_distribution(self.settings.resolved_cache_dir)
        _require_free_port(self.port)
        self._make_private_root()
        for directory in (self.conf_dir, self.data_dir, self.logs_dir, self.pid_file.parent):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._write_config()
        password = self.password()
        if not (self.data_dir / "dbms" / "auth.ini").exists() and not self._store_exists():
            self._set_initial_password(dist, password)
        began = time.monotonic()
        descriptor = os.open(self.console_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "ab") as console:
            process = subprocess.Popen(
                [
                    str(java_executable()),
                    f"-Xms{self.settings.embedded_heap}",
                    f"-Xmx{self.settings.embedded_heap}",
                    *JVM_FLAGS,
                    "-cp",
                    dist.classpath,
                    ENTRY_POINT,
                    f"--home-dir={self.root}",
                    f"--config-dir={self.conf_dir}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,  # outlives the CLI that started it
                umask=0o077,  # the store, logs and configuration are the owner's alone
            )
        self.pid_file.write_text(f"{process.pid}\n")
        self._wait_for_bolt(process, password)
        return time.monotonic() - began

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Stop the server with SIGTERM (clean shutdown); SIGKILL only after ``timeout_s``."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> ServerStatus:
        pid = self.pid()
        uptime = rss = None
        if pid is not None:
            uptime = time.time() - self.pid_file.stat().st_mtime
            rss = _rss_bytes(pid)
        return ServerStatus(
            running=pid is not None,
            version=NEO4J_VERSION,
            address=self.uri,
            data_dir=self.data_dir,
            store_bytes=_tree_size(self.data_dir),
            pid=pid,
            uptime_s=uptime,
            rss_bytes=rss,
            log_file=self.log_file,
        )

    def tail_log(self, lines: int = 50) -> str:
        """The last ``lines`` lines of neo4j.log (or of the JVM console log if that is newer)."""
        existing = [p for p in (self.log_file, self.console_log) if p.exists()]
        if not existing:
            return ""
        chosen = max(existing, key=lambda p: p.stat().st_mtime)
        return "\n".join(chosen.read_text(errors="replace").splitlines()[-lines:])

    # -- internals -----------------------------------------------------------------------
    def _make_private_root(self) -> None:
        """Create the data directory for its owner only, and tighten one made before."""
        if not self.root.parent.exists():
            self.root.parent.mkdir(mode=0o700, parents=True)
        self.root.mkdir(mode=0o700, exist_ok=True)
        if not self.root.stat().st_mode & 0o077:
            return  # made private (everything in it is written under umask 077)
        # A data directory from an Integraph that left it readable by others: tighten it once.
        self.root.chmod(0o700)
        for path in self.root.rglob("*"):
            if not path.is_symlink() and path.stat().st_mode & 0o077:
                path.chmod(0o700 if path.is_dir() else 0o600)

    def _store_exists(self) -> bool:
        return (self.data_dir / "databases").exists()

    def _write_config(self) -> None:
        settings = self.settings
        lines = [
            "# Generated by Integraph on every start; edit the settings, not this file.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{self.port}",
            f"server.bolt.advertised_address=127.0.0.1:{self.port}",
            "server.bolt.enabled=true",
            "server.http.enabled=false",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.memory.heap.initial_size={settings.embedded_heap}",
            f"server.memory.heap.max_size={settings.embedded_heap}",
            f"server.memory.pagecache.size={settings.embedded_page_cache}",
            f"server.directories.data={self.data_dir}",
            f"server.directories.logs={self.logs_dir}",
            f"server.directories.run={self.pid_file.parent}",
            f"server.directories.import={self.root / 'import'}",
            "dbms.usage_report.enabled=false",
            # Integraph bounds its own queries; this is the server-side backstop.
            "db.transaction.timeout=10m",
            "db.logs.query.enabled=OFF",
            # A knowledge base's write volume is small: no 256 MiB preallocated log files.
            "db.tx_log.preallocate=false",
            "db.tx_log.rotation.size=64M",
            # Neo4j waits 5 s for Bolt threads and connections on shutdown by default: nothing
            # is in flight once the databases are stopped, so a short wait is safe.
            "internal.server.bolt.thread_pool_shutdown_wait_time=1s",
            "internal.server.bolt.connection_shutdown_wait_time=1s",
        ]
        conf = self.conf_dir / "neo4j.conf"
        conf.write_text("\n".join(lines) + "\n")
        conf.chmod(0o600)

    def _set_initial_password(self, dist: Distribution, password: str) -> None:
        env = dict(os.environ, NEO4J_HOME=str(self.root), NEO4J_CONF=str(self.conf_dir))
        proc = subprocess.run(
            [
                str(java_executable()),
                "-cp",
                dist.classpath,
                ADMIN_ENTRY_POINT,
                "dbms",
                "set-initial-password",
                "--",  # a password may start with "-"; it is not an option
                password,
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            umask=0o077,
        )
        if proc.returncode != 0:
            raise LauncherError(
                "neo4j-admin could not set the initial password: "
                + (proc.stderr or proc.stdout).strip()[-500:]
            )

    def _wait_for_bolt(self, process: subprocess.Popen[bytes], password: str) -> None:
        deadline = time.monotonic() + self.settings.embedded_start_timeout_s
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise LauncherError(
                    f"Neo4j exited with code {process.returncode} while starting; see "
                    f"{self.log_file} and {self.console_log}:\n{self.tail_log(15)}"
                )
            try:
                with neo4j.GraphDatabase.driver(
                    self.uri,
                    auth=(self.settings.neo4j_user, password),
                    connection_timeout=2.0,
                    max_connection_lifetime=30,
                ) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                self.stop()
                raise LauncherError(
                    f"the embedded Neo4j in {self.root} refused the login for "
                    f"'{self.settings.neo4j_user}': its store was initialised with another "
                    f"password ({exc.message}); set NEO4J_PASSWORD to that one or remove "
                    f"{self.root}"
                ) from None
            except (ServiceUnavailable, OSError) as exc:
                last_error = str(exc) or type(exc).__name__
            time.sleep(0.25)
        self.stop()
        raise LauncherError(
            f"Neo4j did not accept a Bolt login on {self.uri} within "
            f"{self.settings.embedded_start_timeout_s:.0f} s ({last_error}); see {self.log_file}"
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (ours, not yet reaped) counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return True


def _wait_gone(pid: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


def _is_our_server(pid: int, root: Path) -> bool:
    """True if ``pid`` is alive and is this data directory's Neo4j server (not a reused pid)."""
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc (macOS): trust the pid file
    return ENTRY_POINT.encode() in cmdline and f"--home-dir={root}".encode() in cmdline


def _require_free_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise LauncherError(
                f"port {port} on 127.0.0.1 is already taken by another process: stop it, or "
                "choose another port with INTEGRAPH_EMBEDDED_PORT"
            ) from None


def _rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _tree_size(path: Path) -> int:
    if not path.exists():
        return 0
    # Allocated blocks, not apparent sizes: Neo4j preallocates sparse transaction logs.
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file())
