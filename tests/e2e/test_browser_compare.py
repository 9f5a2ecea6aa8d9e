"""In real headless Chromium at 1400 and 400 px: the Compare chart names all 24
jurisdictions with every label inside the chart, and its PNG and SVG downloads arrive
(issue 12, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.data import layers
from tests.support.browser import screenshot_dir

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"]'


@pytest.mark.parametrize("width", [1400, 400])
def test_compare_chart_labels_all_24_and_downloads(browser, dashboard_url, width):
    names = set(layers.load_jurisdictions()["full_name"])
    context = browser.new_context(viewport={"width": width, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/compare?focus=24023&unit=km&r=8&chart=mean_distance_km")
        chart = page.locator(CHART).first
        chart.wait_for(timeout=60_000)
        page.locator(f"{CHART} svg text", has_text="Garrett County").first.wait_for(timeout=30_000)
        chart.scroll_into_view_if_needed()
        labels = page.evaluate(
            """(selector) => {
            const chart = document.querySelector(selector);
            const box = chart.getBoundingClientRect();
            return Array.from(chart.querySelectorAll('svg text')).map(t => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, weight: t.getAttribute('font-weight'),
                        inside: r.left >= box.left - 1 && r.right <= box.right + 1
                                && r.width > 0};
            });
        }""",
            CHART,
        )
        shown = {label["text"]: label for label in labels}
        assert names <= set(shown), names - set(shown)
        assert all(shown[name]["inside"] for name in names), "a name is cut off"
        assert any(text.startswith("Maryland ") for text in shown)
        bold = {name for name in names if shown[name]["weight"] == "bold"}
        assert bold == {"Garrett County"}, bold
        assert shown["Focus: Garrett County"]["inside"]
        assert shown["Other jurisdictions"]["inside"]
        assert "Mean distance to nearest site (km)" in shown
        assert not any("mile" in text.lower() for text in shown)
        chart.screenshot(path=str(screenshot_dir() / f"compare-chart-{width}.png"))

        for label, suffix in (("Chart (PNG)", ".png"), ("Chart (SVG)", ".svg")):
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name=label).click()
            download = info.value
            assert download.suggested_filename == f"md-compare-mean_distance_km{suffix}"
            data = Path(download.path()).read_bytes()
            if suffix == ".png":
                assert data.startswith(b"\x89PNG")
            else:
                text = data.decode()
                assert "Garrett County" in text and "Baltimore City" in text
    finally:
        context.close()


#: Jurisdictions picked with the Compare multiselect (typed, then Enter); Garrett is the
#: focus and is always compared.
PICKS = ["Garrett", "Allegany", "Calvert", "Charles", "Howard", "Kent", "Somerset", "Talbot"]

LABEL_BOXES_JS = """(selector) => {
    const chart = document.querySelector(selector);
    const box = chart.getBoundingClientRect();
    const texts = Array.from(chart.querySelectorAll('svg text'))
        .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map(t => { const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right, top: r.top,
                    bottom: r.bottom}; });
    const bars = Array.from(chart.querySelectorAll('svg .mark-rect path'))
        .map(p => p.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0)
        .map(r => ({top: r.top, bottom: r.bottom, height: r.height}));
    return {texts, bars, box: {left: box.left, right: box.right, top: box.top,
                               bottom: box.bottom}};
}"""


def _overlap(a: dict, b: dict) -> bool:
    """Two label boxes overlap by more than half a pixel each way."""
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


@pytest.mark.parametrize(("count", "width"), [(1, 1400), (2, 400), (4, 1400), (8, 400), (24, 1400)])
def test_compare_subset_one_bar_each_no_label_overlaps(browser, dashboard_url, count, width):
    """Issue 28, item 1: with 2 selected the bars vanished, with 3-8 the chart shrank to a
    line and names printed over each other, and the table did not mark the focus. With
    1, 2, 4, 8 and all 24: one readable bar per jurisdiction, no two label boxes overlap,
    every label inside the chart, and the plain table marks Garrett as the focus."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/compare?focus=24023&chart=sites_per_100k")
        page.locator(CHART).first.wait_for(timeout=60_000)
        page.locator(f"{CHART} svg text", has_text="Garrett County").first.wait_for(timeout=30_000)
        if count < 24:
            box = page.locator('[data-testid="stMultiSelect"]').filter(
                has_text="Jurisdictions to compare"
            )
            for name in PICKS[:count]:
                box.locator("input").click()
                page.keyboard.type(name)
                page.keyboard.press("Enter")
                box.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
            page.keyboard.press("Escape")
            expected = count
            page.wait_for_function(
                """([selector, n]) => document.querySelectorAll(
                    selector + ' svg .mark-rect path').length === n""",
                arg=[CHART, expected],
                timeout=60_000,
            )
        chart = page.locator(CHART).first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        seen = page.evaluate(LABEL_BOXES_JS, CHART)
        bars = seen["bars"]
        assert len(bars) == count, len(bars)
        assert all(bar["height"] >= 12 for bar in bars), bars  # a bar, not a hairline
        for i, a in enumerate(bars):  # bars stacked, not drawn over each other
            for b in bars[i + 1 :]:
                assert min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) <= 0.5
        frame = seen["box"]
        texts = list(  # a value and its white halo drawn under it count once
            {(t["text"], round(t["left"]), round(t["top"])): t for t in seen["texts"]}.values()
        )
        for text in texts:
            assert text["left"] >= frame["left"] - 1 and text["right"] <= frame["right"] + 1
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert not _overlap(a, b), f"{a['text']!r} overlaps {b['text']!r}"
        chart.screenshot(path=str(screenshot_dir() / f"compare-{count}-of-24-{width}.png"))
        page.get_by_text("Comparison table: as a plain table").first.click()
        plain = page.locator("table.plain-table").first
        plain.wait_for(timeout=30_000)
        assert "Garrett (focus)" in plain.inner_text()
        assert plain.locator("tbody tr").count() == count + 1  # and the Maryland row
    finally:
        context.close()
