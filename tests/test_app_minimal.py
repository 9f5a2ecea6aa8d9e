"""The dashboard entry point serves a page (AppTest, no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.paths import REPO_ROOT


def test_dashboard_runs_and_counts_sites(sites):
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
    assert not app.exception
    values = {metric.label: metric.value for metric in app.metric}
    assert values["Listed access points"] == f"{len(sites):,}"
