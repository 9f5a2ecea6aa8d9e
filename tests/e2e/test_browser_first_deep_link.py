"""The first request after the server starts may be a deep link: it opens its page and
view directly, with no "Page not found" on the way (headless Chromium, fresh server)."""

from __future__ import annotations

import time

import pytest

from tests.support.browser import running_dashboard

pytestmark = pytest.mark.browser


def test_the_first_deep_link_opens_without_page_not_found(browser):
    with running_dashboard() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/compare?focus=24001")
        seen_not_found = False
        deadline = time.monotonic() + 60
        heading = page.get_by_role("heading", name="Compare jurisdictions")
        while time.monotonic() < deadline:
            seen_not_found = seen_not_found or page.get_by_text("Page not found").count() > 0
            if heading.count():
                break
            page.wait_for_timeout(50)
        assert heading.count(), "the linked page opened"
        page.wait_for_timeout(1000)
        seen_not_found = seen_not_found or page.get_by_text("Page not found").count() > 0
        assert not seen_not_found
        assert "focus=24001" in page.url
        page.close()
