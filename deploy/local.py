"""``python -m deploy.local --replicas 2``: a throwaway cluster on loopback ports.

A PostgreSQL server (Debian's packages, an empty store), N ``streamlit run
dashboard.py`` processes with the settings of ``deploy/streamlit.env`` and one shared
cookie secret, and nginx in front of them (the site of :mod:`deploy.nginx`). It prints
the proxy's URL and runs until Ctrl-C, SIGTERM or ``--seconds``; then it stops
everything it started and deletes the server's files. ``running_cluster`` is the same
for tests and the load benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploy import processes
from deploy.health import warm
from deploy.nginx import running_nginx
from deploy.postgres import PostgresServer, running_postgres

SETTINGS_FILE = Path(__file__).with_name("streamlit.env")


def read_settings(path: Path = SETTINGS_FILE) -> dict[str, str]:
    """``KEY=VALUE`` lines of an environment file (comments and blank lines skipped)."""
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


@dataclass
class Cluster:
    """A running cluster: ``url`` is the proxy (None without one), ``process_urls`` the
    Streamlit processes in port order, ``store`` the shared store's location."""

    url: str | None
    process_urls: list[str]
    processes: list[subprocess.Popen]
    store: str
    postgres: PostgresServer | None = None
    logs: Path = field(default_factory=Path)

    def rss_mb(self) -> list[float]:
        """Resident memory of each Streamlit process, MB."""
        return [processes.rss_mb(process.pid) for process in self.processes]

    def cpu_seconds(self) -> float:
        """CPU time all the Streamlit processes have used, s."""
        return sum(processes.cpu_seconds(process.pid) for process in self.processes)


@contextlib.contextmanager
def _streamlit_processes(
    replicas: int, env: Mapping[str, str], logs: Path
) -> Iterator[list[tuple[str, subprocess.Popen]]]:
    started: list[tuple[str, subprocess.Popen]] = []
    try:
        for _ in range(replicas):
            port = processes.free_port()
            started.append(
                (
                    f"http://127.0.0.1:{port}",
                    processes.start_streamlit(port, logs / f"streamlit-{port}.log", dict(env)),
                )
            )
        for url, process in started:
            processes.wait_healthy(url, process, timeout_s=120, what=f"streamlit (log in {logs})")
        # One session each, in threads (a caller may be inside an event loop): deep
        # links then open cleanly and the data is loaded.
        with ThreadPoolExecutor(len(started)) as pool:
            list(pool.map(lambda url: asyncio.run(warm(url, 180)), [u for u, _ in started]))
        yield started
    finally:
        for _, process in started:
            processes.stop(process)


@contextlib.contextmanager
def running_cluster(
    replicas: int = 2,
    *,
    store: str | None = None,
    proxy: bool = True,
    listen_port: int | None = None,
    env: Mapping[str, str] | None = None,
    logs: Path | None = None,
) -> Iterator[Cluster]:
    """Start the cluster (a throwaway PostgreSQL store unless ``store`` names one);
    stop all of it on exit. ``env`` overrides the settings file."""
    if replicas < 1:
        raise ValueError("--replicas must be at least 1")
    own_logs = logs is None  # removed after a clean stop, kept after a failure
    logs = logs or Path(tempfile.mkdtemp(prefix="naloxone-cluster-"))
    logs.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        server = None if store else stack.enter_context(running_postgres())
        location = store or server.url
        settings = {
            **read_settings(),
            "NALOXONE_STORE": location,
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
            **(env or {}),
        }
        started = stack.enter_context(_streamlit_processes(replicas, settings, logs))
        url = None
        if proxy:
            port = listen_port or processes.free_port()
            stack.enter_context(
                running_nginx(
                    [int(u.rsplit(":", 1)[1]) for u, _ in started],
                    port,
                    log=str(logs / "nginx.log"),
                )
            )
            url = f"http://127.0.0.1:{port}"
            processes.wait_healthy(url, timeout_s=30, what=f"nginx (log in {logs})")
        yield Cluster(url, [u for u, _ in started], [p for _, p in started], location, server, logs)
    if own_logs:  # only after a clean stop: a failure's logs stay for reading
        shutil.rmtree(logs, ignore_errors=True)


def _stop_on_sigterm() -> None:
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.local",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes")
    parser.add_argument(
        "--port", type=int, default=None, help="the proxy's loopback port (default: a free one)"
    )
    parser.add_argument(
        "--store",
        default=None,
        help="an existing store (path or postgresql:// URL) instead of a "
        "throwaway PostgreSQL server",
    )
    parser.add_argument(
        "--seconds", type=float, default=None, help="stop by itself after this long"
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    _stop_on_sigterm()
    try:
        with running_cluster(args.replicas, store=args.store, listen_port=args.port) as cluster:
            print(f"dashboard: {cluster.url}", flush=True)
            print(f"processes: {' '.join(cluster.process_urls)}", flush=True)
            if cluster.postgres is not None:
                print(f"store: {cluster.store}", flush=True)
            print(f"logs: {cluster.logs}", flush=True)
            print("ready (Ctrl-C stops everything)", flush=True)
            deadline = time.monotonic() + (args.seconds or float("inf"))
            with contextlib.suppress(KeyboardInterrupt):  # the ordinary way to stop
                while time.monotonic() < deadline:
                    time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
