"""Fixtures of the dashboard's AppTest tests."""

from __future__ import annotations

import pytest
import streamlit as st

from shell import heap


@pytest.fixture(autouse=True)
def _heap_not_frozen(monkeypatch):
    """No ``gc.freeze`` in the test process (its many apps would stay pinned), no
    trimming thread."""
    monkeypatch.setattr(heap._Heap, "enabled", False)


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """An empty store of this test's own (``NALOXONE_STORE``), and Streamlit's caches
    cleared before and after."""
    location = str(tmp_path / "store.sqlite")
    monkeypatch.setenv("NALOXONE_STORE", location)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield location
    st.cache_resource.clear()
    st.cache_data.clear()
