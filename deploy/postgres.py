"""A throwaway PostgreSQL server from Debian's ``postgresql`` package, on a loopback port.

Used by the local cluster (:mod:`deploy.local`) and the store tests
(``tests/support/postgres.py``). The server runs as the ``postgres`` user when started
by root (it refuses root), trusts loopback connections (a throwaway server: never
expose it) and can be stopped and started again on the same port and data, to play a
store outage."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

from deploy.processes import free_port


def postgres_bin() -> str | None:
    """The folder with ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # the server refuses to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PostgresServer:
    """A server in a temporary folder: ``url`` names its ``naloxone`` database."""

    def __init__(self, binaries: str, root: str, port: int) -> None:
        self.binaries, self.root, self.port = binaries, root, port
        self.data = os.path.join(root, "data")
        self.url = f"postgresql://postgres@127.0.0.1:{port}/naloxone"

    def _tool(self, name: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            _as_postgres([f"{self.binaries}/{name}", *args]), check=check, capture_output=True
        )

    def start(self) -> None:
        """Start (or start again) the server and wait until it accepts connections."""
        self._tool(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            os.path.join(self.root, "log"),
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200",
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Stop the server at once (clients see a store that cannot be reached)."""
        self._tool("pg_ctl", "-D", self.data, "-m", "immediate", "stop", check=False)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a server on a free loopback port with an empty ``naloxone`` database; stop
    it and delete its files on exit."""
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    root = tempfile.mkdtemp(prefix="naloxone-pg-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(binaries, root, free_port())
    try:
        server._tool("initdb", "-D", server.data, "-A", "trust", "-U", "postgres", "--no-sync")
        server.start()
        server._tool(
            "createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "naloxone"
        )
        time.sleep(0.2)
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
