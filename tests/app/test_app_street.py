"""Issues 27.2 and 29 under AppTest: directions and phone links on the finder, the cited
"Learn to use naloxone, free" sections and the leave-behind "how a county starts" panel."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from geo.analysis.finder import Finder
from geo.config import REPO_ROOT
from tests.support.english import page_text

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


def _sidebar_text(app: AppTest) -> str:
    """Everything the dashboard's sidebar writes (headers, captions, warnings, the widgets'
    labels, options and help) and the navigation's page titles (AppTest keeps the pages
    ``st.navigation`` registered, with their titles, in ``_registered_pages`` only)."""
    side = app.sidebar
    kinds = ("header", "markdown", "caption", "warning")
    parts = [str(e.value) for kind in kinds for e in side.get(kind)]
    parts += [str(e.label) for e in side.expander]
    widgets = (*side.multiselect, *side.radio, *side.number_input, *side.selectbox)
    for widget in (*widgets, *side.toggle):
        parts += [str(widget.label), str(widget.help or "")]
        parts += [str(o) for o in getattr(widget, "options", ())]
    parts += [str(page["page_name"]) for page in app._registered_pages.values()]
    return "\n".join(parts)


def test_the_finder_in_spanish_has_no_english_sentence(data):
    from geo.analysis import learn
    from shell.frame import jurisdiction_names
    from tests.support.english import data_values, english_left, english_msgids_left

    app = open_page("find", q="21201", lang="es")
    assert not app.exception
    text = page_text(app)
    assert "Encuentre naloxona" in text and "Llame antes de ir" in text
    assert "Cómo llegar a pie" in text and "Aprenda a usar la naloxona, gratis" in text
    assert "Hoja informativa en PDF (carta (EE. UU.))" in text
    assert app.query_params["lang"] == "es"
    result = Finder.from_data(data).find("21201", 5)
    values = data_values(
        result.results,
        result.also_in_jurisdiction,
        data.sites[["name", "source"]],
        extra=[
            *learn.SOURCE_TITLES.values(),
            "Narcan",
            "OpenStreetMap",
            "GeoNames",
            "CC BY",
            "Language / Idioma",
            "English",
        ],
    )
    assert english_left(text, values) == []
    assert english_msgids_left(text, values) == []
    # the sidebar and the page titles too (their data: source names, dates, jurisdictions)
    sidebar = _sidebar_text(app)
    assert "Tipos de lugar" in sidebar and "Encuentre naloxona" in sidebar
    assert "Maryland (todo el estado)" in sidebar and "millas" in sidebar
    assert "Fecha de los datos" in sidebar and "**Farmacias**: OpenStreetMap" in sidebar
    side_values = sorted([*values, *jurisdiction_names()], key=len, reverse=True)
    assert english_left(sidebar, side_values) == []
    assert english_msgids_left(sidebar, side_values) == []
    english_app = open_page("find", q="21201")  # the checker does see English
    english = page_text(english_app)
    assert len(english_left(english, values)) > 20 and english_msgids_left(english)
    english = _sidebar_text(english_app)
    assert len(english_left(english, side_values)) > 10 and english_msgids_left(english)
    assert "Site types" in english and "Find naloxone" in english
    other = _sidebar_text(open_page("overview", lang="es"))  # other pages stay English
    assert "Site types" in other and "Find naloxone" in other and "Vista" not in other


def test_the_language_switch_writes_the_link():
    app = open_page("find", q="21550")
    assert "Find naloxone" in [t.value for t in app.title]
    switch = app.get("button_group")[0]
    switch.set_value("es").run()
    assert not app.exception
    assert app.query_params["lang"] == "es"
    assert "Encuentre naloxona" in [t.value for t in app.title]
    bad = open_page("find", q="xx-nowhere", lang="es")
    assert bad.error[0].value.startswith("No se encontró ninguna localidad")
