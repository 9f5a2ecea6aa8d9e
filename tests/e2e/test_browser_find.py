"""The Find naloxone page in headless Chromium: a link reopens the search, the list comes
before the map, phones are links reachable by keyboard, nothing scrolls sideways at
400 px, and a map click searches from the clicked point."""

from __future__ import annotations

import pytest

from tests.support.browser import container_point, map_frame, screenshot_dir

pytestmark = pytest.mark.browser
#: Points in Garrett County near the ZIP 21550 searched; the click goes to the first one
#: drawn on the map with no marker on it.
GARRETT_POINTS = [
    (39.4300, -79.3800),
    (39.4700, -79.3000),
    (39.3800, -79.2500),
    (39.5000, -79.4200),
    (39.3500, -79.4500),
]


def _open(browser, url: str, width: int):
    """The page for ``/find?q=21550`` at ``width`` px, once its map has drawn the sites."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/find?q=21550")
    page.get_by_text("Garrett County Health Department").first.wait_for(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 6", timeout=60_000
    )
    page.wait_for_timeout(1000)
    return context, page, frame


def test_phone_width_list_before_map_no_sideways_scroll(browser, dashboard_url):
    context, page, _ = _open(browser, dashboard_url, 400)
    try:
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert overflow[0] <= overflow[1] + 1, overflow
        listing = page.get_by_text("Garrett County Health Department").first.bounding_box()
        map_box = page.locator("iframe").last.bounding_box()
        assert listing["y"] < map_box["y"]
        assert map_box["x"] >= 0 and map_box["x"] + map_box["width"] <= 401
        # the first listed phone: the nearest site (since issue 24 an NPPES pharmacy
        # at the 21550 ZIP centre), then the health department's
        phone = page.locator('a[href="tel:+13013347700"]').first
        phone.focus()
        assert (
            page.evaluate("() => document.activeElement.getAttribute('href')") == "tel:+13013347700"
        )
        assert page.get_by_text("Call ahead: a listing is not confirmed stock.").count()
        assert page.get_by_text("Place names © GeoNames, CC BY 4.0").count()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(screenshot_dir() / "find-400.png"), full_page=True)
    finally:
        context.close()


def _open_ground(frame) -> tuple[float, float]:
    """Where to click on the map for a point in Maryland that no site marker covers (the
    county polygon under it passes the click to the map)."""
    box = frame.locator(".leaflet-container").bounding_box()
    for lat, lon in GARRETT_POINTS:
        x, y = container_point(frame, lat, lon)
        if (
            10 < x < box["width"] - 10
            and 10 < y < box["height"] - 10
            and frame.evaluate(
                r"""([x, y]) => {
                    const r = document.querySelector('.leaflet-container').getBoundingClientRect();
                    const hit = document.elementFromPoint(x + r.left, y + r.top);
                    return !/a\d/.test(hit.getAttribute('d') || '');  // a circle: a site
                }""",
                [x, y],
            )
        ):
            return x, y
    raise AssertionError("every candidate point is covered or off the map")


def test_wide_page_and_a_map_click_searches_from_the_point(browser, dashboard_url):
    context, page, frame = _open(browser, dashboard_url, 1400)
    try:
        page.screenshot(path=str(screenshot_dir() / "find-1400.png"), full_page=True)
        x, y = _open_ground(frame)
        frame.locator(".leaflet-container").click(position={"x": x, "y": y})
        page.wait_for_function(
            "() => /q=3[89]\\.\\d+%2C-7\\d\\.\\d+/.test(location.search)", timeout=30_000
        )
        heading = page.get_by_role("heading", name="Nearest to").first
        try:  # the rerun after the click redraws the list and the map: as long as a page load
            heading.wait_for(timeout=60_000)
        except Exception as exc:
            raise AssertionError(
                "no results after the map click; the page said: " + page.inner_text("body")[-800:]
            ) from exc
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
