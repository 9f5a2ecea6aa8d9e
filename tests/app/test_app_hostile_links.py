"""Every page opened from a hostile link (Unicode digits, huge values, control
characters, repeated keys): the page still runs, no exception, and a toast or warning
says what was ignored. The reported case: ``?k=²`` broke all seven pages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from tests.support.fast_set import first_in_fast_set

TIMEOUT = 120
PAGES = ["overview", "find", "leave-behind", "compare", "access-gaps", "data", "manage"]
TITLES = {
    "overview": "Naloxone access in Maryland",
    "find": "Find naloxone",
    "compare": "Compare jurisdictions",
    "data": "Data & methods",
}

#: One hostile value per parameter the dashboard reads (the view's and the finder's).
HOSTILE = {
    "k": "²",
    "r": "١٠",
    "unit": "mi\x00",
    "focus": "２４００１",
    "types": "pharmacy\r\nX-Forged: 1," * 2000,
    "compare": "24001," * 5000,
    "chart": "gap_score\u202e",
    "gap": "deaths" * 10_000,
    "data": "public\n",
    "q": "２１５５０\x00" + "9" * 100_000,
    "measure": "walk\n",
    "minutes": "١٥",
    "candidates": "tracts\u202e",
    "lang": "es\r\n",
}


def open_app(query: dict[str, object]) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.query_params.update(query)
    return app.run()


def _said(app: AppTest) -> str:
    return " ".join(t.value for t in app.toast) + " " + " ".join(w.value for w in app.warning)


@pytest.mark.parametrize("page", first_in_fast_set(PAGES))
def test_k_superscript_two_opens_every_page(page):
    app = open_app({"page": page, "k": "²"})
    assert not app.exception, [e.value for e in app.exception]
    assert "ignored k in the link (a whole number from 0 to 25)" in _said(app)
    if page in TITLES:
        assert TITLES[page] in [t.value for t in app.title]


@pytest.mark.parametrize("page", first_in_fast_set(PAGES))
def test_every_parameter_hostile_at_once(page):
    app = open_app({"page": page, **HOSTILE})
    assert not app.exception, [e.value for e in app.exception]
    said = _said(app)
    for reported in (
        "ignored k in the link",
        "ignored radius in the link",
        "ignored unit in the link",
        "focus jurisdiction in the link is not known",
        "ignored types in the link",
        "ignored compare in the link",
        "ignored chart in the link",
        "ignored gap in the link",
        "ignored data in the link",
        "ignored the search (q) in the link",
        "ignored measure in the link",
        "ignored minutes in the link",
        "ignored the language (lang) in the link",
    ):
        assert reported in said, (reported, said)
    assert "X-Forged" not in said and "\x00" not in said
    # the defaults stand, and the URL written back holds none of the hostile values
    assert app.sidebar.number_input(key="radius_widget").value == 5.0
    assert app.sidebar.selectbox(key="focus_widget").value == "24"
    written = app.query_params
    assert written["r"] == "5" and written["unit"] == "mi" and written["focus"] == "24"
    assert "q" not in written and "k" not in written and "compare" not in written
    if page in TITLES:
        assert TITLES[page] in [t.value for t in app.title]


def test_repeated_keys_take_the_last_value():
    app = open_app({"page": ["overview", "access-gaps"], "k": ["²", "7"], "r": ["x", "8"]})
    assert not app.exception
    assert not app.toast
    assert app.slider(key="k_recommend").value == 7
    assert app.sidebar.number_input(key="radius_widget").value == 8.0


@pytest.mark.parametrize(
    "q, shown",
    [
        ("9" * 100_000, "ignored the search (q) in the link"),
        ("21550\x00", "ignored the search (q) in the link"),
        ("Oakland\r\nForged line", "ignored the search (q) in the link"),
        ("２１５５０", "No Maryland town, city or ZIP code"),  # fullwidth digits: not a ZIP
        ("３９.２,-７６.０", "No Maryland town, city or ZIP code"),  # nor coordinates
        ("١٢٣ Main St", "No Maryland town, city or ZIP code"),
    ],
    ids=["huge", "nul", "crlf", "fullwidth-zip", "fullwidth-coordinates", "arabic-indic"],
)
def test_find_search_in_the_link_is_read_strictly(q, shown):
    app = open_app({"page": "find", "q": q})
    assert not app.exception, [e.value for e in app.exception]
    messages = _said(app) + " " + " ".join(e.value.replace("\\", "") for e in app.error)
    assert shown in messages, messages[:500]
    assert app.text_input(key="find_text").value in ("", q)
