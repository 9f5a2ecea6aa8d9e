"""Issues 27.2 and 29 under AppTest: directions and phone links on the finder, the cited
"Learn to use naloxone, free" sections and the leave-behind "how a county starts" panel."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from geo.analysis.finder import Finder
from geo.config import REPO_ROOT

TIMEOUT = 90


def open_page(page: str, **query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.query_params["page"] = page
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_each_result_links_walking_directions_and_the_phone(data):
    app = open_page("find", q="21550", types="pharmacy,health_department")
    assert not app.exception
    text = markdown_text(app)
    result = Finder.from_data(data).find("21550", 5, ["pharmacy", "health_department"])
    origin = f"{result.query.lat:.5f}%2C{result.query.lon:.5f}"
    for _, row in result.results.iterrows():
        route = f"route={origin}%3B{row['lat']:.5f}%2C{row['lon']:.5f}"
        assert route in text, row["name"]
    assert text.count("[Walking directions ↗](https://www.openstreetmap.org/directions?") == 5
    assert "outside this dashboard" in text
    assert "(tel:+13013347700)" in text


def test_the_finder_teaches_where_to_learn_with_sources():
    app = open_page("find", q="21201")  # Baltimore City
    assert not app.exception
    text = markdown_text(app)
    assert "#### Learn to use naloxone, free" in text
    assert "410\\-433\\-5175" in text  # the City's crisis line, literal
    assert "(https://health.baltimorecity.gov/naloxone)" in text
    app = open_page("find", q="21550")  # Garrett: no City lines
    text = markdown_text(app)
    assert "Learn to use naloxone, free" in text and "5175" not in text


def test_the_overview_has_the_learn_section_for_the_focus():
    app = open_page("overview", focus="24510")
    assert not app.exception
    text = markdown_text(app)
    assert "Learn to use naloxone, free" in text and "155\\,000" in text


def test_leave_behind_panel_how_a_county_starts_or_its_own_evidence():
    app = open_page("leave-behind", focus="24001")  # Allegany: no public evidence found
    assert not app.exception
    text = markdown_text(app)
    assert "How a county starts EMS naloxone leave-behind" in text
    assert "opt\\-in" in text and "no cost" in text and "5\\.16 times" in text
    assert "EMS\\-Naloxone\\-Leave\\-Behind" in text or "EMS-Naloxone-Leave-Behind" in text
    app = open_page("leave-behind", focus="24027")  # Howard: documented
    text = markdown_text(app)
    assert "EMS leave-behind in Howard" in text
    assert "How a county starts" not in text


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_handout_buttons_make_the_pdf_of_this_search():
    app = open_page("find", q="21550")
    assert not app.exception
    buttons = [b for b in app.get("download_button") if "Handout PDF" in str(b.proto.label)]
    assert [b.proto.label for b in buttons] == ["Handout PDF (US Letter)", "Handout PDF (A4)"]
    assert any("Print a handout" in m.value for m in app.markdown)
