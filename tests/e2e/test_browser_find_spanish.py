"""The Spanish finder in headless Chromium at phone width (issue 27.4) with the getting-
there links (27.2): no sideways scroll, the directions and phone links reachable by the
Tab key, the directions link leaving for openstreetmap.org in a new tab, the language
switch, the handout button."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import screenshot_dir

pytestmark = pytest.mark.browser


def _open(browser, url: str, width: int, query: str):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/find?{query}")
    page.get_by_text("Garrett County Health Department").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    return context, page


def test_spanish_finder_at_400_px(browser, dashboard_url):
    context, page = _open(browser, dashboard_url, 400, "q=21550&lang=es")
    try:
        assert page.get_by_role("heading", name="Encuentre naloxona").count()
        assert page.get_by_text("Llame antes de ir").count()
        assert page.get_by_text("Aprenda a usar la naloxona, gratis").count()
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1] + 1, width
        directions = page.get_by_role("link", name="Cómo llegar a pie ↗")
        assert directions.count() == 5
        first = directions.first
        href = first.get_attribute("href")
        route = parse_qs(urlsplit(href).query)["route"][0].split(";")
        assert urlsplit(href).netloc == "www.openstreetmap.org" and len(route) == 2
        assert first.get_attribute("target") == "_blank"  # leaves the dashboard, new tab
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 401
        # keyboard: Tab from the phone link of the first site reaches its directions link
        page.locator('a[href^="tel:"]').first.focus()
        for _ in range(3):
            if page.evaluate("() => document.activeElement.href || ''").startswith(
                "https://www.openstreetmap.org/directions"
            ):
                break
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.href").startswith(
            "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
        )
        handout = page.get_by_role("button", name="Hoja informativa en PDF (A4)")
        handout.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("heading", name="Encuentre naloxona").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / "find-es-400-top.png"))
        page.get_by_text("Aprenda a usar la naloxona, gratis").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / "find-es-400-learn.png"))
        handout.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir() / "find-es-400-handout.png"))
    finally:
        context.close()


def test_the_language_switch_at_1400_px(browser, dashboard_url):
    context, page = _open(browser, dashboard_url, 1400, "q=21550")
    try:
        assert page.get_by_role("heading", name="Find naloxone").count()
        page.get_by_role("radio", name="Español").click()  # a radio group of two
        page.get_by_role("heading", name="Encuentre naloxona").wait_for(timeout=30_000)
        assert "lang=es" in page.url
        page.get_by_text("Garrett County Health Department").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(screenshot_dir() / "find-es-1400.png"), full_page=True)
    finally:
        context.close()


def test_a_bad_link_and_a_map_popup_in_spanish(browser, dashboard_url):
    """Issue 27.4 as a person sees it: a damaged link's toasts, then a site's popup on the
    map (header rows, the type, how old the evidence is, the call-ahead line) in Spanish."""
    from geo.analysis import metrics
    from geo.analysis.finder import Finder
    from tests.support.browser import click_marker, map_frame
    from tests.support.english import data_values, english_left, english_msgids_left

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/find?q=21201&lang=es&k=99&r=-3&types=pharmacy,bakery")
        toasts = page.locator('[data-testid="stToast"]')
        toasts.first.wait_for(timeout=60_000)
        said = "\n".join(toasts.all_inner_texts())
        assert "Enlace: se ignoró k del enlace" in said and "Enlace: se ignoró el radio" in said
        assert english_left(said, ["k"]) == [] and english_msgids_left(said) == []
        page.screenshot(path=str(screenshot_dir() / "find-es-1400-bad-link.png"))
        page.get_by_role("heading", name="Encuentre naloxona").wait_for(timeout=30_000)
        frame = map_frame(page)
        frame.wait_for_function(
            "document.querySelectorAll('path.leaflet-interactive').length > 3", timeout=60_000
        )
        page.locator("iframe").first.scroll_into_view_if_needed()
        click_marker(frame, 1)  # the last drawn: a site (the searched point is drawn first)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        text = popup.inner_text()
        assert "Nombre" in text and "Tipo" in text and "Fuente" in text and "A fecha de" in text
        assert "Llame antes de ir" in text
        data = metrics.load_access_data()
        result = Finder.from_data(data).find("21201", 5, ["pharmacy"])
        numbered = [f"{i}. {n}" for i, n in enumerate(result.results["name"], 1)]
        values = data_values(
            result.results, extra=[*numbered, "OpenStreetMap", "GeoNames", "CC BY"]
        )
        assert english_left(text, values) == [] and english_msgids_left(text, values) == []
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot_dir() / "find-es-1400-popup.png"))
    finally:
        context.close()
