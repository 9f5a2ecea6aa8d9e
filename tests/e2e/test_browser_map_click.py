"""A click on the Access gaps map is recorded where it was made, at any scroll position
and window size, with the map partly below the bottom of the window (headless Chromium).

Before the fix, Leaflet focused the map on mousedown, which scrolled the page to show the
whole frame before the click arrived: a click on Garrett at (39.55, -79.30) was recorded
as (39.29, -79.30)."""

from __future__ import annotations

import math
import re

import pytest

from tests.support.browser import LEAFLET_MAP_JS, map_frame

pytestmark = pytest.mark.browser

TARGET = (39.5500, -79.3000)  # Garrett County
ZOOM = 15  # about 3.7 m a pixel here: "a few metres" can be told apart
TOLERANCE_M = 5.0
MAP_JS = LEAFLET_MAP_JS


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    return math.hypot((a[0] - b[0]) * 111_320, (a[1] - b[1]) * 111_320 * math.cos(lat))


def scroll_page_by(page, pixels: int) -> None:
    """Scroll the dashboard's scrolling container (not the map) by ``pixels``."""
    page.evaluate(
        """(pixels) => {
        let node = document.querySelector('iframe');
        while (node && !(node.scrollHeight > node.clientHeight
                         && /(auto|scroll)/.test(getComputedStyle(node).overflowY))) {
            node = node.parentElement;
        }
        (node || document.scrollingElement).scrollTop += pixels;
    }""",
        pixels,
    )


@pytest.mark.parametrize(
    "width, height, scroll",
    [
        (1400, 700, 0),
        (1400, 700, 200),
        (1400, 500, 300),
        (1400, 900, 0),
        (400, 800, 300),
    ],
    ids=lambda value: str(value),
)
def test_a_click_is_recorded_where_it_was_made(browser, dashboard_url, width, height, scroll):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{dashboard_url}/access-gaps")
    page.get_by_role("heading", name="Access gaps").first.wait_for(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length > 1400", timeout=60_000
    )
    page.wait_for_timeout(1000)  # the frame settles to its width
    # the target near the top of the map, so the map's lower part runs off the window
    frame.evaluate(
        f"""([lat, lon, zoom]) => {{
        const map = {MAP_JS};
        window.recorded = [];
        map.on('click', e => window.recorded.push([e.latlng.lat, e.latlng.lng]));
        map.setView([lat, lon], zoom, {{animate: false}});
        map.panBy([0, map.getSize().y / 2 - 120], {{animate: false}});
    }}""",
        [*TARGET, ZOOM],
    )
    scroll_page_by(page, scroll)
    page.wait_for_timeout(300)
    frame_box = page.locator("iframe").first.bounding_box()
    assert frame_box["y"] + frame_box["height"] > height, "the map runs past the window"
    point = frame.evaluate(
        f"""([lat, lon]) => {{
        const map = {MAP_JS};
        const p = map.latLngToContainerPoint([lat, lon]);
        const r = map.getContainer().getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }}""",
        list(TARGET),
    )
    x, y = frame_box["x"] + point[0], frame_box["y"] + point[1]
    assert 0 < y < height, "the target is on screen"
    page.mouse.click(x, y)
    button = page.get_by_role("button", name=re.compile("Add a site at the clicked point"))
    button.wait_for(timeout=30_000)
    recorded = frame.evaluate("window.recorded")
    assert len(recorded) == 1, (
        button.inner_text(),
        point,
        frame_box,
        frame.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).outerHTML.slice(0, 200)", point
        ),
    )
    assert metres_between(tuple(recorded[0]), TARGET) < TOLERANCE_M, recorded
    assert f"({TARGET[0]:.4f}, {TARGET[1]:.4f})" in button.inner_text()
    page.close()
