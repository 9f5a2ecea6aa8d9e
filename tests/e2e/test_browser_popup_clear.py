"""A popup opened near the top of a phone-wide map is whole and readable (headless
Chromium, 400 px): inside the map, clear of the legend box (the Spanish finder, whose
legend title is longest), of an exported map's title box and of Leaflet's controls, its
content held to about 35 % of the map's height and scrolling inside; Escape closes it
and the map keeps focus (a tapped marker had kept it, so Escape did nothing).

Before the fix the popup ran under the folded legend (finder) and under the title box
(exported map), and its height cap was the stylesheet's 35vh, never checked."""

from __future__ import annotations

import pytest

from geo.render.map_controls import POPUP_HEIGHT_SHARE
from tests.support.browser import LEAFLET_MAP_JS, map_frame, screenshot_dir

pytestmark = pytest.mark.browser

MEASURE_JS = """() => {
    const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
    const box = node => {
        const r = node.getBoundingClientRect();
        return [r.left - frame.left, r.top - frame.top, r.right - frame.left,
                r.bottom - frame.top];
    };
    const popup = document.querySelector('.leaflet-popup');
    const content = document.querySelector('.leaflet-popup-content');
    return {
        map: [frame.width, frame.height],
        popup: popup ? box(popup) : null,
        overlays: Array.from(document.querySelectorAll(
                'details.md-legend, .md-map-title, .leaflet-control-container .leaflet-control'))
            .map(box).filter(b => b[2] > b[0] && b[3] > b[1]),
        content: content ? [content.offsetHeight, content.scrollHeight, content.clientHeight,
                            getComputedStyle(content).overflowY] : null,
    };
}"""


def click_a_marker_below(frame, page_offset: tuple[float, float]) -> None:
    """Pan the map so its last-drawn marker sits just below the lowest box at the top (the
    legend or title), under that box's middle, then click it as a person would."""
    point = frame.evaluate(
        f"""() => {{
        const map = {LEAFLET_MAP_JS};
        const frame = map.getContainer().getBoundingClientRect();
        const tops = Array.from(document.querySelectorAll('details.md-legend, .md-map-title'))
            .map(n => n.getBoundingClientRect())
            .filter(r => r.height && (r.top + r.bottom) / 2 - frame.top < frame.height / 2);
        const below = tops.reduce((r, b) => b.bottom > r.bottom ? b : r);
        const paths = document.querySelectorAll('path.leaflet-interactive');
        const marker = paths[paths.length - 1].getBoundingClientRect();
        const x = (marker.left + marker.right) / 2, y = (marker.top + marker.bottom) / 2;
        const toX = (below.left + below.right) / 2, toY = below.bottom + 14;
        map.panBy([x - toX, y - toY], {{animate: false}});
        return [toX, toY];
    }}"""
    )
    frame.page.mouse.click(page_offset[0] + point[0], page_offset[1] + point[1])
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    frame.page.wait_for_timeout(800)  # autoPan's animation


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_whole_and_clear(seen: dict, phone: bool) -> None:
    width, height = seen["map"]
    left, top, right, bottom = seen["popup"]
    assert left >= 0 and top >= 0 and right <= width and bottom <= height, seen
    for box in seen["overlays"]:
        assert not intersects(seen["popup"], box), seen
    shown, full, inner, overflow = seen["content"]
    assert shown <= (POPUP_HEIGHT_SHARE if phone else 1.0) * height + 1, seen
    if full > inner + 1:  # taller than its cap: it scrolls inside
        assert overflow in ("auto", "scroll"), seen


def assert_escape_closes(frame) -> None:
    assert frame.evaluate(f"() => document.activeElement === ({LEAFLET_MAP_JS}).getContainer()")
    frame.page.keyboard.press("Escape")
    frame.locator(".leaflet-popup").wait_for(state="detached", timeout=5_000)
    assert frame.evaluate(f"() => document.activeElement === ({LEAFLET_MAP_JS}).getContainer()")


@pytest.mark.parametrize("width", [400, 1400])
def test_a_popup_on_the_spanish_finder_map(browser, dashboard_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/find?q=21550&lang=es")
        page.get_by_text("Garrett County Health Department").first.wait_for(timeout=60_000)
        frame = map_frame(page)
        frame.wait_for_function(
            "document.querySelectorAll('path.leaflet-interactive').length > 3", timeout=60_000
        )
        iframe = page.locator("iframe").first
        iframe.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)  # the frame settles to its width
        box = iframe.bounding_box()
        click_a_marker_below(frame, (box["x"], box["y"]))
        seen = frame.evaluate(MEASURE_JS)
        page.screenshot(path=str(screenshot_dir() / f"popup-find-es-{width}.png"))
        assert "Llame antes de ir" in frame.locator(".leaflet-popup-content").inner_text()
        assert_whole_and_clear(seen, width < 600)
        assert_escape_closes(frame)
    finally:
        context.close()


@pytest.fixture(scope="module")
def exported_map(tmp_path_factory):
    from geo.analysis import metrics
    from geo.analysis.scenario import Scenario
    from geo.render import map_exports

    scenario = Scenario.from_data(metrics.load_access_data(), radius_m=8000.0)
    path = tmp_path_factory.mktemp("export") / "naloxone-sites.html"
    path.write_bytes(map_exports.scenario_export(scenario, "overview", None).render("html"))
    return path


@pytest.mark.parametrize("width", [400, 1400])
def test_a_popup_on_an_exported_map(browser, exported_map, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(exported_map.as_uri())
        page.locator(".md-map-title").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        click_a_marker_below(page.main_frame, (0.0, 0.0))
        seen = page.evaluate(MEASURE_JS)
        page.screenshot(path=str(screenshot_dir() / f"popup-export-{width}.png"))
        assert_whole_and_clear(seen, width < 600)
        assert_escape_closes(page.main_frame)
    finally:
        context.close()
