"""Store fixtures shared by the store test modules: an empty store on SQLite and on a
real PostgreSQL server, a fresh PostgreSQL database, and running calls together."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from geo.local.sql import engine_url
from geo.local.store import Store
from tests.support.postgres import postgres_bin, running_postgres

SITE = {
    "name": "Harbor Pharmacy",
    "type": "pharmacy",
    "jurisdiction_fips": "24510",
    "lat": 39.2904,
    "lon": -76.6122,
    "location_precision": "exact",
    "status": "open",
    "source": "test",
    "source_date": "2026-11",
}
TABLES = (
    "history",
    "change_sets",
    "local_sites",
    "local_leave_behind",
    "sign_in_failures",
    "sign_in_lockouts",
)


def postgres_server() -> Iterator[str]:
    """For a module fixture: a throwaway server's URL (skip when PostgreSQL is missing,
    fail in CI)."""
    if postgres_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    with running_postgres() as url:
        yield url


def empty_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    """An empty store: a new SQLite file, or the module's PostgreSQL server emptied."""
    if kind == "sqlite":
        return Store(str(tmp_path / "store.sqlite"))
    created = Store(request.getfixturevalue("postgres_url"))
    with created.engine.begin() as connection:
        for table in TABLES:
            connection.exec_driver_sql(f"DELETE FROM {table}")
    return created


def fresh_location(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A store location where nothing exists yet (no file; a new, empty database)."""
    if kind == "sqlite":
        return str(tmp_path / "fresh" / "store.sqlite")
    server = request.getfixturevalue("postgres_url")
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(engine_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def run_together(*calls: Callable[[], object], timeout_s: float = 120) -> list[tuple[str, object]]:
    """Start every call in its own thread, release them together (a barrier) and return
    ``("ok", result)`` or ``("error", exception)`` for each, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("missing", None)] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = ("ok", call())
        except Exception as exc:  # collected for the test to judge
            results[index] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish"
    return results
