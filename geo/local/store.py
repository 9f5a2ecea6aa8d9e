"""Local updates on top of the bundled public data, persisted with history.

The public layers in ``data/`` are never modified: this store keeps sites added
or corrected locally and leave-behind records entered by officials, each row
with a version for optimistic concurrency, and an append-only history (when,
who, what, previous value, version made) from which any change can be reverted.

Where it lives: ``NALOXONE_STORE`` — a file path (SQLite, the default, at
``$XDG_DATA_HOME/md-naloxone/store.sqlite``) or a ``postgresql://`` URL for a
shared deployment. Every write is one transaction: it all happens or none of it.

Concurrency: every write checks, inside its transaction, the version it was given
(a revert checks the version it read), so two writers can never both win and no
version is issued twice. SQLite runs in WAL mode with a busy timeout, and its write
transactions take the write lock at ``BEGIN IMMEDIATE``; an import also checks for
already-stored duplicates inside its transaction (on PostgreSQL under a
transaction-level advisory lock). Any database failure surfaces as
``StoreUnavailableError`` with a plain message that never contains credentials.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from geo.engine.distance import lonlat_to_xy_m
from geo.schema import LEAVE_BEHIND_STATUSES, SITE_TYPES

log = logging.getLogger(__name__)

STORE_ENV = "NALOXONE_STORE"
SITE_FIELDS = ("name", "type", "address", "city", "zip", "jurisdiction_fips", "lat", "lon",
               "location_precision", "status", "source", "source_date", "notes")
LEAVE_BEHIND_FIELDS = ("status", "earliest_date", "doses", "people", "evidence",
                       "source_url")
SITE_STATUSES = ("open", "closed")
SAME_TYPE_DISTANCE_M = 25.0
"""An imported site this close to a stored local site of the same type is a duplicate."""
SAME_NAME_DISTANCE_M = 50.0
"""... and this close to one with the same normalised name (any type)."""
BUSY_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5
BUSY_ATTEMPTS = 5
_SCHEMA_LOCK = 0x4D444E01  # PostgreSQL advisory lock keys ("MDN" 1 and 2)
_IMPORT_LOCK = 0x4D444E02
_WRITE_OPTION = "naloxone_write"
_MAX_NAMED_DUPLICATES = 10

metadata = sa.MetaData()
local_sites = sa.Table(
    "local_sites", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    *(sa.Column(f, sa.Float if f in ("lat", "lon") else sa.Text) for f in SITE_FIELDS),
    sa.Column("overrides_public", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
local_leave_behind = sa.Table(
    "local_leave_behind", metadata,
    sa.Column("fips", sa.String(5), primary_key=True),
    *(sa.Column(f, sa.Integer if f in ("doses", "people") else sa.Text)
      for f in LEAVE_BEHIND_FIELDS),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("previous", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("version", sa.Integer),  # the version the change made (None: row removed)
)

T = TypeVar("T")


class ConflictError(RuntimeError):
    """Someone else changed the record since it was read (optimistic versioning).

    ``current`` is the record as stored now (its fields, ``version``, ``updated_by``,
    ``updated_at``), or None when it no longer exists, so a form can show both values.
    """

    def __init__(self, message: str, current: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.current = None if current is None else dict(current)


class DuplicateSitesError(ConflictError):
    """An import would store sites that are already stored; nothing was imported.

    ``duplicates`` lists, per refused row: ``row`` (its label), ``name``, ``stored_id``,
    ``stored_name`` and ``reason``. ``current`` is None (several records are involved).
    """

    def __init__(self, duplicates: list[dict[str, object]], total: int) -> None:
        named = "; ".join(
            f"row {d['row']} \"{d['name']}\" duplicates stored site {d['stored_id']} "
            f"\"{d['stored_name']}\" ({d['reason']})"
            for d in duplicates[:_MAX_NAMED_DUPLICATES])
        more = len(duplicates) - _MAX_NAMED_DUPLICATES
        super().__init__(f"{len(duplicates)} of {total} site(s) are already stored, so "
                         f"nothing was imported: {named}"
                         + (f"; and {more} more" if more > 0 else ""))
        self.duplicates = duplicates


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached, opened or read. The message names what went wrong
    in plain words and never contains credentials."""


def masked_location(location: str) -> str:
    """The store location fit to show an editor: a database URL with its password
    replaced by ``***``; a SQLite path as it is."""
    if "://" not in location:
        return location
    try:
        return sa.engine.make_url(location).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(a database URL that cannot be parsed)"


def default_store_location() -> str:
    """``$XDG_DATA_HOME/md-naloxone/store.sqlite`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "md-naloxone" / "store.sqlite")


def store_location() -> str:
    """The configured store: ``NALOXONE_STORE`` or the per-user default."""
    return os.environ.get(STORE_ENV, "").strip() or default_store_location()


def _is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://", "postgresql+"))


def _engine_url(location: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if location.startswith("postgresql+"):
        return location
    if "://" in location:
        raise StoreUnavailableError(f"{STORE_ENV} must be a file path (SQLite) or a "
                                    "postgresql:// URL")
    return "sqlite:///" + str(Path(location).expanduser().resolve())


def _plain_location(location: str) -> str:
    """Where the store is, in words, without user or password."""
    if not _is_postgres(location):
        return f"file {location}"
    try:
        url = sa.engine.make_url(location)
    except sa.exc.ArgumentError:
        return "PostgreSQL (a URL that cannot be parsed)"
    if not url.host:
        return "PostgreSQL on the local socket"
    return f"PostgreSQL at {url.host}:{url.port or 5432}"


def _driver_code(exc: BaseException) -> tuple[str, int | None]:
    """(lower-cased driver message, SQLite error code) of a database error: used only
    to classify it, never shown (it may name the user)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).lower(), getattr(original, "sqlite_errorcode", None)


def _is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED, or a PostgreSQL serialization failure or deadlock."""
    text, code = _driver_code(exc)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return sqlstate in ("40001", "40P01") or "database is locked" in text


def _unavailable(location: str, exc: BaseException) -> StoreUnavailableError:
    """A plain ``StoreUnavailableError`` for a database failure, logged with the masked
    location. The driver's own message is not kept: it can contain the URL or user."""
    where = _plain_location(location)
    text, _ = _driver_code(exc)
    if not _is_postgres(location):
        if "not a database" in text or "malformed" in text:
            reason = "is damaged (not a readable SQLite database)"
        elif "unable to open" in text or "readonly" in text or "read-only" in text:
            reason = "cannot be opened or written (check the file and its folder)"
        elif _is_busy(exc):
            reason = "is busy: another process keeps it locked; try again shortly"
        elif "no such table" in text or "no such column" in text:
            reason = "does not hold the store's tables (not a store, or a damaged one)"
        else:
            reason = f"failed ({type(exc).__name__})"
    elif isinstance(exc, sa.exc.ArgumentError | sa.exc.NoSuchModuleError):
        reason = f"cannot be used: {STORE_ENV} is not a valid postgresql:// URL"
    elif "password" in text or "authentication" in text or "role" in text:
        reason = "refused the sign-in (check the user and password in the store URL)"
    elif "database" in text and "does not exist" in text:
        reason = "has no database of the name in the store URL"
    elif "does not exist" in text:
        reason = "does not hold the store's tables"
    elif isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        reason = "cannot be reached"
    else:
        reason = f"failed ({type(exc).__name__})"
    message = f"the local-updates store ({where}) {reason}"
    log.warning("%s [%s]", message, type(exc).__name__)
    return StoreUnavailableError(message)


_DRIVER_ERRORS: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error)
try:  # psycopg errors reach us wrapped by SQLAlchemy; this is a safety net
    import psycopg

    _DRIVER_ERRORS += (psycopg.Error,)
except ImportError:  # pragma: no cover - psycopg is a requirement
    pass


def _plainly(method: Callable[..., T]) -> Callable[..., T]:
    """Turn any database error of a ``Store`` method into ``StoreUnavailableError``.

    The new error is raised outside the ``except`` block, so it has neither cause nor
    context: the driver's message (which can hold the URL or user) is never chained."""
    @functools.wraps(method)
    def call(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except _DRIVER_ERRORS as exc:
            problem = _unavailable(self.location, exc)
        raise problem
    return call


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _clean(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _refuse_nul(record: Mapping[str, object], where: str = "") -> None:
    """A NUL character cannot be stored (PostgreSQL refuses it): say which field."""
    for field, value in record.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(f"{where}{field}: contains a NUL character (\\x00), which "
                             "cannot be stored; remove it and try again")


def _make_engine(url: str) -> sa.Engine:
    """SQLite: a fresh connection per use (sees a replaced or repaired file), WAL, a busy
    timeout, and ``BEGIN IMMEDIATE`` for writes. PostgreSQL: a pool that checks its
    connections (recovers when the server returns) and a connect timeout."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True,
                                connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool,
                              connect_args={"timeout": BUSY_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _sqlite_connect(connection, _record) -> None:
        connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _sqlite_begin)
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")

    return engine


class Store:
    """The local-updates store (SQLite file or PostgreSQL URL).

    Every method raises ``StoreUnavailableError`` (plain message, no credentials) when
    the database cannot be reached, opened or read."""

    def __init__(self, location: str | None = None, *, create: bool = True) -> None:
        self.location = location or store_location()
        self._postgres = _is_postgres(self.location)
        self._open(create)

    @_plainly
    def _open(self, create: bool) -> None:
        url = _engine_url(self.location)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if not create and not path.exists():
                raise FileNotFoundError(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                made = True
            except OSError:
                made = False
            if not made:
                raise StoreUnavailableError(
                    f"the local-updates store ({_plain_location(self.location)}) cannot be "
                    "created: its folder cannot be made")
        self.engine = _make_engine(url)
        self._writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._create_schema()

    @property
    def display_location(self) -> str:
        """The location with any password masked (fit to show an editor)."""
        return masked_location(self.location)

    def __repr__(self) -> str:
        return f"Store({self.display_location!r})"

    @classmethod
    def open_existing(cls, location: str | None = None) -> Store | None:
        """The store if it exists (a missing SQLite file means no local updates)."""
        try:
            return cls(location, create=False)
        except FileNotFoundError:
            return None

    # transactions ------------------------------------------------------------
    def _run(self, work: Callable[[sa.Connection], T], *, write: bool) -> T:
        """Run ``work`` in one transaction (a write takes SQLite's write lock at BEGIN),
        retrying a busy database a few times with growing, jittered pauses."""
        engine = self._writer if write else self.engine
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                with engine.begin() as connection:
                    return work(connection)
            except sa.exc.DBAPIError as exc:
                if attempt == BUSY_ATTEMPTS or not _is_busy(exc):
                    raise
            time.sleep(0.05 * 2 ** attempt * (1 + random.random()))
        raise AssertionError("unreachable")  # pragma: no cover

    def _lock(self, connection: sa.Connection, key: int) -> None:
        """Serialise with other writers holding ``key`` until this transaction ends
        (PostgreSQL; a SQLite write transaction already holds the database's lock)."""
        if self._postgres:
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))

    def _schema_complete(self, connection: sa.Connection) -> bool:
        inspector = sa.inspect(connection)
        if not all(inspector.has_table(t.name) for t in metadata.sorted_tables):
            return False
        return "version" in {c["name"] for c in inspector.get_columns("history")}

    def _create_schema(self) -> None:
        """Create missing tables (and the history ``version`` column of older stores)
        once, safely when many processes open a fresh store together: the check and the
        creation run under the write lock, and a lost race is retried."""
        if self._run(self._schema_complete, write=False):
            return

        def create(connection: sa.Connection) -> None:
            self._lock(connection, _SCHEMA_LOCK)
            metadata.create_all(connection, checkfirst=True)
            if "version" not in {c["name"] for c in sa.inspect(connection)
                                 .get_columns("history")}:
                connection.exec_driver_sql("ALTER TABLE history ADD COLUMN version INTEGER")

        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                self._run(create, write=True)
                return
            except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError
                    ) as exc:
                if attempt == BUSY_ATTEMPTS or "already exists" not in _driver_code(exc)[0]:
                    raise

    # reading ---------------------------------------------------------------
    def _frame(self, query: sa.Select) -> pd.DataFrame:
        def read(connection: sa.Connection) -> pd.DataFrame:
            result = connection.execute(query)  # not pd.read_sql: it re-wraps errors
            return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()),
                                             coerce_float=True)
        return self._run(read, write=False)

    @_plainly
    def sites(self) -> pd.DataFrame:
        """Every locally added or corrected site, with version and who/when."""
        return self._frame(sa.select(local_sites).order_by(local_sites.c.id))

    @_plainly
    def leave_behind(self) -> pd.DataFrame:
        """Every locally entered leave-behind record."""
        return self._frame(sa.select(local_leave_behind).order_by(local_leave_behind.c.fips))

    @_plainly
    def history(self, limit: int = 500) -> pd.DataFrame:
        """The newest changes first."""
        return self._frame(sa.select(history).order_by(history.c.id.desc()).limit(limit))

    @_plainly
    def revision(self) -> int:
        """The id of the newest change (0 when none): changes whenever data changes."""
        return self._run(lambda connection: int(connection.execute(
            sa.select(sa.func.max(history.c.id))).scalar() or 0), write=False)

    # writing ---------------------------------------------------------------
    def _log(self, connection, who: str, kind: str, key: str, action: str,
             previous: Mapping | None, new: Mapping | None, version: int | None = None
             ) -> None:
        connection.execute(history.insert().values(
            at=_now(), who=who, kind=kind, key=key, action=action, version=version,
            previous=None if previous is None else json.dumps(previous, default=str),
            new=None if new is None else json.dumps(new, default=str)))

    @staticmethod
    def _record(row: Mapping, fields: Iterable[str]) -> dict[str, object]:
        return {f: _clean(row.get(f)) for f in fields}

    @staticmethod
    def _current(connection: sa.Connection, table: sa.Table, key_column: sa.Column,
                 key: str, *, lock: bool = False) -> dict[str, object] | None:
        """The stored row (all columns) or None; ``lock`` holds it until commit."""
        query = sa.select(table).where(key_column == key)
        row = connection.execute(query.with_for_update() if lock else query
                                 ).mappings().first()
        return None if row is None else {k: _clean(v) for k, v in row.items()}

    def _insert_if_absent(self, table: sa.Table) -> Any:
        """INSERT that does nothing (returns no row) when the key is already there."""
        dialect = pg_dialect if self._postgres else sqlite_dialect
        return dialect.insert(table).on_conflict_do_nothing()

    @_plainly
    def add_sites(self, rows: pd.DataFrame, who: str) -> list[str]:
        """Add new sites in one transaction (all or none); returns their new ids.

        Refused whole with ``DuplicateSitesError`` when a row duplicates an already
        stored local site: same type within ``SAME_TYPE_DISTANCE_M``, same normalised
        name within ``SAME_NAME_DISTANCE_M``, or (unmapped) same name, type and
        jurisdiction. The check runs inside the write transaction, serialised with
        every other import, so the same file imported concurrently is stored once.
        A ``_row`` column, when present, labels the rows in messages."""
        labels = (rows["_row"].tolist() if "_row" in rows.columns
                  else list(range(1, len(rows) + 1)))
        records = []
        for label, (_, row) in zip(labels, rows.iterrows(), strict=True):
            record = self._record(row, SITE_FIELDS)
            record["status"] = record.get("status") or "open"
            _refuse_nul(record, f"row {label}, ")
            records.append(record)

        def work(connection: sa.Connection) -> list[str]:
            self._lock(connection, _IMPORT_LOCK)
            stored = pd.DataFrame(connection.execute(sa.select(
                local_sites.c.id, local_sites.c.name, local_sites.c.type,
                local_sites.c.jurisdiction_fips, local_sites.c.lat, local_sites.c.lon,
            )).mappings().all(), columns=["id", "name", "type", "jurisdiction_fips", "lat",
                                          "lon"])
            duplicates = find_duplicates(records, labels, stored)
            if duplicates:
                raise DuplicateSitesError(duplicates, len(records))
            ids = []
            for record in records:
                site_id = f"local-{uuid.uuid4().hex[:10]}"
                connection.execute(local_sites.insert().values(
                    id=site_id, overrides_public=False, version=1, updated_at=_now(),
                    updated_by=who, **record))
                self._log(connection, who, "site", site_id, "import", None, record, 1)
                ids.append(site_id)
            return ids

        return self._run(work, write=True)

    def _save(self, table: sa.Table, key_column: sa.Column, key: str, kind: str,
              record: dict[str, object], fields: tuple[str, ...], *, expected_version: int,
              who: str, action: str, insert_extra: Mapping[str, object]) -> int:
        """Insert (``expected_version`` 0) or update one row if its version is still the
        one read; log the change. One transaction. A mismatch raises ``ConflictError``
        carrying the stored row."""
        def work(connection: sa.Connection) -> int:
            if expected_version == 0:
                inserted = connection.execute(self._insert_if_absent(table).values(
                    {key_column.name: key, "version": 1, "updated_at": _now(),
                     "updated_by": who, **insert_extra, **record}).returning(key_column))
                if inserted.first() is None:
                    current = self._current(connection, table, key_column, key)
                    by = (f" by {current['updated_by']} at {current['updated_at']}"
                          if current else "")
                    raise ConflictError(f"{key} was saved{by} while you were editing; "
                                        "compare and try again", current)
                self._log(connection, who, kind, key, action, None, record, 1)
                return 1
            current = self._current(connection, table, key_column, key, lock=True)
            if current is None or current["version"] != expected_version:
                raise ConflictError(f"{key} was changed since version {expected_version}; "
                                    "reload and try again", current)
            updated = connection.execute(table.update().where(
                (key_column == key) & (table.c.version == expected_version)
            ).values(version=expected_version + 1, updated_at=_now(), updated_by=who,
                     **record))
            if updated.rowcount != 1:  # pragma: no cover - the row is locked above
                raise ConflictError(f"{key} was changed since version {expected_version}; "
                                    "reload and try again",
                                    self._current(connection, table, key_column, key))
            self._log(connection, who, kind, key, action, self._record(current, fields),
                      record, expected_version + 1)
            return expected_version + 1

        return self._run(work, write=True)

    @_plainly
    def save_site(self, site_id: str, values: Mapping[str, object], *, expected_version: int,
                  who: str, overrides_public: bool = False, action: str = "update") -> int:
        """Create or change one site. ``expected_version`` is the version read (0 when no
        local row existed); a mismatch raises ``ConflictError`` (with ``current``, the
        stored row) and changes nothing."""
        record = self._record(values, SITE_FIELDS)
        if record.get("status") not in SITE_STATUSES:
            raise ValueError(f"site status must be one of {', '.join(SITE_STATUSES)}")
        if record.get("type") not in SITE_TYPES:
            raise ValueError(f"unknown site type {record.get('type')!r}")
        if not str(record.get("name") or "").strip():
            raise ValueError("a site needs a name")
        _refuse_nul(record)
        return self._save(local_sites, local_sites.c.id, site_id, "site", record, SITE_FIELDS,
                          expected_version=expected_version, who=who, action=action,
                          insert_extra={"overrides_public": overrides_public})

    @_plainly
    def save_leave_behind(self, fips: str, values: Mapping[str, object], *,
                          expected_version: int, who: str) -> int:
        """Create or change a jurisdiction's leave-behind record (optimistic versioning;
        a mismatch raises ``ConflictError`` with ``current``)."""
        record = self._record(values, LEAVE_BEHIND_FIELDS)
        if record.get("status") not in LEAVE_BEHIND_STATUSES:
            raise ValueError("leave-behind status must be one of "
                             + ", ".join(LEAVE_BEHIND_STATUSES))
        for count in ("doses", "people"):
            value = record.get(count)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{count} must be a whole number of at least 0")
        _refuse_nul(record)
        return self._save(local_leave_behind, local_leave_behind.c.fips, fips, "leave_behind",
                          record, LEAVE_BEHIND_FIELDS, expected_version=expected_version,
                          who=who, action="update", insert_extra={})

    @_plainly
    def revert(self, history_id: int, who: str) -> None:
        """Undo one change: restore its previous value (or remove a row it created), as
        a new change. Refused with ``ConflictError`` (with ``current``) if the record
        changed since; the write is conditional on the version read, like any write."""
        def work(connection: sa.Connection) -> None:
            entry = connection.execute(sa.select(history).where(
                history.c.id == history_id)).mappings().first()
            if entry is None:
                raise ValueError(f"no change {history_id}")
            table, key_column, fields = (
                (local_sites, local_sites.c.id, SITE_FIELDS) if entry["kind"] == "site"
                else (local_leave_behind, local_leave_behind.c.fips, LEAVE_BEHIND_FIELDS))
            key = entry["key"]
            current = self._current(connection, table, key_column, key, lock=True)
            new = json.loads(entry["new"]) if entry["new"] else None
            if current is None or self._record(current, fields) != new:
                raise ConflictError(f"{key} changed after change {history_id}; "
                                    "revert the newer change first", current)
            previous = json.loads(entry["previous"]) if entry["previous"] else None
            read = (key_column == key) & (table.c.version == current["version"])
            if previous is None:
                changed = connection.execute(table.delete().where(read))
                version = None
            else:
                version = int(current["version"]) + 1
                changed = connection.execute(table.update().where(read).values(
                    version=version, updated_at=_now(), updated_by=who, **previous))
            if changed.rowcount != 1:  # pragma: no cover - the row is locked above
                raise ConflictError(f"{key} changed while reverting change {history_id}; "
                                    "reload and try again",
                                    self._current(connection, table, key_column, key))
            self._log(connection, who, entry["kind"], key, f"revert #{history_id}", new,
                      previous, version)

        self._run(work, write=True)


def find_duplicates(records: list[dict[str, object]], labels: list[object],
                    stored: pd.DataFrame) -> list[dict[str, object]]:
    """For each record that duplicates a stored site (see ``Store.add_sites``): its label,
    name, the stored id and name, and why (nearest match first)."""
    from geo.local.importing import normalise_name  # the rule the import check uses

    found: list[dict[str, object]] = []
    if stored.empty:
        return found
    stored = stored.assign(key=[normalise_name(n or "") for n in stored["name"]])
    lat = pd.to_numeric(stored["lat"], errors="coerce")
    lon = pd.to_numeric(stored["lon"], errors="coerce")
    mapped = (lat.notna() & lon.notna()).to_numpy()
    xy = np.full((len(stored), 2), np.nan)
    if mapped.any():
        xy[mapped] = lonlat_to_xy_m(lon[mapped].to_numpy(), lat[mapped].to_numpy())
    for label, record in zip(labels, records, strict=True):
        key = normalise_name(str(record.get("name") or ""))
        match: tuple[int, str] | None = None
        if record.get("lat") is not None and record.get("lon") is not None:
            here = lonlat_to_xy_m(np.array([float(record["lon"])]),
                                  np.array([float(record["lat"])]))[0]
            distance = np.hypot(xy[:, 0] - here[0], xy[:, 1] - here[1])
            same_type = (stored["type"] == record.get("type")).to_numpy() \
                & (distance <= SAME_TYPE_DISTANCE_M)
            same_name = (stored["key"] == key).to_numpy() & (distance <= SAME_NAME_DISTANCE_M)
            candidates = np.flatnonzero(same_type | same_name)
            if len(candidates):
                best = int(candidates[np.argmin(distance[candidates])])
                why = "same type" if same_type[best] else "same name"
                match = (best, f"{why}, {distance[best]:.0f} m away")
        else:
            same = np.flatnonzero(~mapped & (stored["key"] == key).to_numpy()
                                  & (stored["type"] == record.get("type")).to_numpy()
                                  & (stored["jurisdiction_fips"]
                                     == record.get("jurisdiction_fips")).to_numpy())
            if len(same):
                match = (int(same[0]), "same name, type and jurisdiction, no coordinates")
        if match is not None:
            index, reason = match
            found.append({"row": label, "name": record.get("name"),
                          "stored_id": stored["id"].iloc[index],
                          "stored_name": stored["name"].iloc[index], "reason": reason})
    return found
