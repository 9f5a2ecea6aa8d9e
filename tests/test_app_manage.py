"""Manage data page under AppTest: editing is closed without an editor, open after
sign-in, and every change lands in the store with its author."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import auth
from geo.paths import REPO_ROOT
from geo.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    location = str(tmp_path / "store.sqlite")
    monkeypatch.setenv("NALOXONE_STORE", location)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield location
    st.cache_resource.clear()
    st.cache_data.clear()


def open_manage() -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    app.query_params["page"] = "manage"
    return app.run()


def test_without_an_editor_nothing_can_change(fresh):
    app = open_manage()
    assert not app.exception
    assert any("Editing is not enabled" in i.value for i in app.info)
    assert len(app.tabs) == 0
    assert not any(b.label in ("Save", "Revert", "Sign in") for b in app.button)


def test_sign_in_and_edit_leave_behind_and_a_site(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = open_manage()
    app.text_input[0].set_value("Dana")
    app.text_input[1].set_value("wrong password")
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert any("Wrong password" in e.value for e in app.error)
    app.text_input[1].set_value(PASSWORD)
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert not app.exception
    assert any("Signed in as editor: Dana" in s.value for s in app.success)

    app.selectbox(key="lb_fips").set_value("24001").run()
    form_status = next(s for s in app.selectbox if s.label == "Status")
    form_status.set_value("documented")
    next(t for t in app.text_input if t.label.startswith("Start date")).set_value("2024-03")
    next(n for n in app.number_input if n.label.startswith("Doses")).set_value(25)
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception
    record = Store(fresh).leave_behind().set_index("fips").loc["24001"]
    assert record["status"] == "documented" and record["doses"] == 25
    assert record["updated_by"] == "Dana"

    app.selectbox(key="site_pick").set_value("osm_rx_0002").run()
    next(c for c in app.checkbox if c.label.startswith("Closed")).check()
    saves = [b for b in app.button if b.label == "Save"]
    saves[-1].click().run()
    assert not app.exception
    site = Store(fresh).sites().set_index("id").loc["osm_rx_0002"]
    assert site["status"] == "closed" and bool(site["overrides_public"])
    history = Store(fresh).history()
    assert history["who"].tolist() == ["Dana", "Dana"]

    app.selectbox(key="revert_pick").set_value(int(history["id"].iloc[0]))
    next(b for b in app.button if b.label == "Revert").click().run()
    assert not app.exception
    assert Store(fresh).sites().empty


def test_correcting_a_site_location_is_validated(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = open_manage()
    app.text_input[0].set_value("Dana")
    app.text_input[1].set_value(PASSWORD)
    next(b for b in app.button if b.label == "Sign in").click().run()
    app.selectbox(key="site_pick").set_value("osm_rx_0002").run()
    next(t for t in app.text_input if t.label == "Latitude").set_value("40.5")
    [b for b in app.button if b.label == "Save"][-1].click().run()
    assert any("outside Maryland" in e.value for e in app.error)
    assert Store(fresh).sites().empty, "nothing saved"
    next(t for t in app.text_input if t.label == "Latitude").set_value("39.640000")
    [b for b in app.button if b.label == "Save"][-1].click().run()
    assert not app.exception
    site = Store(fresh).sites().set_index("id").loc["osm_rx_0002"]
    assert site["lat"] == pytest.approx(39.64) and site["jurisdiction_fips"] == "24001"
