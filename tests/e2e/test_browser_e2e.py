"""End to end in real headless Chromium against a running ``streamlit run dashboard.py``:
every page opens, maps draw (jurisdictions and site markers), no page shows an
exception, no request leaves the machine, and a screenshot of each page is saved
under ``artifacts/screenshots/``."""

from __future__ import annotations

import pytest

from geo.data import layers
from tests.support.browser import (
    LOCAL_PREFIXES,
    click_marker,
    map_frame,
    running_dashboard,
    screenshot_dir,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Naloxone access in Maryland", "sites"),
    ("leave-behind", "EMS naloxone leave-behind", "sites"),
    ("compare", "Compare jurisdictions", None),
    ("access-gaps", "Access gaps", "population"),
    ("data", "Data & methods", None),
]


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(LOCAL_PREFIXES) else None
        ),
    )
    tab = context.new_page()
    tab.outside_requests = outside
    yield tab
    context.close()


@pytest.mark.parametrize("path, title, markers", PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_page_opens_and_draws(page, dashboard_url, path, title, markers):
    sites = layers.load_sites()
    mapped_sites = int((sites["lat"].notna() & ~sites["closed"]).sum())  # closed: not drawn
    page.goto(f"{dashboard_url}/{path}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    if markers:
        frame = map_frame(page)
        expected = 24 + (mapped_sites if markers == "sites" else 1475)
        frame.wait_for_function(
            f"document.querySelectorAll('path.leaflet-interactive').length >= {expected}",
            timeout=60_000,
        )
        assert frame.locator(".md-legend").count() == 1
        assert (
            "OpenStreetMap contributors"
            in frame.locator(".leaflet-control-attribution").inner_text()
        )
        scripts = frame.evaluate(
            "Array.from(document.querySelectorAll('script[src],link[href]'))"
            ".map(e => e.src || e.href)"
        )
        assert all(s.startswith(("http://127.0.0.1", "http://localhost")) for s in scripts), scripts
    else:
        page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    page.screenshot(path=str(screenshot_dir() / f"{path or 'overview'}.png"), full_page=True)
    assert page.outside_requests == [], page.outside_requests


def test_site_popup_shows_source_and_caveat(page, dashboard_url):
    page.goto(f"{dashboard_url}/")
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length > 100", timeout=60_000
    )
    # The site markers are the last layer drawn; click one in the middle of the list.
    click_marker(frame, 200)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Source" in text and "As of" in text
    assert "not confirmed stock" in text


def test_a_copied_link_reopens_the_view(page, dashboard_url):
    page.goto(f"{dashboard_url}/compare?focus=24001&r=8&unit=km&types=pharmacy")
    page.get_by_role("heading", name="Compare jurisdictions").first.wait_for(timeout=60_000)
    page.get_by_text("Sites per 100,000 residents: Allegany").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert "focus=24001" in page.url and "r=8" in page.url and "unit=km" in page.url
    assert page.outside_requests == []


def test_standalone_html_export_draws_offline(page, tmp_path):
    from geo.analysis import metrics
    from geo.render import maps

    data = metrics.load_access_data()
    path = tmp_path / "sites.html"
    path.write_text(
        maps.standalone_html(maps.sites_map(data.jurisdictions, data.sites)), encoding="utf-8"
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    expected = 24 + int(data.sites["lat"].notna().sum())
    page.wait_for_function(
        f"document.querySelectorAll('path.leaflet-interactive').length >= {expected}",
        timeout=30_000,
    )
    assert page.locator(".md-legend").count() == 1
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    page.screenshot(path=str(screenshot_dir() / "standalone-export.png"))


def test_uploaded_text_is_shown_literally_and_runs_nothing(browser, tmp_path):
    import pandas as pd

    from geo.local.store import Store

    hostile = "<img src=x onerror=alert(1)>"
    location = str(tmp_path / "store.sqlite")
    Store(location).add_sites(
        pd.DataFrame(
            [
                {
                    "name": hostile,
                    "type": "vending_machine",
                    "address": "<b>bold</b> & co",
                    "jurisdiction_fips": "24510",
                    "lat": 39.2904,
                    "lon": -76.6122,
                    "location_precision": "exact",
                    "status": "open",
                    "source": "<script>x()</script>",
                }
            ]
        ),
        who="<i>editor</i>",
    )
    Store(location).publish(None, who="<i>editor</i>")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = context.new_page()
    try:
        with running_dashboard(env={"NALOXONE_STORE": location}) as url:
            page.goto(f"{url}/?types=vending_machine&data=local")
            frame = map_frame(page)
            frame.wait_for_function(
                "document.querySelectorAll('path.leaflet-interactive').length >= 25", timeout=60_000
            )
            click_marker(frame, 1)
            popup = frame.locator(".leaflet-popup-content")
            popup.wait_for(timeout=10_000)
            text = popup.inner_text()
            assert hostile in text
            assert "<b>bold</b> & co" in text
            assert "<script>x()</script>" in text
            assert popup.locator("img, b, script").count() == 0
            assert frame.locator("img[src='x']").count() == 0
            page.wait_for_timeout(1000)
            page.screenshot(path=str(screenshot_dir() / "escaping.png"))
    finally:
        context.close()
    assert dialogs == []


def test_editor_signs_in_and_imports_a_file(browser, tmp_path):
    from geo.local import auth
    from geo.local.store import Store

    location = str(tmp_path / "store.sqlite")
    upload = tmp_path / "new_sites.csv"
    upload.write_bytes(
        "name,type,latitude,longitude\nFarmacia Peña,pharmacy,39.30,-76.60\n"
        "Nowhere,clinic,39.3,-76.6\n".encode("cp1252")
    )
    env = {
        "NALOXONE_STORE": location,
        "NALOXONE_EDITOR_PASSWORD_HASH": auth.hash_password("correct horse battery"),
    }
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        with running_dashboard(env=env) as url:
            page.goto(f"{url}/")
            page.get_by_role("heading", name="Naloxone access in Maryland").first.wait_for(
                timeout=60_000
            )
            page.goto(f"{url}/manage")
            page.get_by_label("Your name (recorded with every change)").fill("Dana")
            page.get_by_label("Editor password").fill("correct horse battery")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Signed in as editor: Dana").wait_for(timeout=30_000)
            page.locator("input[type=file][accept*='.csv']").set_input_files(str(upload))
            page.get_by_text("valid row(s)").first.wait_for(timeout=30_000)
            assert page.get_by_text("read as cp1252").count() >= 1
            page.get_by_role("button", name="Import 1 valid row(s)").click()
            page.get_by_text("Imported 1 site(s) as a draft change").wait_for(timeout=30_000)
            page.screenshot(path=str(screenshot_dir() / "manage-import.png"), full_page=True)
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
    sites = Store(location).sites()
    assert sites["name"].tolist() == ["Farmacia Peña"]
    assert sites["updated_by"].tolist() == ["Dana"]


def test_click_on_the_map_adds_a_what_if_site(page, dashboard_url):
    from geo.analysis import metrics

    data = metrics.load_access_data()
    nearest = metrics.nearest_sites(data, metrics.select_sites(data))
    uncovered = nearest[
        (nearest["fips"] == "24023") & (nearest["distance_m"] > metrics.radius_m_from(miles=5))
    ]
    target = uncovered.sort_values("lat").iloc[-1]  # the northernmost: clear of the legend
    page.goto(f"{dashboard_url}/access-gaps?focus=24023")
    page.get_by_role("heading", name="Access gaps").first.wait_for(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length > 1000", timeout=60_000
    )
    point = frame.evaluate(
        """([lat, lon]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const p = map.latLngToContainerPoint([lat, lon]);
        return {x: p.x, y: p.y};
    }""",
        [float(target["lat"]), float(target["lon"]) + 0.05],
    )  # beside, not on, the marker
    frame.locator(".leaflet-container").click(position=point)
    button = page.get_by_role("button", name="Add a site at the clicked point")
    button.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stMetricDelta"]').count() == 0
    button.click()
    page.locator('[data-testid="stMetricDelta"]').first.wait_for(timeout=30_000)
    delta = page.locator('[data-testid="stMetricDelta"]').first.inner_text()
    assert delta.strip().startswith("-"), delta
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshot_dir() / "what-if-click.png"), full_page=True)


@pytest.mark.parametrize("width", [1400, 400])
def test_compare_context_map_draws_svi_with_its_legend(browser, dashboard_url, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(LOCAL_PREFIXES) else None
        ),
    )
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/compare?focus=24029")
        page.get_by_role("heading", name="Context map").first.wait_for(timeout=60_000)
        frame = map_frame(page)
        frame.wait_for_function(
            "document.querySelectorAll('path.leaflet-interactive').length >= 24", timeout=60_000
        )
        if frame.locator("details.md-legend[open]").count() == 0:  # folded on a phone
            frame.locator("details.md-legend summary").click()
        legend = frame.locator(".md-legend").inner_text()
        assert "SVI 2022 overall" in legend and "unknown" in legend
        assert "OEPS" in frame.locator(".leaflet-control-attribution").inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.wait_for_timeout(1000)
        page.screenshot(path=str(screenshot_dir() / f"compare-context-{width}.png"), full_page=True)
        assert outside == [], outside
    finally:
        context.close()
