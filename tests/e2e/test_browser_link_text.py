"""In real headless Chromium: a link's query values are never rendered as Markdown, so a
crafted link cannot make the visitor's browser fetch an image (or show a link) from
another host."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.browser import running_dashboard, screenshot_dir

pytestmark = pytest.mark.browser

TRACKER = "http://127.0.0.1:9/track.png"  # port 9 (discard): nothing should ever ask it


def test_markdown_in_the_focus_value_is_not_rendered(browser):
    with running_dashboard() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        try:
            value = f"![t]({TRACKER})"
            page.goto(f"{url}/?focus={quote(value, safe='')}&types={quote(value, safe='')}")
            page.get_by_role("heading", name="Naloxone access in Maryland").first.wait_for(
                timeout=60_000
            )
            toasts = page.locator('[data-testid="stToast"]')
            toasts.first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(screenshot_dir() / "link-with-markdown.png"))
            assert not [r for r in requests if "127.0.0.1:9/" in r], requests
            assert page.locator('img[src*="track.png"]').count() == 0
            assert page.locator('a[href*="127.0.0.1:9"]').count() == 0
            shown = " ".join(toasts.all_inner_texts())
            assert "the focus jurisdiction in the link is not known" in shown, shown
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()
