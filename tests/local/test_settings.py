"""The local-updates settings read through geo.config, and store locations parsed with
SQLAlchemy's make_url (driver, escaped passwords, masking, refusals)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from geo import config
from geo.local import sql
from geo.local.store import Store, StoreUnavailableError


def test_store_location_comes_from_the_environment_or_the_xdg_default(monkeypatch, tmp_path):
    monkeypatch.setenv(config.STORE_ENV, f"  {tmp_path / 'mine.sqlite'}  ")
    assert config.store_location() == str(tmp_path / "mine.sqlite")
    assert Store().location == str(tmp_path / "mine.sqlite")
    monkeypatch.setenv(config.STORE_ENV, "   ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert config.store_location() == str(tmp_path / "xdg" / "md-naloxone" / "store.sqlite")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert config.default_store_location() == str(
        Path.home() / ".local" / "share" / "md-naloxone" / "store.sqlite"
    )


def test_editor_settings_come_from_the_environment(monkeypatch, caplog):
    monkeypatch.delenv(config.PASSWORD_HASH_ENV, raising=False)
    assert config.editor_password_hash() is None
    monkeypatch.setenv(config.PASSWORD_HASH_ENV, " scrypt$1$2$3$aa$bb ")
    assert config.editor_password_hash() == "scrypt$1$2$3$aa$bb"
    assert config.editor_idle_seconds({config.IDLE_MINUTES_ENV: "2.5"}) == 150
    with caplog.at_level(logging.WARNING):
        assert config.editor_idle_seconds({config.IDLE_MINUTES_ENV: "-1"}) == 30 * 60
    assert "not a positive number" in caplog.text
    assert config.client_address_header({}) is None
    assert (
        config.client_address_header({config.CLIENT_ADDRESS_HEADER_ENV: " X-Real-IP "})
        == "x-real-ip"
    )


def test_engine_urls_are_parsed_not_pasted(tmp_path):
    url = sql.engine_url("postgresql://ana:p%40ss%2Fword@db.example:6543/naloxone")
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "ana",
        "p@ss/word",
        "db.example",
        6543,
        "naloxone",
    )
    assert sql.engine_url("postgres://ana@db/naloxone").drivername == "postgresql+psycopg"
    assert sql.engine_url("postgresql+psycopg2://ana@db/x").drivername == "postgresql+psycopg2"
    local = sql.engine_url(str(tmp_path / "a" / ".." / "store.sqlite"))
    assert local.get_backend_name() == "sqlite"
    assert local.database == str((tmp_path / "store.sqlite").resolve())


def test_unusable_locations_are_refused_plainly():
    with pytest.raises(StoreUnavailableError, match=r"must be a file path .* or a postgresql"):
        Store("mysql://ana:secret@db/naloxone")
    with pytest.raises(StoreUnavailableError, match="not a valid postgresql:// URL") as failed:
        Store("postgresql://ana:secret@db:notaport/naloxone")
    assert "secret" not in str(failed.value)


def test_locations_are_shown_without_passwords():
    location = "postgresql://ana:s3cret@db.example/naloxone"
    assert sql.masked_location(location) == "postgresql://ana:***@db.example/naloxone"
    assert sql.plain_location(location) == "PostgreSQL at db.example:5432"
    assert sql.plain_location("postgresql:///naloxone") == "PostgreSQL on the local socket"
    assert sql.masked_location("/srv/store.sqlite") == "/srv/store.sqlite"


def test_a_url_with_a_bad_port_is_masked_and_refused_plainly():
    location = "postgresql://ana:secret@db:notaport/naloxone"
    assert sql.masked_location(location) == "(a database URL that cannot be parsed)"
    assert sql.plain_location(location) == "PostgreSQL (a URL that cannot be parsed)"
