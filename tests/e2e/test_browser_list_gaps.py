"""Issue 24 item 2 / issue 28 item 6 in headless Chromium: on the Access gaps map the
tracts where our pharmacy list is likely incomplete are outlined and the legend says so;
sites at a ZIP centre are hollow rings with their own legend row."""

from __future__ import annotations

import pytest

from tests.support.browser import map_frame, screenshot_dir

pytestmark = pytest.mark.browser

#: Leaflet draws a circle marker as an SVG path with these attributes (see PointLayer).
OUTLINED_JS = """() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .filter(p => p.getAttribute('stroke') === '#000000'
                 && p.getAttribute('stroke-width') === '2.5').length"""
HOLLOW_JS = """() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .filter(p => p.getAttribute('fill-opacity') === '0'
                 && p.getAttribute('stroke-width') === '2.2').length"""


@pytest.fixture(scope="module")
def expected():
    from geo.analysis import metrics

    data = metrics.load_access_data()
    flagged = int(data.list_gaps["list_gap"].sum())
    selected = metrics.select_sites(data)
    mapped = data.sites.merge(selected[["id"]], on="id")
    hollow = int(mapped["location_precision"].eq("zip_centroid").sum())
    return flagged, hollow


@pytest.mark.parametrize("width", [1400, 400])
def test_access_gaps_map_outlines_list_gaps_with_a_legend(browser, dashboard_url, expected, width):
    flagged, hollow = expected
    assert flagged > 0 and hollow > 0
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(f"{dashboard_url}/access-gaps")
    page.get_by_role("heading", name="Access gaps").first.wait_for(timeout=90_000)
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length > 1400", timeout=90_000
    )
    assert frame.evaluate(OUTLINED_JS) == flagged
    assert frame.evaluate(HOLLOW_JS) == hollow
    legend = frame.locator("details.md-legend")
    if width < 600:  # collapsed on a phone: its title opens it
        legend.locator("summary").click()
    text = legend.inner_text()
    assert "our list likely misses a pharmacy here" in text
    assert "location approximate: ZIP centre" in text
    assert legend.is_visible()
    page.wait_for_timeout(500)
    page.locator("iframe").first.screenshot(
        path=str(screenshot_dir() / f"access-gaps-list-gaps-{width}px.png")
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
