"""Driving minutes in headless Chromium at 1400 and 400 px (issue 25): a drive network built
from the bundled downtown Baltimore OSM fixture into a temporary NALOXONE_NETWORK_DIR, the
app started with it, "Driving minutes" chosen in the sidebar; Access gaps then names the
measure, gives the KPIs in minutes as the library computes them, says which area the
network covers, ranks in minutes, and no labels overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import cli
from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.render import formatting
from tests.support.browser import screenshot_dir, warmed_dashboard

pytestmark = pytest.mark.browser

FIXTURE = (
    Path(__file__).parents[1]
    / "network"
    / "data"
    / "baltimore_downtown_2015_route-annotator.osm.pbf"
)


@pytest.fixture(scope="module")
def drive_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("networks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NALOXONE_NETWORK_DIR", str(folder))
        assert cli.main(["network", "build", "--osm", str(FIXTURE), "--mode", "drive"]) == 0
        scenario = Scenario.from_data(metrics.load_access_data(), measure="drive", minutes=15)
        summary = scenario.travel_summary().iloc[0]
        ranking = scenario.travel_ranking()
    return folder, summary, ranking


@pytest.fixture(scope="module")
def drive_url(browser, drive_dir):
    with warmed_dashboard(browser, env={"NALOXONE_NETWORK_DIR": str(drive_dir[0])}) as url:
        yield url


def _choose_driving(page) -> None:
    """Open the sidebar if folded (phones), pick "Driving minutes", fold it again."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    option = sidebar.get_by_text("Driving minutes", exact=True)
    option.wait_for(state="attached", timeout=60_000)
    box = option.bounding_box()
    if box is None or box["x"] + box["width"] <= 0:  # the sidebar is folded off-screen
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    option.click()
    page.wait_for_url("**measure=drive**", timeout=60_000)
    if page.viewport_size["width"] < 600:
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()


def _overlaps(page, selector: str) -> list[tuple[str, str]]:
    """Pairs of visible elements matching ``selector`` whose boxes intersect (1 px slack)."""
    return page.evaluate(
        """(selector) => {
            const boxes = [...document.querySelectorAll(selector)]
                .map(e => [e.innerText.slice(0, 40), e.getBoundingClientRect()])
                .filter(([, r]) => r.width > 0 && r.height > 0);
            const hits = [];
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [a, r] = boxes[i], [b, s] = boxes[j];
                if (r.left < s.right - 1 && s.left < r.right - 1 &&
                    r.top < s.bottom - 1 && s.top < r.bottom - 1) hits.push([a, b]);
            }
            return hits;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1400, 400])
def test_access_gaps_by_driving_minutes(browser, drive_url, drive_dir, width):
    _, summary, ranking = drive_dir
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(f"{drive_url}/access-gaps?data=public")
        page.get_by_role("heading", name="Access gaps").first.wait_for(timeout=90_000)
        _choose_driving(page)
        area = summary["area"]
        page.get_by_text(f"Driving minutes in {area}").first.wait_for(timeout=90_000)
        kpi = page.locator(
            '[data-testid="stMetric"]', has_text="Residents within a 15-minute drive"
        )
        kpi.first.wait_for(timeout=60_000)
        assert formatting.count(summary["population_within_minutes"]) in kpi.first.inner_text()
        half = page.locator('[data-testid="stMetric"]', has_text="Half of residents are within")
        assert f"{summary['median_minutes']:.1f} min" in half.inner_text()
        statement = page.get_by_text("the installed driving network covers").first
        statement.wait_for(timeout=60_000)
        assert f"{len(ranking)} jurisdiction" in statement.inner_text()
        heading = "Jurisdictions ranked by access gap (15-minute drive)"
        page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
        assert "measure=drive" in page.url and "minutes=15" in page.url
        assert _overlaps(page, '[data-testid="stMetric"]') == []
        assert _overlaps(page, '[data-testid="stMetricLabel"], [data-testid="stMetricValue"]') == []
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, "nothing wider than the screen"
        page.screenshot(path=str(screenshot_dir() / f"access-gaps-drive-{width}px.png"))
        page.get_by_role("heading", name=heading).scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / f"access-gaps-drive-ranking-{width}px.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width", [1400, 400])
def test_compare_by_driving_minutes(browser, drive_url, drive_dir, width):
    ranking = drive_dir[2]
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(f"{drive_url}/compare?measure=drive&minutes=15&data=public")
        statement = page.get_by_text("the installed driving network covers").first
        statement.wait_for(timeout=90_000)
        assert f"{len(ranking)} jurisdiction" in statement.inner_text()
        page.get_by_text("Chart (15-minute drive)").first.wait_for(timeout=60_000)
        title = "Residents within a 15-minute drive (%), largest first"
        chart = page.get_by_text(title).first
        chart.scroll_into_view_if_needed()
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
        assert "Maryland" not in page.locator('[data-testid="stVegaLiteChart"]').first.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(screenshot_dir() / f"compare-drive-{width}px.png"))
    finally:
        page.close()
