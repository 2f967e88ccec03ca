"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` into a temp folder.

Debian's ``postgresql`` package provides the binaries (``scripts/ensure-postgresql.sh``
installs it). PostgreSQL refuses to run as root, so under root the cluster belongs to the
``postgres`` user (or ``nobody``) and its commands run as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_USER = "sensational"
DB_NAME = "feedback"


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: ``$SENSATION_PG_BINDIR``, Debian's newest
    ``/usr/lib/postgresql/<version>/bin``, or ``PATH``."""
    explicit = os.environ.get("SENSATION_PG_BINDIR")
    candidates = [explicit] if explicit else []
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    candidates += found
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


@dataclass
class Cluster:
    bindir: Path
    datadir: Path
    port: int
    user: str | None  # the OS user the server runs as, when not this process's

    @property
    def url(self) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=check)

    def start(self) -> None:
        log = self.datadir.parent / "server.log"
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.datadir.parent}"
            " -c fsync=on -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop", check=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no postgres or nobody user to run as")


@contextmanager
def throwaway_cluster(bindir: Path) -> Iterator[Cluster]:
    """A new cluster on a free loopback port, with database ``feedback`` owned by
    ``sensational`` (trust authentication on loopback); removed at the end."""
    root = Path(tempfile.mkdtemp(prefix="sensational-pg-"))
    user = _server_user()
    if user is not None:
        info = pwd.getpwnam(user)
        os.chown(root, info.pw_uid, info.pw_gid)
    root.chmod(0o700)
    cluster = Cluster(bindir, root / "data", _free_port(), user)
    try:
        cluster._run(
            "initdb", "-D", str(cluster.datadir), "-U", DB_USER, "-A", "trust", "-E", "UTF8",
            "--no-instructions",
        )  # fmt: skip
        cluster.start()
        cluster._run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", DB_USER, DB_NAME)
        yield cluster
    finally:
        cluster.stop()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                shutil.rmtree(root)
                break
            except OSError:
                time.sleep(0.2)
