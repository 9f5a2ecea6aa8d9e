"""A fresh ``streamlit run dashboard.py`` builds the Overview before any visitor comes:
its cached figures and rendered map show in the server's cache metrics without a
browser or session ever connecting (``shell/warm.py``)."""

from __future__ import annotations

import time
import urllib.request

import pytest

from tests.support.browser import running_dashboard

pytestmark = pytest.mark.browser

BUILT_AT_START = (
    "shell.frame._access_data",
    "shell.map_widget._rendered",
    "pages.screens.overview._site_tables",
)


def cached_functions(url: str) -> set[str]:
    """Names of the functions with entries in Streamlit's caches (``/_stcore/metrics``)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5) as reply:
        text = reply.read().decode()
    return {
        line.split('cache="', 1)[1].split('"', 1)[0]
        for line in text.splitlines()
        if line.startswith("cache_memory_bytes{")
    }


def test_a_fresh_server_builds_the_overview_before_any_visitor(tmp_path):
    with running_dashboard(env={"NALOXONE_STORE": str(tmp_path / "store.sqlite")}) as url:
        deadline = time.monotonic() + 90
        while not set(BUILT_AT_START) <= cached_functions(url):
            assert time.monotonic() < deadline, cached_functions(url)
            time.sleep(0.5)
