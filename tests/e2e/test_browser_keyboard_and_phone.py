"""Issue 28, items 5 and 7, in headless Chromium: a keyboard user's first Tab is "Skip to
main content", which on the finder lands in the search box; a focused page link shows a
thick outline unlike the current-page mark; on a 400 px phone the Overview offers "Find
naloxone near you", the finder announces its answer in a live region, its map is named
for the search, and the map credits keep clear of the scale bar."""

from __future__ import annotations

import pytest

from tests.support.browser import map_frame, screenshot_dir

pytestmark = pytest.mark.browser


def test_first_tab_is_the_skip_link_and_it_reaches_the_search_box(browser, dashboard_url):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{dashboard_url}/find?q=21532")
        page.get_by_role("heading", name="Find naloxone").first.wait_for(timeout=60_000)
        page.get_by_text("Nearest to ZIP code 21532").first.wait_for(timeout=60_000)
        page.wait_for_function("!!document.getElementById('md-skip-link')", timeout=30_000)
        page.wait_for_timeout(1000)  # the answer drawn; nothing reruns under the keys
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        assert focused == "md-skip-link"
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return [r.left, r.width]; })()"
        )
        assert box[0] >= 0 and box[1] > 0, "the link shows when focused"
        page.keyboard.press("Enter")
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label == "ZIP code, town or coordinates"
    finally:
        page.close()


def test_a_focused_page_link_has_a_ring_unlike_the_current_page_mark(browser, dashboard_url):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{dashboard_url}/compare")
        page.get_by_role("heading", name="Compare jurisdictions").first.wait_for(timeout=60_000)
        page.wait_for_function(
            "Array.from(document.querySelectorAll('style'))"
            ".some(s => s.textContent.includes('#1658d6'))",
            timeout=30_000,
        )
        link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Access gaps")
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
        style = link.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth,"
            " s.outlineColor]; }"
        )
        assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 3, style
        current = page.locator('[data-testid="stSidebarNav"] a').filter(
            has_text="Compare jurisdictions"
        )
        assert current.evaluate("e => getComputedStyle(e).outlineStyle") in ("none", "")
    finally:
        page.close()


def test_the_finder_on_a_phone(browser, dashboard_url):
    page = browser.new_page(viewport={"width": 400, "height": 900})
    try:
        page.goto(f"{dashboard_url}/")
        page.get_by_role("link", name="Find naloxone near you").first.wait_for(timeout=60_000)
        page.goto(f"{dashboard_url}/find?q=21532")
        status = page.locator('[role="status"].md-finder-status')
        status.first.wait_for(state="attached", timeout=60_000)
        assert status.first.get_attribute("aria-live") == "polite"
        assert "places found nearest to ZIP code 21532" in status.first.inner_text()
        frame = map_frame(page)
        frame.wait_for_function(
            "document.querySelector('.leaflet-control-scale') && "
            "document.querySelector('.leaflet-control-attribution')",
            timeout=60_000,
        )
        page.locator("iframe").first.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        boxes = frame.evaluate(
            """() => ['.leaflet-control-scale', '.leaflet-control-attribution'].map(s => {
                const r = document.querySelector(s).getBoundingClientRect();
                return [r.left, r.right, r.top, r.bottom]; })"""
        )
        scale, credits = boxes
        apart = (
            scale[1] <= credits[0]
            or credits[1] <= scale[0]
            or scale[3] <= credits[2]
            or credits[3] <= scale[2]
        )
        assert apart, boxes
        title = frame.evaluate(
            "document.querySelector('.leaflet-container').getAttribute('aria-label') || "
            "document.querySelector('.leaflet-container').getAttribute('title') || ''"
        )
        assert "21532" in title, title
        page.locator("iframe").first.screenshot(
            path=str(screenshot_dir() / "finder-map-phone-400px.png")
        )
    finally:
        page.close()
