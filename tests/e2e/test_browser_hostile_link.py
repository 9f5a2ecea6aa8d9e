"""In real headless Chromium: the crafted link that broke every page (``?k=²``, with
other Unicode digits and a control character) opens the page, with a toast saying what
was ignored and no exception box."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.browser import screenshot_dir

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path, heading",
    [("access-gaps", "Access gaps"), ("find", "Find naloxone")],
)
def test_unicode_digits_in_the_link_open_the_page(browser, dashboard_url, path, heading):
    query = "&".join(
        f"{key}={quote(value, safe='')}"
        for key, value in (("k", "²"), ("r", "١٠"), ("focus", "２４００１"), ("q", "21550\x00"))
    )
    for width in (1400, 400):
        context = browser.new_context(viewport={"width": width, "height": 1000})
        page = context.new_page()
        try:
            page.goto(f"{dashboard_url}/{path}?{query}")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
            toasts = page.locator('[data-testid="stToast"]')
            toasts.first.wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(screenshot_dir() / f"hostile-link-{path}-{width}.png"))
            shown = " ".join(toasts.all_inner_texts())
            assert "ignored k in the link" in shown, shown
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in page.content()
            assert "k=" not in page.url and "q=" not in page.url  # dropped from the link
        finally:
            context.close()
