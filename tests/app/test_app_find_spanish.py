"""The Spanish finder beyond its first screen (issue 27.4): the toasts after a bad link,
the walking and straight-line notes, and an unknown language said, not hidden."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from tests.support.english import data_values, english_left, english_msgids_left, page_text

TIMEOUT = 90
#: One bad value for each view parameter a link carries, and a search too long to read.
BAD_LINK = {
    "k": "99",
    "r": "-3",
    "unit": "furlongs",
    "focus": "99999",
    "types": "pharmacy,bakery",
    "compare": "24001,99999",
    "chart": "nothing",
    "gap": "nothing",
    "data": "nothing",
    "measure": "bicycle",
    "minutes": "500",
}
#: Parameter names and coded values a toast names as they are (not words of a language).
CODES = ["mi", "km", "local", "public", "straight", "walk", "drive", "deaths", "residents"]


def open_find(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.query_params.update({"page": "find", **query})
    return app.run()


def test_the_toasts_after_a_bad_link_are_spanish():
    app = open_find(q="21550", lang="es", **BAD_LINK)
    assert not app.exception
    toasts = [t.value for t in app.toast]
    assert len(toasts) >= len(BAD_LINK), toasts
    assert all(t.startswith("Enlace: se ignor") for t in toasts), toasts
    said = "\n".join(toasts)
    assert "se ignoró k del enlace (un número entero de 0 a 25)" in said
    assert "se ignoraron tipos de lugar desconocidos del enlace: 1" in said
    assert english_left(said, CODES) == [] and english_msgids_left(said, CODES) == []
    assert "Encuentre naloxona" in [t.value for t in app.title]  # the page still runs
    english = "\n".join(t.value for t in open_find(q="21550", **BAD_LINK).toast)
    assert len(english_left(english, CODES)) > 10 and english_msgids_left(english, CODES)


def test_a_search_too_long_to_read_is_said_in_spanish():
    app = open_find(q="9" * 500, lang="es")
    assert not app.exception
    said = " ".join(t.value for t in app.toast)
    assert "Enlace: se ignoró la búsqueda (q) del enlace (más de 200 caracteres" in said
    assert english_left(said, ["q"]) == []


def test_walking_minutes_notes_are_spanish_inside_and_outside_the_city(data):
    from geo.analysis import learn

    values = data_values(
        data.sites.drop(columns=["id"], errors="ignore"),
        extra=[*learn.SOURCE_TITLES.values(), "Narcan", "OpenStreetMap", "GeoNames", "CC BY"],
    )
    inside = open_find(q="21202", lang="es", measure="walk", data="public")
    assert not inside.exception
    text = page_text(inside)
    assert "Ordenados por minutos a pie por las calles de Baltimore City" in text
    assert text.count(" min a pie") == 5 and "en línea recta)" in text
    # sites placed at their ZIP centre: the minutes end there, and the page says so
    assert "aprox. 1 min a pie hasta el centro de su código postal" in text
    assert english_msgids_left(text, values) == [] and english_left(text, values) == []
    outside = open_find(q="21550", lang="es", measure="walk", data="public")
    text = page_text(outside)
    assert "Los minutos a pie solo están disponibles en Baltimore City" in text
    assert english_msgids_left(text, values) == [] and english_left(text, values) == []
    straight = page_text(open_find(q="21550", lang="es", data="public"))
    assert "Las distancias son en línea recta, no por carretera." in straight


def test_an_unknown_language_is_said_and_left_out_of_the_link():
    app = open_find(q="21550", lang="fr")
    assert not app.exception
    said = " ".join(t.value for t in app.toast)
    assert "Link: the language in the link is not available, so the page is in English" in said
    assert "en (English), es (Español)" in said
    assert "Find naloxone" in [t.value for t in app.title]
    assert "lang" not in app.query_params
    known = open_find(q="21550", lang="es-MX")  # a regional code is Spanish, said nothing
    assert "Encuentre naloxona" in [t.value for t in known.title] and not known.toast
