"""Local updates under AppTest: a visitor's Overview shows published local updates only,
each marked with its date; a signed-in editor can choose to see drafts too."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.local import auth
from geo.local.store import Store
from tests.app.test_app_manage import PASSWORD, open_manage, sign_in
from tests.app.test_app_pages import open_listing
from tests.support.stores import SITE

NAME = "Harbor Test Pharmacy"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()


def overview(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def listing(app: AppTest) -> pd.DataFrame:
    """The Overview's table of every listed site (opened)."""
    open_listing(app)
    return next(d.value for d in app.dataframe if "origin" in d.value.columns)


def test_a_visitor_sees_a_local_update_only_once_published(fresh):
    store = Store(fresh)
    ids = store.add_sites(pd.DataFrame([{**SITE, "name": NAME}]), who="Dana", source="a.csv")
    app = overview()
    assert not app.exception
    assert app.sidebar.toggle(key="local_widget").value, "published updates shown by default"
    assert app.sidebar.toggle(key="local_widget").label == "Include published local updates"
    assert NAME not in set(listing(app)["name"])
    assert not [t for t in app.sidebar.toggle if t.key == "drafts_widget"], "editors only"

    store.publish([ids.change], who="Dana")
    app = overview()
    shown = listing(app).set_index("name").loc[NAME]
    assert (shown["origin"], shown["updated"]) == ("local update", TODAY)
    assert NAME not in set(listing(overview(data="public"))["name"])


def test_a_signed_in_editor_can_show_drafts(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    Store(fresh).add_sites(pd.DataFrame([{**SITE, "name": NAME}]), who="Dana")
    app = sign_in(open_manage(), "Dana")
    drafts = app.sidebar.toggle(key="drafts_widget")
    assert drafts.label == "Show drafts (editors)" and not drafts.value
    drafts.set_value(True).run()
    app.switch_page("pages/overview.py").run()
    assert not app.exception
    shown = listing(app).set_index("name").loc[NAME]
    assert shown["origin"] == "local update (draft)"
