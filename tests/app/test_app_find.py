"""The Find naloxone page under AppTest: the URL opens a search, a new search is written
back to the URL, bad searches are a sentence and suggestions, data text stays literal."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.analysis.finder import Finder
from geo.config import REPO_ROOT
from geo.render.finder_output import distance_phrase
from geo.render.formatting import markdown_literal

TIMEOUT = 90


def open_find(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.query_params["page"] = "find"
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_the_url_opens_the_search_and_lists_the_library_answer(data):
    app = open_find(q="21550", types="pharmacy,health_department", unit="km")
    assert not app.exception
    assert app.text_input(key="find_text").value == "21550"
    expected = Finder.from_data(data).find("21550", 5, ["pharmacy", "health_department"])
    listing = markdown_text(app)
    for number, name in enumerate(expected.results["name"], start=1):
        assert f"{number}. **{markdown_literal(name)}**" in listing
    for _, row in expected.results.iterrows():
        assert distance_phrase(row, "km") in listing
    assert "Phone:" in listing and "tel:+13013347700" in listing
    assert any("Call ahead: a listing is not confirmed stock." in w.value for w in app.warning)
    assert any("GeoNames, CC BY 4.0" in c.value for c in app.caption)
    assert app.query_params["q"] == "21550" and app.query_params["unit"] == "km"


def test_a_new_search_is_written_to_the_url_and_the_unmapped_sites_follow():
    app = open_find()
    assert not app.exception
    assert any("/find?q=21550" in i.value for i in app.info)
    app.text_input(key="find_text").set_value("Annapolis")
    app.button[0].click().run()
    assert not app.exception
    assert app.query_params["q"] == "Annapolis"
    listing = markdown_text(app)
    assert "Also in Anne Arundel, location not mapped" in listing
    assert "Brooklyn Park Library" in listing


def test_bad_searches_show_a_sentence_and_suggestions():
    app = open_find(q="Bel Air")
    assert not app.exception
    assert "More than one Maryland place is called Bel Air" in app.error[0].value
    choice = next(b for b in app.button if b.label == "Bel Air, Harford County")
    choice.click().run()
    assert not app.exception and app.query_params["q"] == "Bel Air, Harford County"
    assert "Harford County Health Department" in markdown_text(app)
    for query in ("40.7,-74", "1 Main St, Oakland"):
        app = open_find(q=query)
        assert not app.exception and len(app.error) == 1, query
    app = open_find(q="nowhere*[x](http://127.0.0.1:9/)")
    assert "No Maryland town" in app.error[0].value
    assert "\\[x\\]\\(http" in app.error[0].value  # shown literally, never as a link


def test_with_the_geocoder_on_an_address_is_searched_and_credited(monkeypatch):
    from geo.data import geocoder
    from tests.data.test_geocoder import Replay, recorded

    replay = Replay(recorded("match"))
    monkeypatch.setenv("NALOXONE_GEOCODER", "census")
    monkeypatch.setitem(geocoder._SHARED, "census", geocoder.CensusGeocoder(replay, 1.0))
    app = open_find(q="1025 Memorial Dr, Oakland, MD 21550")
    assert not app.exception and not app.error
    assert len(replay.calls) == 1
    assert any("1025 MEMORIAL DR" in h.value for h in app.subheader)
    assert any("U.S. Census Geocoder" in c.value for c in app.caption)


def test_a_hostile_geocoder_answer_is_one_message_not_a_crash(monkeypatch):
    """A deeply nested answer raised RecursionError and crashed the page; a huge matched
    address was shown whole."""
    from geo.data import geocoder
    from tests.data.test_geocoder import Replay

    monkeypatch.setenv("NALOXONE_GEOCODER", "census")
    nested = b'{"result": {"addressMatches": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    long = (
        b'{"result": {"addressMatches": [{"matchedAddress": "1 MAIN ST '
        + b"A" * 990_000
        + b'", "coordinates": {"x": -79.4, "y": 39.4}}]}}'
    )
    for body in (nested, long):
        monkeypatch.setitem(geocoder._SHARED, "census", geocoder.CensusGeocoder(Replay(body), 1.0))
        app = open_find(q="1025 Memorial Dr, Oakland, MD 21550")
        assert not app.exception, [e.value for e in app.exception]
        assert [e.value for e in app.error] == [
            "The address geocoder sent an answer that could not be read\\."
        ]
        assert not app.subheader  # nothing shown as a match
