"""A half-damaged or locked store (issue 22, item 4): the revision counter still reads
but the records do not (SQLite pages damaged in the middle of the file; a PostgreSQL
role that may read ``store_revision`` but not ``history``), or a table is locked. Every
public page shows the bundled data with the outage notice, and a read gives up after
``READ_TIMEOUT_S`` instead of holding the page."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.local import sql
from geo.local.store import Store, StoreUnavailableError
from geo.render import formatting
from shell.common import STORE_NOTICE
from tests.support.damage import damage_history_pages, stocked
from tests.support.stores import empty_store

PAGES = (None, "find", "leave-behind")


def notices(app: AppTest) -> list[str]:
    return [element.value for element in [*app.info, *app.warning, *app.error]]


def open_app(page: str | None) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    if page:
        app.query_params["page"] = page
    return app.run()


def assert_public_pages_fall_back(monkeypatch, location: str, sites: pd.DataFrame) -> None:
    monkeypatch.setenv("NALOXONE_STORE", location)
    for page in PAGES:
        app = open_app(page)
        assert not app.exception, (page, app.exception)
        assert STORE_NOTICE in notices(app), page
        assert not any("unavailable right now. Try again" in n for n in notices(app)), page
        if page is None:
            listed = {m.label: m.value for m in app.metric}["Listed access points"]
            assert listed == formatting.count(int((~sites["closed"]).sum()))


def test_a_sqlite_store_damaged_in_its_middle_pages_falls_back(tmp_path, monkeypatch, sites):
    path = tmp_path / "store.sqlite"
    stocked(Store(str(path)))
    damage_history_pages(path)
    damaged = Store(str(path))
    assert damaged.revisions()[1] >= 1, "the revision counter still reads"
    with pytest.raises(StoreUnavailableError, match="damaged"):
        damaged.published("site")
    assert_public_pages_fall_back(monkeypatch, str(path), sites)


@pytest.fixture
def revision_only_url(postgres_url, tmp_path, request):
    """The test server's store, read by a role that may read store_revision only."""
    stocked(empty_store("postgresql", tmp_path, request))
    role = f"peek_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(sql.engine_url(postgres_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
        connection.exec_driver_sql(f"GRANT SELECT ON store_revision TO {role}")
    yield make_url(postgres_url).set(username=role).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP OWNED BY {role}")
        connection.exec_driver_sql(f"DROP ROLE {role}")
    engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_role_that_cannot_read_history_falls_back(
    revision_only_url, monkeypatch, sites
):
    store = Store(revision_only_url)
    assert store.revisions()[1] >= 1
    with pytest.raises(StoreUnavailableError, match="privileges"):
        store.published("site")
    assert_public_pages_fall_back(monkeypatch, revision_only_url, sites)


class Holder(threading.Thread):
    """Holds a lock on the store in another connection until released (at most 60 s,
    so a read that waits for it would finish, and the test fail, rather than hang)."""

    def __init__(self, take) -> None:
        super().__init__(daemon=True)
        self.take = take
        self.taken = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        with self.take():
            self.taken.set()
            self.release.wait(60)

    def __enter__(self):
        self.start()
        assert self.taken.wait(30)
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.join(60)


@pytest.mark.postgres
def test_a_locked_postgresql_table_gives_up_instead_of_holding_the_page(
    postgres_url, tmp_path, request
):
    store = stocked(empty_store("postgresql", tmp_path, request))
    engine = sa.create_engine(sql.engine_url(postgres_url))

    @contextlib.contextmanager
    def lock_history():
        with engine.begin() as connection:
            connection.exec_driver_sql("LOCK TABLE history IN ACCESS EXCLUSIVE MODE")
            yield

    with Holder(lock_history), pytest.raises(StoreUnavailableError, match="did not answer"):
        store.published("site")
    assert len(store.published("site")) == 60, "it reads again once the lock is gone"
    engine.dispose()


def test_a_locked_sqlite_file_gives_up_instead_of_holding_the_page(tmp_path):
    path = tmp_path / "store.sqlite"
    store = stocked(Store(str(path)))

    @contextlib.contextmanager
    def lock_file():
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("UPDATE store_revision SET value = value")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()

    with Holder(lock_file), pytest.raises(StoreUnavailableError, match="busy"):
        store.published("site")
    assert len(store.published("site")) == 60
