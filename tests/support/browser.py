"""Helpers for the end-to-end tests: a real ``streamlit run dashboard.py`` and Debian's
headless Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from geo.config import REPO_ROOT

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost",
                  "data:", "blob:", "about:", "chrome-extension:")


def chromium_path() -> str | None:
    """Debian's Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_dashboard(env: dict[str, str] | None = None, timeout_s: float = 90
                      ) -> Iterator[str]:
    """Start ``streamlit run dashboard.py`` on a free loopback port; yield its URL."""
    port = free_port()
    log = (REPO_ROOT / "artifacts")
    log.mkdir(exist_ok=True)
    with open(log / f"streamlit-{port}.log", "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})})
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the dashboard did not start; see "
                                       f"{log / f'streamlit-{port}.log'}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def map_frame(page, timeout_s: float = 60):
    """The frame holding the Leaflet map, once it exists."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.locator(".leaflet-container").count():
                    return frame
        page.wait_for_timeout(200)
    raise AssertionError("no Leaflet map appeared")


def screenshot_dir() -> Path:
    path = REPO_ROOT / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def click_marker(frame, from_end: int) -> None:
    """Click the Leaflet vector layer ``from_end`` places from the last one drawn."""
    frame.evaluate("""(fromEnd) => {
        const paths = document.querySelectorAll('path.leaflet-interactive');
        paths[paths.length - fromEnd].dispatchEvent(
            new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    }""", from_end)


@contextlib.contextmanager
def warmed_dashboard(browser, env: dict[str, str] | None = None) -> Iterator[str]:
    """A running dashboard whose first session has already run ``dashboard.py`` (so deep
    links open cleanly: see the README's note on Streamlit's legacy ``pages/`` routing)."""
    with running_dashboard(env=env) as url:
        warm = browser.new_page()
        warm.goto(f"{url}/")
        warm.get_by_role("heading", name="Naloxone access in Maryland").first.wait_for(
            timeout=60_000)
        warm.close()
        yield url
