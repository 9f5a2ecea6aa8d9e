"""The map widget sends exactly what ``st_folium`` would, renders a map once per what it
shows, and never serves one map for another (another radius, another visitor's data)."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

from geo.analysis.scenario import Scenario
from geo.analysis.view import View
from geo.config import REPO_ROOT
from geo.local import auth
from geo.local.store import Store
from geo.render import maps
from shell import compat, map_widget
from shell.frame import DataKey, PageContext
from tests.app.test_app_manage import PASSWORD, open_manage, sign_in
from tests.support.stores import SITE

RETURNED = ["last_clicked", "last_object_clicked"]


@pytest.fixture()
def recorded(monkeypatch):
    """The keyword arguments of every call of the component (nothing is drawn)."""
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    compat.folium_internals.cache_clear()  # take the recording function
    yield calls
    compat.folium_internals.cache_clear()


def _without_callback(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k != "on_change"}


@pytest.mark.parametrize("which", ["sites", "gaps"])
def test_the_rendered_map_is_what_st_folium_sends(data, recorded, which):
    scenario = Scenario.from_data(data, radius_m=8000.0)

    def build():
        if which == "sites":
            return maps.sites_map(data.jurisdictions, data.sites, focus_fips="24001")
        return maps.access_gap_map(
            data.jurisdictions,
            scenario.nearest,
            data.sites,
            8000.0,
            "5 miles",
            recommended=scenario.recommend(3),
        )

    streamlit_folium.st_folium(
        build(), key="a_map", height=500, use_container_width=True, returned_objects=RETURNED
    )
    rendered = map_widget.render_map(build(), "a_map")
    map_widget.show_rendered(rendered, "a_map", height=500, returned=RETURNED)
    ours, theirs = _without_callback(recorded[1]), _without_callback(recorded[0])
    assert ours == theirs
    assert ours["default"] == {"last_clicked": None, "last_object_clicked": None}
    assert rendered.size_bytes > 10_000 and "Garrett" in rendered.script


def test_a_map_is_built_once_per_what_it_shows(data):
    st.cache_resource.clear()
    built = []

    def build():
        built.append(1)
        return maps.sites_map(data.jurisdictions, data.sites)

    first = map_widget.rendered_map(build, "k", ("public", ("pharmacy",)))
    again = map_widget.rendered_map(build, "k", ("public", ("pharmacy",)))
    other = map_widget.rendered_map(build, "k", ("public", ("pharmacy", "health_department")))
    uncached = map_widget.rendered_map(build, "k", None)
    assert len(built) == 3 and first is again and other is not first
    assert uncached.script == first.script


def test_the_map_key_names_whose_data_is_shown(data):
    view = View(("pharmacy",), 5.0, "mi", "24", "overview", True, "deaths")
    keys = [
        PageContext(view, {}, data, key).map_key(view.types)
        for key in (
            DataKey(True, True, 3, "s.sqlite"),
            DataKey(True, False, 3, "s.sqlite"),
            DataKey(True, False, 4, "s.sqlite"),
            DataKey(False, False, 0, ""),
        )
    ]
    assert len(set(keys)) == 4  # drafts, published at two revisions, public
    in_km = PageContext(dataclasses.replace(view, unit="km"), {}, data)
    assert in_km.map_key(view.types) != PageContext(view, {}, data).map_key(view.types)


def _overview_script(app: AppTest) -> str:
    (component,) = app.get("component_instance")
    return json.loads(component.proto.json_args)["script"]


def test_a_visitor_never_gets_the_map_an_editor_drew_with_drafts(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    name = "Draft Only Pharmacy"
    Store(fresh).add_sites(pd.DataFrame([{**SITE, "name": name}]), who="Dana")
    editor = sign_in(open_manage(), "Dana")
    editor.sidebar.toggle(key="drafts_widget").set_value(True).run()
    editor.switch_page("pages/overview.py").run()
    assert name in _overview_script(editor)
    visitor = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90).run()
    assert not visitor.exception
    assert name not in _overview_script(visitor)


def test_the_overview_map_is_not_rebuilt_for_a_radius_change(fresh, monkeypatch):
    built = []
    original = maps.sites_map
    monkeypatch.setattr(maps, "sites_map", lambda *a, **k: built.append(1) or original(*a, **k))
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90).run()
    script = _overview_script(app)
    app.sidebar.number_input(key="radius_widget").set_value(9.0).run()
    assert not app.exception
    assert built == [1] and _overview_script(app) == script
    app.sidebar.multiselect(key="types_widget").set_value(["pharmacy"]).run()
    assert built == [1, 1] and _overview_script(app) != script


def test_the_access_gap_map_follows_the_radius(fresh):
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    app.query_params["page"] = "access-gaps"
    app.run()
    before = _overview_script(app)
    app.sidebar.number_input(key="radius_widget").set_value(2.0).run()
    assert not app.exception
    after = _overview_script(app)
    assert after != before and "radius 2 miles" in after


def test_the_find_map_is_built_once_per_search_and_results(fresh, monkeypatch):
    built = []
    original = maps.finder_map
    monkeypatch.setattr(maps, "finder_map", lambda *a, **k: built.append(1) or original(*a, **k))
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    app.query_params.update({"page": "find", "q": "21550"})
    app.run()
    script = _overview_script(app)
    app.sidebar.number_input(key="radius_widget").set_value(9.0).run()  # same results
    assert not app.exception and built == [1] and _overview_script(app) == script
    app.sidebar.multiselect(key="types_widget").set_value(["pharmacy"]).run()
    assert not app.exception and built == [1, 1] and _overview_script(app) != script


def test_on_a_version_mismatch_maps_fall_back_to_the_public_st_folium(fresh, monkeypatch, caplog):
    """Other streamlit-folium or Streamlit versions: no private name is touched, one
    warning is logged, and the pages still draw their maps with ``st_folium``."""
    monkeypatch.setattr(compat, "installed_series", lambda name: "9.9")
    compat.folium_internals.cache_clear()
    public_calls = []
    real = compat.public_st_folium()

    def counting(*args, **kwargs):
        public_calls.append(kwargs["key"])
        return real(*args, **kwargs)

    monkeypatch.setattr(compat, "public_st_folium", lambda: counting)
    monkeypatch.setattr(map_widget, "render_map", lambda *a, **k: pytest.fail("private API used"))
    try:
        with caplog.at_level("WARNING", logger="shell.compat"):
            app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90).run()
    finally:
        compat.folium_internals.cache_clear()
    assert not app.exception
    assert public_calls, "the Overview map was drawn through st_folium"
    warned = [r.getMessage() for r in caplog.records if r.name == "shell.compat"]
    assert len(warned) == 1 and "streamlit 9.9 (tested with 1.67)" in warned[0]
