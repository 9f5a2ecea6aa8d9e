"""The store's database: where it is, the engine, transactions, schema, plain errors.

``NALOXONE_STORE`` is a file path (SQLite) or a ``postgresql://`` URL, parsed with
SQLAlchemy's ``make_url``. SQLite gets a fresh connection per use, WAL, a busy timeout
and ``BEGIN IMMEDIATE`` for writes; PostgreSQL a pool that checks its connections, a
connect timeout and per-transaction ``statement_timeout``/``lock_timeout``. A read waits
at most ``READ_TIMEOUT_S`` for a lock, a write ``BUSY_TIMEOUT_S``. Transactions retry a
busy database a few times. Any database failure
becomes ``StoreUnavailableError`` with a plain message that never holds credentials.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from geo.config import STORE_ENV
from geo.local.tables import (
    LATER_SITE_FIELDS,
    StoreUnavailableError,
    change_sets,
    history,
    metadata,
    store_revision,
)

log = logging.getLogger(__name__)

#: How long a read waits for a lock or a slow statement before the store counts as
#: unavailable (the pages then show the bundled public data with the outage notice):
#: SQLite's busy timeout, PostgreSQL's ``lock_timeout`` and ``statement_timeout``.
READ_TIMEOUT_S = 3.0
#: The same for a write (an editor's save or import waits its turn behind others).
BUSY_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5
BUSY_ATTEMPTS = 5
SCHEMA_LOCK = 0x4D444E01  # PostgreSQL advisory lock keys ("MDN" 1 and 2)
IMPORT_LOCK = 0x4D444E02
_WRITE_OPTION = "naloxone_write"

T = TypeVar("T")


# where the store is -------------------------------------------------------------------------
def is_postgres(location: str) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``, ``postgresql+driver://``) URL."""
    return location.startswith(("postgresql://", "postgres://", "postgresql+"))


def parse_url(location: str) -> sa.URL:
    """``make_url``, with every parse failure (a port that is not a number is a
    ``ValueError``) raised as ``ArgumentError``; the message never repeats the URL."""
    try:
        return make_url(location)
    except ValueError:
        raise sa.exc.ArgumentError("the store URL cannot be parsed") from None


def engine_url(location: str) -> sa.URL:
    """The SQLAlchemy URL of a store location: a SQLite file (absolute path) or a
    PostgreSQL URL on psycopg unless it names a driver."""
    if is_postgres(location):
        url = parse_url(location)
        return url.set(drivername="postgresql+psycopg") if "+" not in url.drivername else url
    if "://" in location:
        raise StoreUnavailableError(
            f"{STORE_ENV} must be a file path (SQLite) or a postgresql:// URL"
        )
    return sa.URL.create("sqlite", database=str(Path(location).expanduser().resolve()))


def masked_location(location: str) -> str:
    """The store location fit to show an editor: a database URL with its password
    replaced by ``***``; a SQLite path as it is."""
    if "://" not in location:
        return location
    try:
        return parse_url(location).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(a database URL that cannot be parsed)"


def plain_location(location: str) -> str:
    """Where the store is, in words, without user or password."""
    if not is_postgres(location):
        return f"file {location}"
    try:
        url = parse_url(location)
    except sa.exc.ArgumentError:
        return "PostgreSQL (a URL that cannot be parsed)"
    if not url.host:
        return "PostgreSQL on the local socket"
    return f"PostgreSQL at {url.host}:{url.port or 5432}"


# database errors in plain words -------------------------------------------------------------
def driver_code(exc: BaseException) -> tuple[str, int | None]:
    """(lower-cased driver message, SQLite error code) of a database error: used only
    to classify it, never shown (it may name the user)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).lower(), getattr(original, "sqlite_errorcode", None)


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED, or a PostgreSQL serialization failure or deadlock."""
    text, code = driver_code(exc)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return sqlstate in ("40001", "40P01") or "database is locked" in text


def _sqlite_reason(exc: BaseException, text: str) -> str:
    if "not a database" in text or "malformed" in text:
        return "is damaged (not a readable SQLite database)"
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return "cannot be opened or written (check the file and its folder)"
    if is_busy(exc):
        return "is busy: another process keeps it locked; try again shortly"
    if "no such table" in text or "no such column" in text:
        return "does not hold the store's tables (not a store, or a damaged one)"
    return f"failed ({type(exc).__name__})"


def _postgres_reason(exc: BaseException, text: str) -> str:
    if isinstance(exc, sa.exc.ArgumentError | sa.exc.NoSuchModuleError):
        return f"cannot be used: {STORE_ENV} is not a valid postgresql:// URL"
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate in ("57014", "55P03") or "canceling statement" in text:
        return f"did not answer within {READ_TIMEOUT_S:g} s (a lock or a slow query); try again"
    if sqlstate == "42501" or "permission denied" in text:
        return "refused to read the store's tables (check the role's privileges)"
    if "password" in text or "authentication" in text or "role" in text:
        return "refused the sign-in (check the user and password in the store URL)"
    if "database" in text and "does not exist" in text:
        return "has no database of the name in the store URL"
    if "does not exist" in text:
        return "does not hold the store's tables"
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        return "cannot be reached"
    return f"failed ({type(exc).__name__})"


def unavailable(location: str, exc: BaseException) -> StoreUnavailableError:
    """A plain ``StoreUnavailableError`` for a database failure, logged with the masked
    location. The driver's own message is not kept: it can contain the URL or user."""
    text, _ = driver_code(exc)
    reason = (_postgres_reason if is_postgres(location) else _sqlite_reason)(exc, text)
    message = f"the local-updates store ({plain_location(location)}) {reason}"
    log.warning("%s [%s]", message, type(exc).__name__)
    return StoreUnavailableError(message)


DRIVER_ERRORS: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error)


def driver_errors() -> tuple[type[BaseException], ...]:
    """:data:`DRIVER_ERRORS`, and psycopg's once a PostgreSQL engine has loaded it (its
    errors reach us wrapped by SQLAlchemy; this is a safety net). psycopg is not imported
    here: a SQLite store never needs it (~0.09 s at start)."""
    psycopg = sys.modules.get("psycopg")
    return DRIVER_ERRORS if psycopg is None else (*DRIVER_ERRORS, psycopg.Error)


def plainly(method: Callable[..., T]) -> Callable[..., T]:
    """Turn any database error of a method of an object with a ``location`` (the
    ``Store``) into ``StoreUnavailableError``.

    The new error is raised outside the ``except`` block, so it has neither cause nor
    context: the driver's message (which can hold the URL or user) is never chained."""

    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except driver_errors() as exc:
            problem = unavailable(self.location, exc)
        raise problem

    return call


# engine and transactions --------------------------------------------------------------------
def make_engine(url: sa.URL) -> sa.Engine:
    """SQLite: a fresh connection per use (sees a replaced or repaired file), WAL, a busy
    timeout, and ``BEGIN IMMEDIATE`` for writes. PostgreSQL: a pool that checks its
    connections (recovers when the server returns) and a connect timeout."""
    if url.get_backend_name() != "sqlite":
        engine = sa.create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
        )

        @sa.event.listens_for(engine, "begin")
        def _postgres_begin(connection) -> None:
            write = connection.get_execution_options().get(_WRITE_OPTION, False)
            wait_ms = int((BUSY_TIMEOUT_S if write else READ_TIMEOUT_S) * 1000)
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {wait_ms}")
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")

        return engine
    engine = sa.create_engine(
        url, poolclass=sa.pool.NullPool, connect_args={"timeout": READ_TIMEOUT_S}
    )

    @sa.event.listens_for(engine, "connect")
    def _sqlite_connect(connection, _record) -> None:
        connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _sqlite_begin)
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(READ_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        wait_ms = int((BUSY_TIMEOUT_S if write else READ_TIMEOUT_S) * 1000)
        connection.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")

    return engine


def writer(engine: sa.Engine) -> sa.Engine:
    """The engine whose transactions write (on SQLite they begin IMMEDIATE)."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def run_transaction(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """Run ``work`` in one transaction, retrying a busy database a few times with
    growing, jittered pauses (a read only while it has waited less than
    ``READ_TIMEOUT_S`` in all)."""
    started = time.monotonic()
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            with engine.begin() as connection:
                return work(connection)
        except sa.exc.DBAPIError as exc:
            reading = not engine.get_execution_options().get(_WRITE_OPTION, False)
            waited = reading and time.monotonic() - started >= READ_TIMEOUT_S
            if attempt == BUSY_ATTEMPTS or not is_busy(exc) or waited:
                raise  # a read that already waited READ_TIMEOUT_S: the caller falls back
        time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover


def advisory_lock(connection: sa.Connection, key: int) -> None:
    """Serialise with other writers holding ``key`` until this transaction ends
    (PostgreSQL; a SQLite write transaction already holds the database's lock)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def insert_if_absent(connection: sa.Connection, table: sa.Table) -> Any:
    """INSERT that does nothing (returns no row) when the key is already there."""
    # imported here: a SQLite store never loads the PostgreSQL dialect (~0.1 s at start)
    name = "postgresql" if connection.dialect.name == "postgresql" else "sqlite"
    dialect = importlib.import_module(f"sqlalchemy.dialects.{name}")
    return dialect.insert(table).on_conflict_do_nothing()


def now() -> str:
    """The time of a change, as stored: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# schema -------------------------------------------------------------------------------------
LEGACY_SUMMARY = "{count} change(s) made before local updates needed publishing"


def _missing_history_columns(connection: sa.Connection) -> list[str]:
    """History columns an older store lacks (``version``, then ``change_set``)."""
    present = {c["name"] for c in sa.inspect(connection).get_columns("history")}
    return [name for name in ("version", "change_set") if name not in present]


def _missing_site_columns(connection: sa.Connection) -> list[str]:
    """Site columns an older store lacks (phone, hours, licence, source_id)."""
    present = {c["name"] for c in sa.inspect(connection).get_columns("local_sites")}
    return [name for name in LATER_SITE_FIELDS if name not in present]


def _schema_complete(connection: sa.Connection) -> bool:
    inspector = sa.inspect(connection)
    if not all(inspector.has_table(t.name) for t in metadata.sorted_tables):
        return False
    return not _missing_history_columns(connection) and not _missing_site_columns(connection)


def _adopt_legacy_history(connection: sa.Connection) -> None:
    """Changes stored before change sets existed become one draft change: visitors
    see them only once an editor has reviewed and published them."""
    count = connection.execute(sa.select(sa.func.count()).select_from(history)).scalar()
    if not count:
        return
    made = connection.execute(
        change_sets.insert()
        .values(
            kind="legacy",
            summary=LEGACY_SUMMARY.format(count=count),
            who="store upgrade",
            at=now(),
            state="draft",
        )
        .returning(change_sets.c.id)
    ).scalar_one()
    connection.execute(
        history.update().where(history.c.change_set.is_(None)).values(change_set=made)
    )


def _create_tables(connection: sa.Connection) -> None:
    advisory_lock(connection, SCHEMA_LOCK)
    metadata.create_all(connection, checkfirst=True)
    missing = _missing_history_columns(connection)
    for column in missing:
        connection.exec_driver_sql(f"ALTER TABLE history ADD COLUMN {column} INTEGER")
    if "change_set" in missing:
        _adopt_legacy_history(connection)
    for column in _missing_site_columns(connection):
        connection.exec_driver_sql(f"ALTER TABLE local_sites ADD COLUMN {column} TEXT")
    _start_revision(connection)


#: The ``store_revision`` rows: every committed write; the writes visitors see (publishing).
REVISION_ROW, PUBLISHED_ROW = 1, 2


def _start_revision(connection: sa.Connection, row: int = REVISION_ROW) -> None:
    """A revision row, starting where an older store's revision (its newest history and
    change ids) stood, so revisions never go back."""
    if (
        connection.execute(
            sa.select(store_revision.c.value).where(store_revision.c.id == row)
        ).first()
        is not None
    ):
        return
    newest = (
        sa.select(sa.func.coalesce(sa.func.max(history.c.id), 0)).scalar_subquery()
        + sa.select(sa.func.coalesce(sa.func.max(change_sets.c.id), 0)).scalar_subquery()
    )
    connection.execute(
        store_revision.insert().from_select(["id", "value"], sa.select(sa.literal(row), newest))
    )


def bump_revision(connection: sa.Connection, row: int = REVISION_ROW) -> None:
    """Count one committed write in ``row`` (call inside the write's transaction)."""
    bump = (
        store_revision.update()
        .where(store_revision.c.id == row)
        .values(value=store_revision.c.value + 1)
    )
    if connection.execute(bump).rowcount == 0:  # a new row, or removed by hand: start anew
        _start_revision(connection, row)
        connection.execute(bump)


def read_revision(connection: sa.Connection, row: int = REVISION_ROW) -> int:
    """The number of committed writes counted in ``row`` (see ``store_revision``)."""
    return int(
        connection.execute(
            sa.select(store_revision.c.value).where(store_revision.c.id == row)
        ).scalar()
        or 0
    )


def create_schema(engine: sa.Engine) -> None:
    """Create missing tables (and the history ``version`` and ``change_set`` columns of
    older stores, whose past changes become one draft change) once, safely when many
    processes open a fresh store together: the check and the creation run under the
    write lock, and a lost race is retried."""
    if run_transaction(engine, _schema_complete):
        return
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            run_transaction(writer(engine), _create_tables)
            return
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
            if attempt == BUSY_ATTEMPTS or "already exists" not in driver_code(exc)[0]:
                raise
