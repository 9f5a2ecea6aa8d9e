"""Names on the overview map in headless Chromium: jurisdictions and main towns show, a
focus link opens on the focus with its name in full, and the names add no Tab stops."""

from __future__ import annotations

import pytest

from tests.support.browser import map_frame, screenshot_dir

pytestmark = pytest.mark.browser

LABELS_JS = """() => Array.from(document.querySelectorAll('.md-label')).map(e => [
    e.className.replace('leaflet-marker-icon', '').trim(), e.textContent,
    e.tabIndex, getComputedStyle(e).pointerEvents])"""


def open_overview(browser, url: str, width: int, query: str = ""):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{url}/{query}")
    page.get_by_role("heading", name="Naloxone access in").first.wait_for(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function("document.querySelectorAll('.md-label').length > 5", timeout=60_000)
    return page, frame


@pytest.mark.parametrize("width", [1400, 400])
def test_overview_map_shows_names_that_are_no_tab_stops(browser, dashboard_url, width):
    page, frame = open_overview(browser, dashboard_url, width)
    labels = frame.evaluate(LABELS_JS)
    texts = {text for _, text, _, _ in labels}
    kinds = [kind for kind, _, _, _ in labels]
    assert sum("md-label-jurisdiction" in k for k in kinds) >= 3
    if width == 1400:
        assert {"Garrett", "Worcester"} <= texts and "Baltimore" in texts
    assert all(tab < 0 for _, _, tab, _ in labels), "names are not keyboard stops"
    assert all(events == "none" for *_, events in labels), "names never take a click"
    focusable = frame.evaluate(
        "document.querySelectorAll('.leaflet-marker-icon[tabindex]:not([tabindex=\"-1\"])').length"
    )
    assert focusable == 0
    page.locator("iframe").first.screenshot(
        path=str(screenshot_dir() / f"overview-map-labels-{width}px.png")
    )
    page.close()


def test_a_focus_link_opens_on_the_focus_named_in_full(browser, dashboard_url):
    page, frame = open_overview(browser, dashboard_url, 1400, "?focus=24023")
    frame.wait_for_function(
        "Array.from(document.querySelectorAll('.md-label-focus')).some("
        "e => e.textContent === 'Garrett County')",
        timeout=60_000,
    )
    # Oakland is named from zoom 9 on: there only once the map has zoomed to Garrett
    frame.wait_for_function(
        "Array.from(document.querySelectorAll('.md-label-town')).some("
        "e => e.textContent === 'Oakland')",
        timeout=60_000,
    )
    texts = {text for _, text, _, _ in frame.evaluate(LABELS_JS)}
    assert "Mountain Lake Park" in texts, "the focus's own towns may stand close together"
    page.close()


LEGEND_AND_OAKLAND_JS = """() => {
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    const legend = document.querySelector('details.md-legend');
    const town = Array.from(document.querySelectorAll('.md-label-town span'))
        .find(e => e.textContent === 'Oakland');
    const map = document.querySelector('.leaflet-container');
    return {legend: box(legend.getBoundingClientRect()),
            oakland: town ? box(town.getBoundingClientRect()) : null,
            map: box(map.getBoundingClientRect())};
}"""


@pytest.mark.parametrize("width", [1400, 400])
@pytest.mark.parametrize("path", ["", "leave-behind"])
def test_the_legend_never_covers_the_focus_towns(browser, dashboard_url, path, width):
    """Issue 28, item 2: with Garrett focused the legend (bottom left) covered Oakland,
    whose label read "akland", on the Overview and EMS leave-behind maps. The map now
    opens on the focus with the legend's corner kept clear."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{dashboard_url}/{path}?focus=24023")
        frame = map_frame(page)
        frame.wait_for_function(
            "Array.from(document.querySelectorAll('.md-label-town')).some("
            "e => e.textContent === 'Oakland')",
            timeout=60_000,
        )
        page.wait_for_timeout(1000)  # the frame settles its size; the map refits
        seen = frame.evaluate(LEGEND_AND_OAKLAND_JS)
        legend, oakland, whole = seen["legend"], seen["oakland"], seen["map"]
        assert oakland is not None
        assert oakland["left"] >= whole["left"] and oakland["right"] <= whole["right"]
        assert oakland["top"] >= whole["top"] and oakland["bottom"] <= whole["bottom"]
        apart = (
            oakland["right"] <= legend["left"]
            or oakland["left"] >= legend["right"]
            or oakland["bottom"] <= legend["top"]
            or oakland["top"] >= legend["bottom"]
        )
        assert apart, (legend, oakland)
        page.locator("iframe").first.screenshot(
            path=str(screenshot_dir() / f"focus-legend-{path or 'overview'}-{width}px.png")
        )
    finally:
        page.close()
