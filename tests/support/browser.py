"""Helpers for the end-to-end tests: a real ``streamlit run dashboard.py`` and Debian's
headless Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from deploy.processes import free_port, start_streamlit, stop, wait_healthy
from geo.config import REPO_ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_PREFIXES = (
    "http://127.0.0.1",
    "http://localhost",
    "ws://127.0.0.1",
    "ws://localhost",
    "data:",
    "blob:",
    "about:",
    "chrome-extension:",
)


def chromium_path() -> str | None:
    """Debian's Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def running_dashboard(env: dict[str, str] | None = None, timeout_s: float = 90) -> Iterator[str]:
    """Start ``streamlit run dashboard.py`` on a free loopback port; yield its URL."""
    port = free_port()
    log = REPO_ROOT / "artifacts"
    log.mkdir(exist_ok=True)
    process = start_streamlit(port, log / f"streamlit-{port}.log", env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(
            url,
            process,
            timeout_s=timeout_s,
            what=f"the dashboard (see {log / f'streamlit-{port}.log'})",
        )
        yield url
    finally:
        stop(process)


#: The live Leaflet map object inside a map frame (folium names it ``map_<id>``).
LEAFLET_MAP_JS = (
    "Object.values(window).filter(v => v && typeof v.latLngToContainerPoint === "
    "'function' && typeof v.getContainer === 'function' && "
    "document.body.contains(v.getContainer())).pop()"
)


def container_point(frame, lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) is drawn in the map frame now: (x, y) px from the map's corner."""
    return tuple(
        frame.evaluate(
            f"""([lat, lon]) => {{
        const p = ({LEAFLET_MAP_JS}).latLngToContainerPoint([lat, lon]);
        return [p.x, p.y];
    }}""",
            [lat, lon],
        )
    )


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
    frame.evaluate(
        """(fromEnd) => {
        const paths = document.querySelectorAll('path.leaflet-interactive');
        paths[paths.length - fromEnd].dispatchEvent(
            new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    }""",
        from_end,
    )


@contextlib.contextmanager
def warmed_dashboard(browser, env: dict[str, str] | None = None) -> Iterator[str]:
    """A running dashboard that has already served one browser the Overview, so a test's
    first page does not wait for the process's first run (the server's own run at start,
    ``shell/warm.py``, may still be going when it answers its health check)."""
    with running_dashboard(env=env) as url:
        warm = browser.new_page()
        warm.goto(f"{url}/")
        warm.get_by_role("heading", name="Naloxone access in Maryland").first.wait_for(
            timeout=60_000
        )
        warm.close()
        yield url
