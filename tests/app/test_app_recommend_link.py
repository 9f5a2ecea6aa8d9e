"""Access gaps' "Recommend among" is kept in the link (``candidates=``), both ways."""

from __future__ import annotations

from geo.analysis.recommend import DEFAULT_HOST_SITES
from tests.app.test_app_pages import open_app


def test_a_link_sets_recommend_among_and_the_choice_is_written_back(fresh):
    app = open_app(page="access-gaps", candidates=DEFAULT_HOST_SITES, data="public", k="1")
    assert not app.exception
    assert app.radio(key="candidates_widget").value == DEFAULT_HOST_SITES
    assert app.query_params["candidates"] == DEFAULT_HOST_SITES
    recommended = next(f.value for f in app.dataframe if "place" in f.value.columns)
    assert (recommended["kind"] != "tract").all()
    app.radio(key="candidates_widget").set_value("tracts").run()
    assert not app.exception
    assert app.query_params["candidates"] == "tracts"


def test_a_bad_candidates_link_is_reported_and_ignored(fresh):
    app = open_app(page="access-gaps", candidates="bakeries", data="public", k="0")
    assert not app.exception
    assert app.radio(key="candidates_widget").value == "tracts"
    assert "candidates" not in app.query_params
    assert any("ignored unknown candidates" in toast.value for toast in app.toast)
