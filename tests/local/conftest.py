"""Shared by the local-updates tests: a real PostgreSQL server per module, and an empty
store on SQLite and on that server."""

from __future__ import annotations

import pytest

from tests.support.stores import empty_store, postgres_server


@pytest.fixture(scope="module")
def postgres_url():
    """A throwaway PostgreSQL server for this test module (Debian's postgresql)."""
    yield from postgres_server()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty store, once on SQLite and once on the real PostgreSQL server."""
    return empty_store(request.param, tmp_path, request)
