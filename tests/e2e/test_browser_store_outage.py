"""In headless Chromium: with the store unreachable (a PostgreSQL URL with a password
and nothing listening), damaged, or half-damaged (its revision counter reads but its
records do not), Overview shows the bundled data with a notice, no
traceback, and the store's password and user appear nowhere in the page."""

from __future__ import annotations

import pytest

from geo.config import REPO_ROOT
from geo.data import layers
from geo.local.store import Store
from geo.render import formatting
from shell.common import STORE_NOTICE
from tests.support.browser import (
    free_port,
    running_dashboard,
    screenshot_dir,
)
from tests.support.damage import damage_history_pages, stocked

pytestmark = pytest.mark.browser

PASSWORD = "hunter2"
USER = "ops_admin"


@pytest.mark.parametrize(
    "broken", ["unreachable postgresql", "corrupt sqlite", "half-damaged sqlite"]
)
def test_overview_shows_public_data_and_a_notice_while_the_store_is_down(browser, tmp_path, broken):
    if broken == "corrupt sqlite":
        location = tmp_path / "store.sqlite"
        location.write_bytes(b"this is not a database " * 200)
        store = str(location)
    elif broken == "half-damaged sqlite":  # the revision reads, the records do not
        location = tmp_path / "store.sqlite"
        stocked(Store(str(location)))
        damage_history_pages(location)
        store = str(location)
    else:
        store = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{free_port()}/naloxone"
    sites = layers.load_sites()
    listed = formatting.count(int((~sites["closed"]).sum()))  # closed listings are not counted
    with running_dashboard(env={"NALOXONE_STORE": store}) as dashboard:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{dashboard}/")
        page.get_by_role("heading", name="Naloxone access in Maryland").first.wait_for(
            timeout=60_000
        )
        page.get_by_text(STORE_NOTICE).first.wait_for(timeout=60_000)
        page.get_by_text("Listed access points").first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        text = page.inner_text("body")
        html = page.content()
        name = broken.replace(" ", "-")
        page.screenshot(
            path=str(screenshot_dir() / f"overview-store-down-{name}.png"), full_page=True
        )
        page.close()
    server_log = (
        REPO_ROOT / "artifacts" / f"streamlit-{dashboard.rsplit(':', 1)[1]}.log"
    ).read_text()
    assert listed in text
    for failure in ("Traceback", "OperationalError", "DatabaseError", "StoreUnavailable"):
        assert failure not in text
    assert text.count(STORE_NOTICE) == 1
    assert "local-updates store" in server_log, "the failure is logged, masked"
    for secret in (PASSWORD, USER):
        assert secret not in text and secret not in html and secret not in server_log
