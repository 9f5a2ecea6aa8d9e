"""The dashboard in headless Chromium (Debian's, driven by Playwright), for
``python -m benchmarks --app``:

- cold start: from launching ``streamlit run dashboard.py`` to the overview map drawn
  (every jurisdiction and site path present), against launching ``benchmarks/bare_app.py``
  to its title shown; median of 3 launches each, alternating;
- Access gaps: from changing the sidebar radius to the new KPI shown (median of 7);
- page switch after the first visit: from clicking the page's link to its map drawn
  (Overview ↔ Access gaps, median of 3 each way).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from benchmarks.app import row
from deploy.processes import start_streamlit, stop, wait_healthy
from geo.config import REPO_ROOT
from geo.data import layers
from tests.support.browser import CHROMIUM_ARGS, chromium_path, free_port

BARE_APP = Path(__file__).with_name("bare_app.py")
OVERVIEW_MAP = "Map of naloxone access points"
GAP_MAP = "Map of distance to the nearest"
_DRAWN = """([label, paths]) => {
    const map = document.querySelector('.leaflet-container');
    return !!map && (map.getAttribute('aria-label') || '').startsWith(label)
        && document.querySelectorAll('path.leaflet-interactive').length >= paths;
}"""


@contextlib.contextmanager
def serve(script: Path, timeout_s: float = 120) -> Iterator[str]:
    """``streamlit run script`` on a free loopback port, yielding its URL once healthy
    (polled every 50 ms: the cold start is timed from the launch)."""
    port = free_port()
    process = start_streamlit(port, Path(os.devnull), script=script)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(
            url, process, timeout_s=timeout_s, what=f"streamlit run {script.name}", poll_s=0.05
        )
        yield url
    finally:
        stop(process)


def wait_for_map(page: Page, label: str, paths: int, timeout_s: float = 120) -> None:
    """Until a frame shows the map named ``label…`` with at least ``paths`` shapes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.evaluate(_DRAWN, [label, paths]):
                    return
        page.wait_for_timeout(20)
    raise TimeoutError(f"the map {label!r} was not drawn")


def cold_start_seconds(browser, script: Path, ready) -> float:
    """From launching ``script`` to ``ready(page)`` returning in a fresh page."""
    start = time.perf_counter()
    with serve(script) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/")
        ready(page)
        elapsed = time.perf_counter() - start
        page.close()
    return elapsed


#: Timed in the page: from the Enter key in the radius box to the text shown.
_WATCH = """(text) => {
    window.__shown = null;
    window.__pressed = null;
    document.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && window.__pressed === null) {
            window.__pressed = performance.now();
        }
    }, {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (document.body.textContent.includes(text)) {
            window.__shown = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def gap_rerun_seconds(page: Page, url: str, changes: int = 7) -> float:
    """Median time, measured in the page, from Enter in the radius box on Access gaps to
    the KPI naming the new radius shown."""
    page.goto(f"{url}/access-gaps")
    wait_for_map(page, GAP_MAP, 24 + len(layers.load_population()))
    radius = page.get_by_label("Radius", exact=True).and_(page.locator("input"))
    times = []
    for i in range(changes):
        miles = 6 + i
        text = f"Residents farther than {miles} miles"
        radius.fill(str(miles))
        page.evaluate(_WATCH, text)
        radius.press("Enter")
        page.wait_for_function("window.__shown !== null", timeout=30_000)
        times.append(page.evaluate("window.__shown - window.__pressed") / 1e3)
        page.wait_for_function(
            "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
        )
    return statistics.median(times)


def switch_seconds(page: Page, overview_paths: int, gap_paths: int) -> tuple[float, float]:
    """Median time from clicking a page's link to its map drawn: (to Overview, to Access
    gaps), both pages visited before."""
    times: dict[str, list[float]] = {"Overview": [], "Access gaps": []}
    targets = {"Overview": (OVERVIEW_MAP, overview_paths), "Access gaps": (GAP_MAP, gap_paths)}
    for _ in range(3):
        for title, (label, paths) in targets.items():
            start = time.perf_counter()
            page.locator('[data-testid="stSidebarNavLink"]', has_text=title).click()
            wait_for_map(page, label, paths)
            times[title].append(time.perf_counter() - start)
    return statistics.median(times["Overview"]), statistics.median(times["Access gaps"])


def rows() -> list[dict[str, object]]:
    """Cold start, Access gaps KPI update and page switches, timed in Chromium."""
    executable = chromium_path()
    if executable is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    overview_paths = 24 + int(layers.load_sites()["lat"].notna().sum())
    gap_paths = 24 + len(layers.load_population())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        cold, bare = [], []
        for _ in range(3):
            cold.append(
                cold_start_seconds(
                    browser,
                    REPO_ROOT / "dashboard.py",
                    lambda p: wait_for_map(p, OVERVIEW_MAP, overview_paths),
                )
            )
            bare.append(
                cold_start_seconds(
                    browser,
                    BARE_APP,
                    lambda p: p.get_by_role("heading", name="Bare app").wait_for(timeout=120_000),
                )
            )
        with serve(REPO_ROOT / "dashboard.py") as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/")
            wait_for_map(page, OVERVIEW_MAP, overview_paths)
            gaps = gap_rerun_seconds(page, url)
            to_overview, to_gaps = switch_seconds(page, overview_paths, gap_paths)
            page.close()
        browser.close()
    cold_s, bare_s = statistics.median(cold), statistics.median(bare)
    return [
        row(
            "cold start to overview map drawn (Chromium)",
            cold_s * 1e3,
            "ms",
            "<= 1.3x",
            cold_s <= 1.3 * bare_s,
            "bare app importing the same libraries, title shown",
            bare_s * 1e3,
        ),
        row(
            "radius change on Access gaps, to new KPI shown (Chromium)",
            gaps * 1e3,
            "ms",
            "< 300 ms",
            gaps < 0.3,
        ),
        row(
            "page switch to Overview, map drawn (Chromium)",
            to_overview * 1e3,
            "ms",
            "< 1 s",
            to_overview < 1.0,
        ),
        row(
            "page switch to Access gaps, map drawn (Chromium)",
            to_gaps * 1e3,
            "ms",
            "< 1 s",
            to_gaps < 1.0,
        ),
    ]
