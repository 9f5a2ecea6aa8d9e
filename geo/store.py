"""Local updates on top of the bundled public data, persisted with history.

The public layers in ``data/`` are never modified: this store keeps sites added
or corrected locally and leave-behind records entered by officials, each row
with a version for optimistic concurrency, and an append-only history (when,
who, what, previous value) from which any change can be reverted.

Where it lives: ``NALOXONE_STORE`` — a file path (SQLite, the default, at
``$XDG_DATA_HOME/md-naloxone/store.sqlite``) or a ``postgresql://`` URL for a
shared deployment. Every write is one transaction: it all happens or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo.schema import LEAVE_BEHIND_STATUSES, SITE_TYPES

STORE_ENV = "NALOXONE_STORE"
SITE_FIELDS = ("name", "type", "address", "city", "zip", "jurisdiction_fips", "lat", "lon",
               "location_precision", "status", "source", "source_date", "notes")
LEAVE_BEHIND_FIELDS = ("status", "earliest_date", "doses", "people", "evidence",
                       "source_url")
SITE_STATUSES = ("open", "closed")

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
)


class ConflictError(RuntimeError):
    """Someone else changed the record since it was read (optimistic versioning).

    ``current`` is the record as stored now (its fields, ``version``, ``updated_by``,
    ``updated_at``), or None when it no longer exists, so a form can show both values.
    """

    def __init__(self, message: str, current: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.current = None if current is None else dict(current)


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


def _engine_url(location: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if location.startswith("postgresql+"):
        return location
    return "sqlite:///" + str(Path(location).expanduser().resolve())


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _clean(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


class Store:
    """The local-updates store (SQLite file or PostgreSQL URL)."""

    def __init__(self, location: str | None = None, *, create: bool = True) -> None:
        self.location = location or store_location()
        url = _engine_url(self.location)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if not create and not path.exists():
                raise FileNotFoundError(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, future=True)
        if url.startswith("sqlite"):
            @sa.event.listens_for(self.engine, "connect")
            def _sqlite_pragmas(connection, _record) -> None:  # pragma: no cover - trivial
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()
        metadata.create_all(self.engine)

    @classmethod
    def open_existing(cls, location: str | None = None) -> Store | None:
        """The store if it exists (a missing SQLite file means no local updates)."""
        try:
            return cls(location, create=False)
        except FileNotFoundError:
            return None

    # reading ---------------------------------------------------------------
    def sites(self) -> pd.DataFrame:
        """Every locally added or corrected site, with version and who/when."""
        with self.engine.connect() as connection:
            return pd.read_sql(sa.select(local_sites).order_by(local_sites.c.id), connection)

    def leave_behind(self) -> pd.DataFrame:
        """Every locally entered leave-behind record."""
        with self.engine.connect() as connection:
            return pd.read_sql(sa.select(local_leave_behind).order_by(local_leave_behind.c.fips),
                               connection)

    def history(self, limit: int = 500) -> pd.DataFrame:
        """The newest changes first."""
        with self.engine.connect() as connection:
            return pd.read_sql(sa.select(history).order_by(history.c.id.desc()).limit(limit),
                               connection)

    def revision(self) -> int:
        """The id of the newest change (0 when none): changes whenever data changes."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.max(history.c.id))).scalar() or 0)

    # writing ---------------------------------------------------------------
    def _log(self, connection, who: str, kind: str, key: str, action: str,
             previous: Mapping | None, new: Mapping | None) -> None:
        connection.execute(history.insert().values(
            at=_now(), who=who, kind=kind, key=key, action=action,
            previous=None if previous is None else json.dumps(previous, default=str),
            new=None if new is None else json.dumps(new, default=str)))

    @staticmethod
    def _record(row: Mapping, fields: Iterable[str]) -> dict[str, object]:
        return {f: _clean(row.get(f)) for f in fields}

    def add_sites(self, rows: pd.DataFrame, who: str) -> list[str]:
        """Add new sites in one transaction (all or none); returns their new ids."""
        ids = []
        with self.engine.begin() as connection:
            for _, row in rows.iterrows():
                site_id = f"local-{uuid.uuid4().hex[:10]}"
                record = self._record(row, SITE_FIELDS)
                record["status"] = record.get("status") or "open"
                connection.execute(local_sites.insert().values(
                    id=site_id, overrides_public=False, version=1, updated_at=_now(),
                    updated_by=who, **record))
                self._log(connection, who, "site", site_id, "import", None, record)
                ids.append(site_id)
        return ids

    def _save(self, table: sa.Table, key_column: sa.Column, key: str, kind: str,
              record: dict[str, object], fields: tuple[str, ...], *, expected_version: int,
              who: str, action: str, insert_extra: Mapping[str, object]) -> int:
        """Insert (``expected_version`` 0) or update one row if its version is still the
        one read; log the change. One transaction."""
        with self.engine.begin() as connection:
            current = connection.execute(sa.select(table).where(
                key_column == key)).mappings().first()
            if expected_version == 0:
                if current is not None:
                    raise ConflictError(f"{key} was changed by {current['updated_by']} at "
                                        f"{current['updated_at']}; reload and try again")
                connection.execute(table.insert().values(
                    {key_column.name: key, "version": 1, "updated_at": _now(),
                     "updated_by": who, **insert_extra, **record}))
                self._log(connection, who, kind, key, action, None, record)
                return 1
            updated = connection.execute(table.update().where(
                (key_column == key) & (table.c.version == expected_version)
            ).values(version=expected_version + 1, updated_at=_now(), updated_by=who,
                     **record))
            if updated.rowcount != 1:
                raise ConflictError(f"{key} was changed since version {expected_version}; "
                                    "reload and try again")
            self._log(connection, who, kind, key, action, self._record(current, fields),
                      record)
            return expected_version + 1

    def save_site(self, site_id: str, values: Mapping[str, object], *, expected_version: int,
                  who: str, overrides_public: bool = False, action: str = "update") -> int:
        """Create or change one site. ``expected_version`` is the version read (0 when no
        local row existed); a mismatch raises ``ConflictError`` and changes nothing."""
        record = self._record(values, SITE_FIELDS)
        if record.get("status") not in SITE_STATUSES:
            raise ValueError(f"site status must be one of {', '.join(SITE_STATUSES)}")
        if record.get("type") not in SITE_TYPES:
            raise ValueError(f"unknown site type {record.get('type')!r}")
        if not str(record.get("name") or "").strip():
            raise ValueError("a site needs a name")
        return self._save(local_sites, local_sites.c.id, site_id, "site", record, SITE_FIELDS,
                          expected_version=expected_version, who=who, action=action,
                          insert_extra={"overrides_public": overrides_public})

    def save_leave_behind(self, fips: str, values: Mapping[str, object], *,
                          expected_version: int, who: str) -> int:
        """Create or change a jurisdiction's leave-behind record (optimistic versioning)."""
        record = self._record(values, LEAVE_BEHIND_FIELDS)
        if record.get("status") not in LEAVE_BEHIND_STATUSES:
            raise ValueError("leave-behind status must be one of "
                             + ", ".join(LEAVE_BEHIND_STATUSES))
        for count in ("doses", "people"):
            value = record.get(count)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{count} must be a whole number of at least 0")
        return self._save(local_leave_behind, local_leave_behind.c.fips, fips, "leave_behind",
                          record, LEAVE_BEHIND_FIELDS, expected_version=expected_version,
                          who=who, action="update", insert_extra={})

    def revert(self, history_id: int, who: str) -> None:
        """Undo one change: restore its previous value (or remove a row it created), as
        a new change. Refused with ``ConflictError`` if the record changed since."""
        with self.engine.begin() as connection:
            entry = connection.execute(sa.select(history).where(
                history.c.id == history_id)).mappings().first()
            if entry is None:
                raise ValueError(f"no change {history_id}")
            table, key_column, fields = (
                (local_sites, local_sites.c.id, SITE_FIELDS) if entry["kind"] == "site"
                else (local_leave_behind, local_leave_behind.c.fips, LEAVE_BEHIND_FIELDS))
            current = connection.execute(sa.select(table).where(
                key_column == entry["key"])).mappings().first()
            new = json.loads(entry["new"]) if entry["new"] else None
            if current is None or self._record(current, fields) != new:
                raise ConflictError(f"{entry['key']} changed after change {history_id}; "
                                    "revert the newer change first")
            previous = json.loads(entry["previous"]) if entry["previous"] else None
            if previous is None:
                connection.execute(table.delete().where(key_column == entry["key"]))
            else:
                connection.execute(table.update().where(key_column == entry["key"]).values(
                    version=current["version"] + 1, updated_at=_now(), updated_by=who,
                    **previous))
            self._log(connection, who, entry["kind"], entry["key"], f"revert #{history_id}",
                      new, previous)
