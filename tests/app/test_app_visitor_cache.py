"""Visitors' data is keyed by the store's published revision: an editor's draft does not
reload it for every visitor (in every process); publishing does, on the next rerun."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local.store import Store
from pages.screens import find, overview
from shell import data_caches, frame, map_widget
from tests.support.stores import SITE


def test_a_draft_does_not_reload_visitors_data_publishing_does(fresh, monkeypatch):
    loads: list[tuple[bool, bool]] = []
    real = metrics.load_access_data
    monkeypatch.setattr(
        metrics,
        "load_access_data",
        lambda **k: loads.append((k["include_local"], k["drafts"])) or real(**k),
    )
    store = Store(fresh)
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90).run()
    assert not app.exception and app.sidebar.toggle(key="local_widget").value
    assert loads == [(True, False)]

    imported = store.add_sites(pd.DataFrame([{**SITE, "name": "Draft Pharmacy"}]), who="Ana")
    app.run()
    assert loads == [(True, False)], "a draft reloaded the visitors' data"

    store.publish([imported.change], who="Ana")
    app.run()
    assert loads == [(True, False), (True, False)]
    assert not app.exception


class _Spy:
    def __init__(self) -> None:
        self.cleared = 0

    def clear(self) -> None:
        self.cleared += 1


def test_a_new_published_revision_clears_the_caches_of_older_data(monkeypatch):
    spies = (_Spy(), _Spy())
    monkeypatch.setattr(data_caches, "_REGISTERED", list(spies))
    monkeypatch.setattr(data_caches, "_SEEN_PUBLISHED", {})
    assert not data_caches.forget_older_data("a.sqlite", 3)  # first sight
    assert not data_caches.forget_older_data("a.sqlite", 3)
    assert not data_caches.forget_older_data("b.sqlite", 1)  # another store
    assert data_caches.forget_older_data("a.sqlite", 4)
    assert data_caches.forget_older_data("a.sqlite", 2)  # a restored backup
    assert [spy.cleared for spy in spies] == [2, 2]


def test_publishing_drops_what_was_built_from_older_data(fresh, monkeypatch):
    """After a publish the process keeps no data, scenario, finder, table or map of
    older revisions (each publish used to leave one more copy until pushed out);
    a draft clears nothing."""
    assert {
        frame._access_data,
        frame._shared_scenario,
        frame._shared_sites,
        map_widget._rendered,
        find._finder,
        overview._site_tables,
    } <= set(data_caches.registered())
    spy = _Spy()
    monkeypatch.setattr(data_caches, "_REGISTERED", [*data_caches.registered(), spy])
    store = Store(fresh)
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90).run()
    imported = store.add_sites(pd.DataFrame([{**SITE, "name": "New Pharmacy"}]), who="Ana")
    app.run()
    assert spy.cleared == 0, "a draft cleared the visitors' caches"
    store.publish([imported.change], who="Ana")
    app.run()
    assert not app.exception and spy.cleared == 1
    assert "New Pharmacy" in str(app.get("component_instance")[0].proto.json_args)
    app.run()
    assert spy.cleared == 1
