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
