"""Access gaps with walking minutes selected, in headless Chromium at 1400 and 400 px: the
Baltimore City KPIs agree with the library, the map shades tracts by walking minutes with
its legend, the link keeps the measure, and the ranking in minutes says it covers the City
(issue 25)."""

from __future__ import annotations

import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.render import formatting
from tests.support.browser import map_frame, screenshot_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def expected():
    scenario = Scenario.from_data(metrics.load_access_data(), measure="walk", minutes=15)
    return scenario.travel_summary().iloc[0]


@pytest.mark.parametrize("width", [1400, 400])
def test_access_gaps_by_walking_minutes(browser, dashboard_url, expected, width):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(f"{dashboard_url}/access-gaps?measure=walk&minutes=15&data=public")
        page.get_by_text("Walking minutes in Baltimore City").first.wait_for(timeout=90_000)
        kpi = page.locator('[data-testid="stMetric"]', has_text="Residents within a 15-minute walk")
        kpi.first.wait_for(timeout=60_000)
        assert formatting.count(expected["population_within_minutes"]) in kpi.first.inner_text()
        share = page.locator('[data-testid="stMetric"]', has_text="Share within a 15-minute walk")
        assert formatting.percent(100 * expected["share_within_minutes"]) in share.inner_text()
        frame = map_frame(page)
        frame.get_by_text("Walking minutes to nearest site").wait_for(timeout=60_000)
        legend = frame.evaluate("document.body.textContent")  # folded at 400 px
        assert "within a 15-minute walk (covered)" in legend and "15–30 min" in legend
        points = frame.evaluate("document.querySelectorAll('path.leaflet-interactive').length")
        assert points >= 199  # every City tract centre, and the sites
        assert "measure=walk" in page.url and "minutes=15" in page.url
        page.get_by_text("the walking network covers Baltimore City only").first.wait_for()
        if width == 1400:
            assert page.get_by_label("Walking minutes (Baltimore City)").is_checked()
        page.locator("iframe").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / f"access-gaps-walk-{width}px.png"))
    finally:
        page.close()
