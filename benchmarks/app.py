"""Dashboard benchmarks in real headless Chromium (``python -m benchmarks --app``).

- cold start: from launching ``streamlit run dashboard.py`` to the overview map drawn
  (jurisdictions and every site marker present), median of 3 runs;
- rerun: from changing the sidebar radius to the overview KPI showing the new value
  (server rerun + redraw), median of 7 changes;
- script rerun: the same widget change under ``AppTest`` (server side only), median of 7.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.data import layers
from tests.support.browser import CHROMIUM_ARGS, chromium_path, map_frame, running_dashboard


def _wait_for_map(page, expected_paths: int) -> None:
    frame = map_frame(page, timeout_s=120)
    frame.wait_for_function(
        f"document.querySelectorAll('path.leaflet-interactive').length >= {expected_paths}",
        timeout=120_000)


def cold_start_seconds(browser, expected_paths: int) -> float:
    start = time.perf_counter()
    with running_dashboard() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/")
        _wait_for_map(page, expected_paths)
        elapsed = time.perf_counter() - start
        page.close()
    return elapsed


def browser_rerun_seconds(browser, expected_paths: int, changes: int = 7) -> list[float]:
    times = []
    with running_dashboard() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/")
        _wait_for_map(page, expected_paths)
        radius = page.get_by_label("Radius", exact=True).and_(page.locator("input"))
        for i in range(changes):
            miles = 6 + i
            start = time.perf_counter()
            radius.fill(str(miles))
            radius.press("Enter")
            page.get_by_text(f"Residents within {miles} miles").first.wait_for(timeout=30_000)
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
            times.append(time.perf_counter() - start)
        page.close()
    return times


def apptest_rerun_seconds(changes: int = 7) -> list[float]:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    times = []
    for i in range(changes):
        start = time.perf_counter()
        app.sidebar.number_input(key="radius_widget").set_value(6.0 + i).run()
        times.append(time.perf_counter() - start)
    return times


def run() -> pd.DataFrame:
    """Cold start and rerun times of the dashboard."""
    executable = chromium_path()
    if executable is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    expected = 24 + int(layers.load_sites()["lat"].notna().sum())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        cold = [cold_start_seconds(browser, expected) for _ in range(3)]
        rerun = browser_rerun_seconds(browser, expected)
        browser.close()
    script = apptest_rerun_seconds()
    rows = [
        ("cold start to overview map drawn (Chromium)", statistics.median(cold), "", 0),
        ("rerun after radius change, to KPI updated (Chromium)", statistics.median(rerun),
         "< 1 s", 1.0),
        ("script rerun after radius change (AppTest)", statistics.median(script), "< 1 s",
         1.0),
    ]
    return pd.DataFrame([{
        "benchmark": name, "ours_ms": seconds * 1e3, "reference": "", "reference_ms": None,
        "speed-up": None, "target": target,
        "met": "yes" if not limit or seconds < limit else "NO"} for name, seconds, target,
        limit in rows])
