"""Visitors' data is keyed by the store's published revision: an editor's draft does not
reload it for every visitor (in every process); publishing does, on the next rerun."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local.store import Store
from tests.support.stores import SITE


def test_a_draft_does_not_reload_visitors_data_publishing_does(fresh, monkeypatch):
    loads: list[tuple[bool, bool]] = []
    real = metrics.load_access_data
    monkeypatch.setattr(metrics, "load_access_data", lambda **k: loads.append(
        (k["include_local"], k["drafts"])) or real(**k))
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
