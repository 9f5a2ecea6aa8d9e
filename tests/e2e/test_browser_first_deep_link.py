"""The first request after a server starts may be a deep link (issue 13).

Streamlit treats a ``pages/`` folder beside the entry script as a legacy multipage app
until ``st.navigation`` has run once in the process; each script in ``pages/`` is then a
route that runs the dashboard (``shell.frame.run_page``). Each case starts its
own server so the link really is that server's first request.
"""

from __future__ import annotations

import pytest

from tests.support.browser import running_dashboard

pytestmark = pytest.mark.browser

CASES = [
    ("compare?unit=km&focus=24023", "Compare jurisdictions", "km"),
    ("access-gaps?focus=24023", "Access gaps", "Garrett"),
    ("leave-behind", "EMS naloxone leave-behind", "leave-behind"),
]


@pytest.mark.parametrize("link, heading, expected", CASES, ids=[c[0].split("?")[0] for c in CASES])
def test_first_request_deep_link_opens_the_page(browser, link, heading, expected):
    with running_dashboard() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/{link}")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
        page.wait_for_function(
            "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
        )
        body = page.inner_text("body")
        final_url = page.url
        page.close()
    assert "Page not found" not in body
    assert final_url.split("?")[0].endswith("/" + link.split("?")[0])
    assert expected in body
    for query in link.partition("?")[2].split("&") if "?" in link else ():
        assert query in final_url  # the linked view survives the first run
