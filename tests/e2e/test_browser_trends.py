"""In real headless Chromium at 1400 and 400 px: Compare shows the overdose trend charts
(issue 26.3) as one image that fits the page, with its key and its download, and the
gap-measure choice offers the no-vehicle and rurality measures."""

from __future__ import annotations

import pytest

from tests.support.browser import screenshot_dir

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1400, 400])
def test_compare_trends_fit_and_read(browser, dashboard_url, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/compare?focus=24023&compare=24023,24001,24043,24510")
        heading = page.get_by_text("Overdose death rates over time", exact=True)
        heading.wait_for(timeout=90_000)
        heading.scroll_into_view_if_needed()
        focus_chart = page.locator('[data-testid="stVegaLiteChart"]').filter(
            has_text="Garrett, modelled"
        )
        focus_chart.wait_for(timeout=60_000)
        focus_chart.scroll_into_view_if_needed()
        inside = focus_chart.evaluate(
            """chart => {
            const box = chart.getBoundingClientRect();
            return Array.from(chart.querySelectorAll('svg text')).filter(t => t.textContent)
                .filter(t => { const r = t.getBoundingClientRect();
                    return r.left < box.left - 4 || r.right > box.right + 4; })
                .map(t => t.textContent);
        }"""
        )
        page.screenshot(path=str(screenshot_dir() / f"compare-trend-focus-{width}.png"))
        assert not inside, f"cut off in the focus trend chart: {inside}"
        for label in ("Maryland, modelled", "Garrett, CDC WONDER"):
            assert focus_chart.locator("svg text", has_text=label).count() == 1
        page.screenshot(path=str(screenshot_dir() / f"compare-trend-focus-{width}.png"))
        image = page.locator('[data-testid="stImage"] img').last
        image.wait_for(timeout=60_000)
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert natural[0] > 300 and natural[1] > 200
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        assert box["width"] >= min(width - 80, 600)  # readable, never a thumbnail
        body = page.inner_text("body")
        assert "never joined" in body and "not a count" in body
        assert "16.3 per 100,000 in 2014" in body
        assert page.get_by_role("button", name="Download the trend data (CSV)").count() == 1
        page.screenshot(path=str(screenshot_dir() / f"compare-trends-{width}.png"), full_page=False)
        page.get_by_text(
            "Gap measure (ranks and the access-gap column)"
        ).scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / f"compare-gap-{width}.png"), full_page=False)
    finally:
        context.close()
