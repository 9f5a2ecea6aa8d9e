"""A store that cannot be reached or read: a plain ``StoreUnavailableError`` that never
carries credentials (message, repr, chained exceptions, traceback, log), public pages
that fall back to the bundled data with a notice, and recovery when the store returns."""

from __future__ import annotations

import logging
import sys
import traceback

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.local import merge, sql
from geo.local.store import Store, StoreUnavailableError
from geo.render import formatting
from shell.common import STORE_NOTICE
from tests.support.browser import free_port
from tests.support.stores import SITE

PASSWORD = "hunter2"
USER = "ops_admin"


def corrupt_file(path) -> str:
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    return str(path)


def visible_text(error: BaseException) -> str:
    """Everything a person could see of the error: message, repr, the full formatted
    traceback, and every chained cause or context (shown or not)."""
    parts = ["".join(traceback.format_exception(error))]
    seen: BaseException | None = error
    while seen is not None:
        parts += [str(seen), repr(seen), repr(seen.args)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def assert_no_credentials(error: BaseException, caplog, user: str = USER) -> None:
    text = visible_text(error) + "\n" + caplog.text
    assert PASSWORD not in text
    assert user not in text
    assert error.__cause__ is None and error.__context__ is None


def test_a_corrupt_sqlite_file_is_reported_plainly(tmp_path, caplog):
    location = corrupt_file(tmp_path / "store.sqlite")
    with caplog.at_level(logging.INFO), pytest.raises(StoreUnavailableError) as failed:
        Store(location)
    assert "not a readable SQLite database" in str(failed.value)
    assert failed.value.__context__ is None
    with pytest.raises(StoreUnavailableError):
        merge.load_local(location)
    assert "store.sqlite" in caplog.text


def test_an_unreachable_postgresql_store_never_shows_credentials(caplog):
    url = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{free_port()}/naloxone"
    with caplog.at_level(logging.DEBUG), pytest.raises(StoreUnavailableError) as failed:
        Store(url)
    assert "cannot be reached" in str(failed.value)
    assert "127.0.0.1" in str(failed.value)
    assert_no_credentials(failed.value, caplog)
    with pytest.raises(StoreUnavailableError) as failed:
        merge.load_local(url)
    assert_no_credentials(failed.value, caplog)


@pytest.mark.postgres
def test_a_refused_sign_in_on_a_real_server_never_shows_the_user(postgres_url, caplog):
    host = postgres_url.split("@", 1)[1]
    url = f"postgresql://{USER}:{PASSWORD}@{host}"  # no such role on the server
    with caplog.at_level(logging.DEBUG), pytest.raises(StoreUnavailableError) as failed:
        Store(url)
    assert_no_credentials(failed.value, caplog)


@pytest.mark.postgres
def test_a_store_shows_its_location_masked(postgres_url):
    user_and_host = postgres_url.split("://", 1)[1]
    user, host = user_and_host.split("@", 1)
    url = f"postgresql://{user}:{PASSWORD}@{host}"  # the test server ignores passwords
    store = Store(url)
    assert store.location == url
    assert PASSWORD not in store.display_location and "***" in store.display_location
    assert PASSWORD not in repr(store) and PASSWORD not in str(store)
    assert store.revision() == 0


def test_a_store_that_fails_after_opening_reports_plainly_and_recovers(tmp_path):
    location = str(tmp_path / "store.sqlite")
    store = Store(location)
    store.add_sites(pd.DataFrame([SITE]), who="ana")
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"store.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreUnavailableError):
        store.sites()  # an empty new file without the tables
    Store(location).add_sites(pd.DataFrame([SITE]), who="ben")
    assert store.sites()["updated_by"].tolist() == ["ben"], "the same object recovers"


def test_a_bare_psycopg_error_is_reported_plainly(tmp_path, monkeypatch, caplog):
    """The safety net for a driver error SQLAlchemy did not wrap: psycopg's errors
    count once psycopg is loaded (a PostgreSQL store loads it; a SQLite one never does)."""
    import psycopg

    store = Store(str(tmp_path / "store.sqlite"))

    def refuse(*args, **kwargs):
        raise psycopg.OperationalError(f"connection to {USER}:{PASSWORD}@db failed")

    monkeypatch.setattr(sql, "run_transaction", refuse)
    with pytest.raises(StoreUnavailableError) as caught:
        store.revisions()
    assert_no_credentials(caught.value, caplog)
    monkeypatch.delitem(sys.modules, "psycopg")
    with pytest.raises(psycopg.OperationalError):  # not a driver error while unloaded
        store.revisions()


def notices(app: AppTest) -> list[str]:
    return [element.value for element in [*app.info, *app.warning, *app.error]]


def open_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_public_pages_show_the_bundled_data_while_the_store_is_damaged(
    tmp_path, monkeypatch, sites
):
    location = tmp_path / "store.sqlite"
    corrupt_file(location)
    monkeypatch.setenv("NALOXONE_STORE", str(location))
    app = open_app()
    assert not app.exception
    assert notices(app).count(STORE_NOTICE) == 1
    listed = {metric.label: metric.value for metric in app.metric}["Listed access points"]
    assert listed == formatting.count(int((~sites["closed"]).sum()))
    for page in ("leave-behind", "compare", "access-gaps"):
        other = open_app(page=page)
        assert not other.exception, page
        assert STORE_NOTICE in notices(other), page

    location.unlink()  # the operator restores the store: here, with one local site
    Store(str(location)).add_sites(pd.DataFrame([SITE]), who="ana")
    Store(str(location)).publish(None, who="ana")
    app.run()
    assert not app.exception
    assert STORE_NOTICE not in notices(app)
    listed = {metric.label: metric.value for metric in app.metric}["Listed access points"]
    assert listed == formatting.count(int((~sites["closed"]).sum()) + 1)
