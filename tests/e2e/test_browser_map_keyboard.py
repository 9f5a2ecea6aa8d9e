"""Maps for keyboard and screen-reader users and small screens, in headless Chromium:
the markers are not Tab stops (the table alternative is reached in a few presses), the
map frame has a title, and at 400 px the legend starts collapsed and opens on demand."""

from __future__ import annotations

import pytest

from tests.support.browser import map_frame, screenshot_dir

pytestmark = pytest.mark.browser

MAX_TAB_STOPS_IN_MAP = 20


def open_access_gaps(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{url}/access-gaps")
    page.get_by_role("heading", name="Access gaps").first.wait_for(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length > 1400", timeout=60_000
    )
    return page, frame


def test_tab_gets_past_the_map_in_a_few_presses(browser, dashboard_url):
    page, frame = open_access_gaps(browser, dashboard_url, 1400)
    page.get_by_role("slider").first.focus()  # the control just before the map
    presses = 0
    in_map = False
    while presses < 200:
        page.keyboard.press("Tab")
        presses += 1
        focus_in_frame = frame.evaluate("document.hasFocus()")
        in_map = in_map or focus_in_frame
        if in_map and not focus_in_frame:
            break
    assert in_map, "the map itself is reachable by keyboard"
    assert presses < MAX_TAB_STOPS_IN_MAP, f"{presses} presses to get past the map"
    # the table alternative is still reachable with Tab
    for _ in range(30):
        if "Table of every tract centre" in page.evaluate("document.activeElement.innerText || ''"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the table alternative is not reachable by keyboard")
    title = page.locator("iframe[title*='Map of distance']")
    assert title.count() == 1, page.evaluate(
        "Array.from(document.querySelectorAll('iframe')).map(f => f.title)"
    )
    page.close()


def test_the_legend_folds_away_at_400_px(browser, dashboard_url):
    page, frame = open_access_gaps(browser, dashboard_url, 400)
    legend = frame.locator("details.md-legend")
    assert legend.count() == 1
    assert legend.get_attribute("open") is None, "collapsed at first on a small screen"
    shot = str(screenshot_dir() / "access-gaps-map-400px.png")
    page.locator("iframe").first.screenshot(path=shot)
    frame.locator("details.md-legend summary").click()
    assert legend.get_attribute("open") is not None
    page.close()
    page, frame = open_access_gaps(browser, dashboard_url, 1400)
    assert frame.locator("details.md-legend").get_attribute("open") is not None
    page.close()
