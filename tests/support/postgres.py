"""A throwaway PostgreSQL server (Debian's ``postgresql`` package) for the store tests."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

from tests.support.browser import free_port


def postgres_bin() -> str | None:
    """The folder with ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # the server refuses to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a server on a free loopback port; yield a ``postgresql://`` URL."""
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    root = tempfile.mkdtemp(prefix="naloxone-pg-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = os.path.join(root, "data")
    port = free_port()
    subprocess.run(_as_postgres([f"{binaries}/initdb", "-D", data, "-A", "trust", "-U",
                                 "postgres", "--no-sync"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([f"{binaries}/pg_ctl", "-D", data, "-l",
                                 os.path.join(root, "log"), "-o",
                                 f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
                                 "-c fsync=off", "-w", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([f"{binaries}/createdb", "-h", "127.0.0.1", "-p",
                                     str(port), "-U", "postgres", "naloxone"]),
                       check=True, capture_output=True)
        time.sleep(0.2)
        yield f"postgresql://postgres@127.0.0.1:{port}/naloxone"
    finally:
        subprocess.run(_as_postgres([f"{binaries}/pg_ctl", "-D", data, "-m", "immediate",
                                     "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
