"""Fixtures of the dashboard's AppTest tests."""

from __future__ import annotations

import pytest
import streamlit as st


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
