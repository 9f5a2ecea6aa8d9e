"""Starting ``streamlit run dashboard.py`` on a loopback port, waiting for its health
check, reading its memory, and stopping it (used by the local cluster, the load
benchmark and the browser tests' ``running_dashboard``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from geo.config import REPO_ROOT


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_streamlit(
    port: int, log: Path, env: dict[str, str] | None = None, *, script: Path | str = "dashboard.py"
) -> subprocess.Popen:
    """``streamlit run script`` (the dashboard) on 127.0.0.1:``port``, output to ``log``;
    ``env`` is added to this process's environment (``STREAMLIT_*``, ``NALOXONE_*``)."""
    with open(log, "wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )


def answers(url: str, timeout_s: float = 2) -> bool:
    """True when ``url``/_stcore/health answers 200 within ``timeout_s``."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout_s) as reply:
            return reply.status == 200
    except OSError:
        return False


def wait_healthy(
    url: str,
    process: subprocess.Popen | None = None,
    *,
    timeout_s: float = 90,
    what: str = "the dashboard",
    poll_s: float = 0.3,
) -> None:
    """Poll ``url``/_stcore/health every ``poll_s`` s until it answers 200; RuntimeError
    when ``process`` exits first or the time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if answers(url):
            return
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url}/_stcore/health")
        time.sleep(poll_s)


def stop(process: subprocess.Popen, timeout_s: float = 15) -> None:
    """Terminate a process we started, and kill it if it does not end in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS from /proc; 0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used, in seconds (/proc; 0 when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
