"""A PostgreSQL server of a test's own, to stop and start (the machine's shared one is never
touched): a fresh cluster from the installed server's `initdb`, on a free port, its data in a
temporary folder; owned by the `postgres` account when the test runs as root (initdb refuses root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.cli.running import free_port

SERVER_ACCOUNT = "postgres"


def server_bin() -> Path:
    """The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    assert found, "PostgreSQL server programs not found under /usr/lib/postgresql"
    return found[-1].parent


@dataclass(frozen=True)
class ThrowawayPostgres:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SERVER_ACCOUNT}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("start", "-w", "-o", options, "-l", str(self.folder / "server.log"))

    def stop(self) -> None:
        self._ctl("stop", "-w", "-m", "fast")

    def _ctl(self, *args: str) -> None:
        _run(str(server_bin() / "pg_ctl"), "-D", str(self.folder / "data"), *args)


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    folder = Path(tempfile.mkdtemp(prefix="cchc-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_ACCOUNT)
    server = ThrowawayPostgres(folder, free_port())
    try:
        _run(str(server_bin() / "initdb"), "-D", str(folder / "data"), "-U", SERVER_ACCOUNT, "-A", "trust", "--no-sync")
        server.start()
        yield server
    finally:
        subprocess.run(
            [*_as_owner(), str(server_bin() / "pg_ctl"), "-D", str(folder / "data"), "stop", "-m", "immediate"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _run(*command: str) -> None:
    done = subprocess.run([*_as_owner(), *command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}"


def _as_owner() -> list[str]:
    return ["runuser", "-u", SERVER_ACCOUNT, "--"] if os.geteuid() == 0 else []
