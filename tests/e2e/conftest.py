"""Shared by the end-to-end tests: Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import os

import pytest

from tests.support.browser import CHROMIUM_ARGS, chromium_path, warmed_dashboard


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (no browser download: Debian's package)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def dashboard_url(browser):
    """A dashboard on a free loopback port for this test module, deep links ready."""
    with warmed_dashboard(browser) as url:
        yield url
