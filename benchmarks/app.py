"""Dashboard benchmarks (``python -m benchmarks --app``), each against a reference measured
in the same run:

- rerun after a radius change, server side under ``AppTest`` (median of 7 changes after
  2 warm-ups), on Overview (target <= 0.25x) and on Access gaps (<= 0.6x) against
  ``benchmarks/plain_app.py``, the same KPIs and map layers drawn the usual way with
  folium and streamlit-folium;
- a rerun after switching the Overview to walking minutes, against a straight-line rerun
  after a radius change in the same app (<= 1.5x);
- the map payload (the script, header and HTML the map component sends) of every page
  with a map; target <= 300 KB for the Overview;
- in headless Chromium (:mod:`benchmarks.browser`): cold start to the overview map drawn
  against a bare Streamlit app importing the same libraries (<= 1.3x), the Access gaps
  KPIs updated after a radius change (< 300 ms) and a page switch after the first visit
  (< 1 s).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT

DASHBOARD = REPO_ROOT / "dashboard.py"
PLAIN_APP = Path(__file__).with_name("plain_app.py")
#: Pages with a map, and the query that opens each (the finder needs a search).
MAP_PAGES = {
    "overview": {},
    "find": {"q": "21550"},
    "leave-behind": {},
    "compare": {},
    "access-gaps": {},
}


def _open(script: Path, page: str, **query: str) -> AppTest:
    app = AppTest.from_file(str(script), default_timeout=300)
    for key, value in {"page": page, **query}.items():
        app.query_params[key] = value
    app.run()
    if app.exception:
        raise RuntimeError(f"{script.name} ({page}): {app.exception[0].message}")
    return app


def rerun_seconds(script: Path, page: str, changes: int = 7) -> float:
    """Median server time of a rerun after the sidebar radius changes (miles 6, 7, …)."""
    app = _open(script, page)
    radius = 6.0
    times = []
    for i in range(changes + 2):
        radius += 0.5
        start = time.perf_counter()
        app.sidebar.number_input(key="radius_widget").set_value(radius).run()
        if i >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def walk_switch_seconds(changes: int = 5) -> tuple[float, float]:
    """Median server time of a rerun after switching the Overview to walking minutes (a
    new radius each time, so a new scenario), and of a straight-line rerun after a radius
    change, in the same app (after one warm-up of each)."""
    app = _open(DASHBOARD, "overview")
    radius, walk, straight = 6.0, [], []
    for i in range(changes + 1):
        radius += 0.5
        start = time.perf_counter()
        app.sidebar.number_input(key="radius_widget").set_value(radius).run()
        straight_s = time.perf_counter() - start
        start = time.perf_counter()
        app.sidebar.radio(key="access_widget").set_value("walk").run()
        walk_s = time.perf_counter() - start
        app.sidebar.radio(key="access_widget").set_value("straight").run()
        if i:
            straight.append(straight_s)
            walk.append(walk_s)
    return statistics.median(walk), statistics.median(straight)


def map_payload_bytes(script: Path, page: str, **query: str) -> int:
    """Bytes of the arguments (JSON: the map's script, header, HTML, links) the page's
    map component sends to the browser."""
    app = _open(script, page, **query)
    (component,) = app.get("component_instance")
    return len(component.proto.json_args.encode())


def row(
    name: str,
    ours: float,
    unit: str,
    target: str,
    met: bool | None,
    reference: str = "",
    reference_value: float | None = None,
) -> dict[str, object]:
    """One line of the table: ``met`` None for a figure only reported."""
    ratio = ours / reference_value if reference_value else None
    return {
        "benchmark": name,
        "ours": f"{ours:,.0f} {unit}",
        "reference": reference,
        "reference value": "" if reference_value is None else f"{reference_value:,.0f} {unit}",
        "ratio": "" if ratio is None else f"{ratio:.2f}x",
        "target": target,
        "met": "-" if met is None else "yes" if met else "NO",
    }


def server_rows() -> list[dict[str, object]]:
    """The AppTest reruns and the payload of every page's map."""
    rows = []
    for page, limit in (("overview", 0.25), ("access-gaps", 0.6)):
        ours, plain = rerun_seconds(DASHBOARD, page), rerun_seconds(PLAIN_APP, page)
        rows.append(
            row(
                f"rerun after a radius change, {page} (AppTest)",
                ours * 1e3,
                "ms",
                f"<= {limit}x",
                ours <= limit * plain,
                "plain folium app, same layers",
                plain * 1e3,
            )
        )
    walk, straight = walk_switch_seconds()
    rows.append(
        row(
            "rerun after switching Overview to walking minutes (AppTest)",
            walk * 1e3,
            "ms",
            "<= 1.5x",
            walk <= 1.5 * straight,
            "straight-line rerun after a radius change",
            straight * 1e3,
        )
    )
    for page, query in MAP_PAGES.items():
        size = map_payload_bytes(DASHBOARD, page, **query) / 1000
        overview = page == "overview"
        rows.append(
            row(
                f"map payload, {page}",
                size,
                "KB",
                "<= 300 KB" if overview else "",
                size <= 300 if overview else None,
            )
        )
    return rows


def run() -> pd.DataFrame:
    """Every dashboard benchmark: server side, then in Chromium."""
    from benchmarks import browser

    return pd.DataFrame(server_rows() + browser.rows())
