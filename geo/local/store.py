"""Local updates on top of the bundled public data, persisted with history.

The public layers in ``data/`` are never modified: this store keeps sites added
or corrected locally and leave-behind records entered by officials, each row
with a version for optimistic concurrency, and an append-only history (when,
who, what, previous value, version made) from which any change can be reverted.
Every write is one draft change (an import of many sites is one; :mod:`geo.local.changes`)
that visitors see only once an editor publishes it (:meth:`Store.publish`).

Where it lives: ``NALOXONE_STORE`` — a file path (SQLite, the default, at
``$XDG_DATA_HOME/md-naloxone/store.sqlite``) or a ``postgresql://`` URL for a
shared deployment (read by :func:`geo.config.store_location`). Every write is one
transaction: it all happens or none of it.

Concurrency: every write checks, inside its transaction, the version it was given
(a revert checks the version it read), so two writers can never both win and no
version is issued twice. SQLite runs in WAL mode with a busy timeout, and its write
transactions take the write lock at ``BEGIN IMMEDIATE``; an import also checks for
already-stored duplicates inside its transaction (on PostgreSQL under a
transaction-level advisory lock). Any database failure surfaces as
``StoreUnavailableError`` with a plain message that never contains credentials.
The tables and errors live in :mod:`geo.local.tables`, the database plumbing in
:mod:`geo.local.sql`, the duplicate rule in :mod:`geo.local.duplicates`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar, cast

import pandas as pd
import sqlalchemy as sa

from geo.config import store_location
from geo.errors import InputError
from geo.local import changes, sql
from geo.local.duplicates import find_duplicates
from geo.local.limits import check_bounds
from geo.local.sql import masked_location, plainly
from geo.local.tables import (
    LEAVE_BEHIND_FIELDS,
    SITE_FIELDS,
    SITE_STATUSES,
    ConflictError,
    DuplicateSitesError,
    StoreUnavailableError,
    clean_value,
    history,
    local_leave_behind,
    local_sites,
    refuse_nul,
)
from geo.schema import LEAVE_BEHIND_STATUSES, SITE_TYPES

__all__ = [
    "LEAVE_BEHIND_FIELDS",
    "SITE_FIELDS",
    "SITE_STATUSES",
    "ConflictError",
    "DuplicateSitesError",
    "Store",
    "StoreUnavailableError",
    "masked_location",
    "store_location",
]

T = TypeVar("T")


class ImportedSites(list[str]):
    """The new site ids of an import, and ``change``: the id of the (draft) change."""

    change: int = 0


class Store:
    """The local-updates store (SQLite file or PostgreSQL URL).

    Every method raises ``StoreUnavailableError`` (plain message, no credentials) when
    the database cannot be reached, opened or read."""

    def __init__(self, location: str | None = None, *, create: bool = True) -> None:
        self.location = location or store_location()
        self._open(create)

    @plainly
    def _open(self, create: bool) -> None:
        url = sql.engine_url(self.location)
        if url.get_backend_name() == "sqlite":
            path = Path(url.database or "")
            if not create and not path.exists():
                raise FileNotFoundError(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                made = True
            except OSError:
                made = False
            if not made:
                raise StoreUnavailableError(
                    f"the local-updates store ({sql.plain_location(self.location)}) cannot be "
                    "created: its folder cannot be made"
                )
        self.engine = sql.make_engine(url)
        self._writer = sql.writer(self.engine)
        sql.create_schema(self.engine)

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

    def _run(
        self, work: Callable[[sa.Connection], T], *, write: bool, publishes: bool = False
    ) -> T:
        """Run ``work`` in one transaction (a write takes SQLite's write lock at BEGIN
        and counts itself in the store revision; ``publishes``: in the published one
        too)."""
        if not write:
            return sql.run_transaction(self.engine, work)

        def counted(connection: sa.Connection) -> T:
            done = work(connection)
            sql.bump_revision(connection)
            if publishes:
                sql.bump_revision(connection, sql.PUBLISHED_ROW)
            return done

        return sql.run_transaction(self._writer, counted)

    # reading ---------------------------------------------------------------
    def _frame(self, query: sa.Select) -> pd.DataFrame:
        def read(connection: sa.Connection) -> pd.DataFrame:
            result = connection.execute(query)  # not pd.read_sql: it re-wraps errors
            return pd.DataFrame.from_records(
                result.tuples().fetchall(), columns=list(result.keys()), coerce_float=True
            )

        return self._run(read, write=False)

    @plainly
    def sites(self) -> pd.DataFrame:
        """Every locally added or corrected site as the editors' working copy (drafts
        included), with version, who/when, and ``draft``: its newest change is
        not published yet."""

        def read(connection: sa.Connection) -> pd.DataFrame:
            result = connection.execute(sa.select(local_sites).order_by(local_sites.c.id))
            frame = pd.DataFrame.from_records(
                result.tuples().fetchall(), columns=list(result.keys()), coerce_float=True
            )
            drafts = {key for kind, key in changes.draft_keys(connection) if kind == "site"}
            frame["draft"] = frame["id"].isin(drafts).astype(bool)
            return frame

        return self._run(read, write=False)

    @plainly
    def published(self, kind: str) -> pd.DataFrame:
        """The local records of ``kind`` (``site`` or ``leave_behind``) as visitors see
        them: each as its newest published change left it (``updated_at``/``_by``)."""
        return self._run(lambda c: changes.published_records(c, kind), write=False)

    @plainly
    def changes(self, limit: int = 500) -> pd.DataFrame:
        """The newest changes first (one row per import, edit, revert or publish), each
        with ``state`` (draft/published) and its ``sentence``."""
        return self._run(lambda c: changes.changes_frame(c, limit), write=False)

    @plainly
    def leave_behind(self) -> pd.DataFrame:
        """Every locally entered leave-behind record."""
        return self._frame(sa.select(local_leave_behind).order_by(local_leave_behind.c.fips))

    @plainly
    def history(self, limit: int = 500) -> pd.DataFrame:
        """The newest changes first."""
        return self._frame(sa.select(history).order_by(history.c.id.desc()).limit(limit))

    @plainly
    def revisions(self) -> tuple[int, int]:
        """(:meth:`revision`, ``revision(published=True)``) read in one transaction."""
        return self._run(
            lambda connection: (
                sql.read_revision(connection),
                sql.read_revision(connection, sql.PUBLISHED_ROW),
            ),
            write=False,
        )

    @plainly
    def revision(self, *, published: bool = False) -> int:
        """Grows with every committed write, in commit order (0 when none): changes
        whenever data changes. ``published``: only with the writes that change what
        visitors see (publishing; editors' drafts do not count)."""
        row = sql.PUBLISHED_ROW if published else sql.REVISION_ROW
        return self._run(lambda connection: sql.read_revision(connection, row), write=False)

    # writing ---------------------------------------------------------------
    def _log(
        self,
        connection,
        who: str,
        kind: str,
        key: str,
        action: str,
        previous: Mapping | None,
        new: Mapping | None,
        version: int | None = None,
        *,
        change_set: int,
    ) -> None:
        connection.execute(
            history.insert().values(
                at=sql.now(),
                who=who,
                kind=kind,
                key=key,
                action=action,
                version=version,
                change_set=change_set,
                previous=None if previous is None else json.dumps(previous, default=str),
                new=None if new is None else json.dumps(new, default=str),
            )
        )

    @staticmethod
    def _record(row: Mapping | pd.Series, fields: Iterable[str]) -> dict[str, object]:
        return {f: clean_value(row.get(f)) for f in fields}

    @staticmethod
    def _current(
        connection: sa.Connection,
        table: sa.Table,
        key_column: sa.Column,
        key: str,
        *,
        lock: bool = False,
    ) -> dict[str, object] | None:
        """The stored row (all columns) or None; ``lock`` holds it until commit."""
        query = sa.select(table).where(key_column == key)
        row = connection.execute(query.with_for_update() if lock else query).mappings().first()
        return None if row is None else {k: clean_value(v) for k, v in row.items()}

    @plainly
    def add_sites(
        self, rows: pd.DataFrame, who: str, *, source: str | None = None
    ) -> ImportedSites:
        """Add new sites in one transaction (all or none) as one draft change ("Imported
        4 sites from ``source``"); returns their new ids (``.change``: the change's id).

        Refused whole with ``DuplicateSitesError`` when a row duplicates an already
        stored local site: same type within ``SAME_TYPE_DISTANCE_M``, same normalised
        name within ``SAME_NAME_DISTANCE_M``, or (unmapped) same name, type and
        jurisdiction. The check runs inside the write transaction, serialised with
        every other import, so the same file imported concurrently is stored once.
        A ``_row`` column, when present, labels the rows in messages; a true
        ``_confirmed_duplicate`` marks a row the importer confirmed though it is a likely
        duplicate (same type nearby): only the name rules refuse it."""
        labels = rows["_row"].tolist() if "_row" in rows.columns else list(range(1, len(rows) + 1))
        confirmed = (
            rows["_confirmed_duplicate"].astype(bool).tolist()
            if "_confirmed_duplicate" in rows.columns
            else None
        )
        records = []
        for label, (_, row) in zip(labels, rows.iterrows(), strict=True):
            record = self._record(row, SITE_FIELDS)
            record["status"] = record.get("status") or "open"
            refuse_nul(record, f"row {label}, ")
            check_bounds(record, f"row {label}, ")
            records.append(record)

        def work(connection: sa.Connection) -> ImportedSites:
            sql.advisory_lock(connection, sql.IMPORT_LOCK)
            stored = pd.DataFrame(
                connection.execute(
                    sa.select(
                        local_sites.c.id,
                        local_sites.c.name,
                        local_sites.c.type,
                        local_sites.c.jurisdiction_fips,
                        local_sites.c.lat,
                        local_sites.c.lon,
                        local_sites.c.location_precision,
                    )
                )
                .mappings()
                .all(),
                columns=[
                    "id",
                    "name",
                    "type",
                    "jurisdiction_fips",
                    "lat",
                    "lon",
                    "location_precision",
                ],
            )
            duplicates = find_duplicates(records, labels, stored, confirmed)
            if duplicates:
                raise DuplicateSitesError(duplicates, len(records))
            ids = ImportedSites()
            ids.change = changes.open_change(
                connection,
                "import",
                f"Imported {changes.plural(len(records), 'site')}"
                + (f" from {source}" if source else ""),
                who,
            )
            for record in records:
                site_id = f"local-{uuid.uuid4().hex[:10]}"
                connection.execute(
                    local_sites.insert().values(
                        id=site_id,
                        overrides_public=False,
                        version=1,
                        updated_at=sql.now(),
                        updated_by=who,
                        **record,
                    )
                )
                self._log(
                    connection,
                    who,
                    "site",
                    site_id,
                    "import",
                    None,
                    record,
                    1,
                    change_set=ids.change,
                )
                ids.append(site_id)
            return ids

        return self._run(work, write=True)

    def _save(
        self,
        table: sa.Table,
        key_column: sa.Column,
        key: str,
        kind: str,
        record: dict[str, object],
        fields: tuple[str, ...],
        *,
        expected_version: int,
        who: str,
        action: str,
        insert_extra: Mapping[str, object],
        describe: Callable[[Mapping | None], str],
    ) -> int:
        """Insert (``expected_version`` 0) or update one row if its version is still the
        one read; log it as one draft change (``describe(previous)`` says what it did).
        One transaction. A mismatch raises ``ConflictError`` carrying the stored row."""

        def work(connection: sa.Connection) -> int:
            if expected_version == 0:
                first = changes.next_version(connection, kind, key)
                inserted = connection.execute(
                    sql.insert_if_absent(connection, table)
                    .values(
                        {
                            key_column.name: key,
                            "version": first,
                            "updated_at": sql.now(),
                            "updated_by": who,
                            **insert_extra,
                            **record,
                        }
                    )
                    .returning(key_column)
                )
                if inserted.first() is None:
                    current = self._current(connection, table, key_column, key)
                    by = (
                        f" by {current['updated_by']} at {current['updated_at']}" if current else ""
                    )
                    raise ConflictError(
                        f"{key} was saved{by} while you were editing; compare and try again",
                        current,
                    )
                self._log(
                    connection,
                    who,
                    kind,
                    key,
                    action,
                    None,
                    record,
                    first,
                    change_set=changes.open_change(connection, kind, describe(None), who),
                )
                return first
            current = self._current(connection, table, key_column, key, lock=True)
            if current is None or current["version"] != expected_version:
                raise ConflictError(
                    f"{key} was changed since version {expected_version}; reload and try again",
                    current,
                )
            updated = connection.execute(
                table.update()
                .where((key_column == key) & (table.c.version == expected_version))
                .values(
                    version=expected_version + 1, updated_at=sql.now(), updated_by=who, **record
                )
            )
            if updated.rowcount != 1:  # pragma: no cover - the row is locked above
                raise ConflictError(
                    f"{key} was changed since version {expected_version}; reload and try again",
                    self._current(connection, table, key_column, key),
                )
            previous = self._record(current, fields)
            self._log(
                connection,
                who,
                kind,
                key,
                action,
                previous,
                record,
                expected_version + 1,
                change_set=changes.open_change(connection, kind, describe(previous), who),
            )
            return expected_version + 1

        return self._run(work, write=True)

    @plainly
    def save_site(
        self,
        site_id: str,
        values: Mapping[str, object],
        *,
        expected_version: int,
        who: str,
        overrides_public: bool = False,
        action: str = "update",
    ) -> int:
        """Create or change one site. ``expected_version`` is the version read (0 when no
        local row existed); a mismatch raises ``ConflictError`` (with ``current``, the
        stored row) and changes nothing."""
        record = self._record(values, SITE_FIELDS)
        if record.get("status") not in SITE_STATUSES:
            raise InputError(f"site status must be one of {', '.join(SITE_STATUSES)}")
        if record.get("type") not in SITE_TYPES:
            raise InputError(f"unknown site type {record.get('type')!r}")
        if not str(record.get("name") or "").strip():
            raise InputError("a site needs a name")
        refuse_nul(record)
        check_bounds(record)
        return self._save(
            local_sites,
            local_sites.c.id,
            site_id,
            "site",
            record,
            SITE_FIELDS,
            expected_version=expected_version,
            who=who,
            action=action,
            insert_extra={"overrides_public": overrides_public},
            describe=lambda previous: changes.site_summary(
                record, previous, overrides_public=overrides_public
            ),
        )

    @plainly
    def save_leave_behind(
        self,
        fips: str,
        values: Mapping[str, object],
        *,
        expected_version: int,
        who: str,
        place: str | None = None,
    ) -> int:
        """Create or change a jurisdiction's leave-behind record (optimistic versioning;
        a mismatch raises ``ConflictError`` with ``current``)."""
        record = self._record(values, LEAVE_BEHIND_FIELDS)
        if record.get("status") not in LEAVE_BEHIND_STATUSES:
            raise InputError(
                "leave-behind status must be one of " + ", ".join(LEAVE_BEHIND_STATUSES)
            )
        for count in ("doses", "people"):
            value = record.get(count)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise InputError(f"{count} must be a whole number of at least 0")
        refuse_nul(record)
        check_bounds(record)
        return self._save(
            local_leave_behind,
            local_leave_behind.c.fips,
            fips,
            "leave_behind",
            record,
            LEAVE_BEHIND_FIELDS,
            expected_version=expected_version,
            who=who,
            action="update",
            insert_extra={},
            describe=lambda _previous: "Updated the leave-behind record of " + (place or fips),
        )

    @plainly
    def publish(self, change_ids: Iterable[int] | None, who: str) -> int:
        """Publish draft changes (every draft when ``change_ids`` is None) as one new
        change in the history ("Published 3 changes"); returns its id. An unknown id
        raises ``ValueError``, one already published ``ConflictError``; then nothing
        is published."""
        ids = None if change_ids is None else list(change_ids)
        return self._run(
            lambda connection: changes.publish(connection, ids, who), write=True, publishes=True
        )

    def _undo(
        self, connection: sa.Connection, entry: Mapping, who: str, change_set: int, what: str
    ) -> None:
        """Restore one history row's previous value (or remove the row it created) if the
        record is still as that row left it; ``ConflictError`` otherwise."""
        table, key_column, fields = (
            (local_sites, local_sites.c.id, SITE_FIELDS)
            if entry["kind"] == "site"
            else (local_leave_behind, local_leave_behind.c.fips, LEAVE_BEHIND_FIELDS)
        )
        key = entry["key"]
        current = self._current(connection, table, key_column, key, lock=True)
        new = json.loads(entry["new"]) if entry["new"] else None
        previous = json.loads(entry["previous"]) if entry["previous"] else None
        if new is None and current is None and previous is not None:
            self._recreate(connection, entry, who, change_set, previous)
            return
        if current is None or self._record(current, fields) != new:
            raise ConflictError(
                f"{key} changed after {what}; revert the newer change first", current
            )
        read = (key_column == key) & (table.c.version == current["version"])
        if previous is None:
            changed = connection.execute(table.delete().where(read))
            version = None
        else:
            version = int(cast(int, current["version"])) + 1  # an INTEGER column
            changed = connection.execute(
                table.update()
                .where(read)
                .values(version=version, updated_at=sql.now(), updated_by=who, **previous)
            )
        if changed.rowcount != 1:  # pragma: no cover - the row is locked above
            raise ConflictError(
                f"{key} changed while reverting {what}; reload and try again",
                self._current(connection, table, key_column, key),
            )
        self._log(
            connection,
            who,
            entry["kind"],
            key,
            f"revert #{entry['id']}",
            new,
            previous,
            version,
            change_set=change_set,
        )

    def _recreate(
        self,
        connection: sa.Connection,
        entry: Mapping,
        who: str,
        change_set: int,
        previous: Mapping[str, object],
    ) -> None:
        """Undo a removal (a revert of an import or an addition): insert the record
        again with its previous value, at a version it never had; ``ConflictError`` when
        it exists again meanwhile."""
        kind, key = entry["kind"], entry["key"]
        table, key_column = (
            (local_sites, local_sites.c.id)
            if kind == "site"
            else (local_leave_behind, local_leave_behind.c.fips)
        )
        extra = {"overrides_public": not key.startswith("local-")} if kind == "site" else {}
        version = changes.next_version(connection, kind, key)
        inserted = connection.execute(
            sql.insert_if_absent(connection, table)
            .values(
                **{key_column.name: key},
                version=version,
                updated_at=sql.now(),
                updated_by=who,
                **extra,
                **previous,
            )
            .returning(key_column)
        )
        if inserted.first() is None:
            raise ConflictError(
                f"{key} was added again after it was removed; reload and try again",
                self._current(connection, table, key_column, key),
            )
        self._log(
            connection,
            who,
            kind,
            key,
            f"revert #{entry['id']}",
            None,
            dict(previous),
            version,
            change_set=change_set,
        )

    @plainly
    def revert(self, history_id: int, who: str) -> None:
        """Undo one record's change (one history row): restore its previous value (or
        remove a row it created), as a new draft change. Refused with ``ConflictError``
        (with ``current``) if the record changed since; the write is conditional on the
        version read, like any write."""

        def work(connection: sa.Connection) -> None:
            entry = (
                connection.execute(sa.select(history).where(history.c.id == history_id))
                .mappings()
                .first()
            )
            if entry is None:
                raise InputError(f"no change {history_id}")
            made = changes.open_change(
                connection, "revert", f"Reverted the change to {entry['key']}", who
            )
            self._undo(connection, entry, who, made, f"change {history_id}")

        self._run(work, write=True)

    @plainly
    def revert_change(self, change_id: int, who: str) -> int:
        """Undo a whole change (an import: every site it added) in one transaction, as a
        new draft change; returns its id. Refused whole with ``ConflictError`` when any
        of its records changed since."""

        def work(connection: sa.Connection) -> int:
            change, rows = changes.entries(connection, change_id)
            made = changes.open_change(connection, "revert", f"Reverted “{change['summary']}”", who)
            for entry in rows:
                self._undo(connection, entry, who, made, f"“{change['summary']}”")
            return made

        return self._run(work, write=True)

    @plainly
    def write_refresh(
        self,
        summary: str,
        rows: Iterable[tuple[str, Mapping[str, object], int]],
        who: str,
    ) -> int:
        """Write a refresh from a public source (:mod:`geo.data.refresh`) as ONE draft
        change ``summary``; returns its id. ``rows`` are (site id, values, version read):
        version 0 adds the site (a new one, or a correction of a public site under its
        id), otherwise the stored local row of that version is updated. All or nothing:
        a row whose version changed since the diff was made refuses the whole refresh
        with ``ConflictError``. Nothing is ever removed."""
        prepared = []
        for site_id, values, version in rows:
            record = self._record(values, SITE_FIELDS)
            if record.get("status") not in SITE_STATUSES or record.get("type") not in SITE_TYPES:
                raise InputError(f"{site_id}: a refreshed site needs a status and a known type")
            refuse_nul(record, f"{site_id}: ")
            check_bounds(record, f"{site_id}: ")
            prepared.append((str(site_id), record, int(version)))
        if not prepared:
            raise InputError("the refresh changes nothing, so there is nothing to write")

        def work(connection: sa.Connection) -> int:
            made = changes.open_change(connection, "refresh", summary, who)
            for site_id, record, version in prepared:
                current = self._current(
                    connection, local_sites, local_sites.c.id, site_id, lock=True
                )
                stored = 0 if current is None else int(cast(int, current["version"]))  # INTEGER
                if stored != version:
                    raise ConflictError(
                        f"{site_id} was changed since the refresh was compared "
                        f"(version {stored}, not {version}); run the refresh again",
                        current,
                    )
                if current is None:
                    new_version = changes.next_version(connection, "site", site_id)
                    connection.execute(
                        local_sites.insert().values(
                            id=site_id,
                            overrides_public=not site_id.startswith("local-"),
                            version=new_version,
                            updated_at=sql.now(),
                            updated_by=who,
                            **record,
                        )
                    )
                    previous = None
                else:
                    new_version = version + 1
                    connection.execute(
                        local_sites.update()
                        .where((local_sites.c.id == site_id) & (local_sites.c.version == version))
                        .values(version=new_version, updated_at=sql.now(), updated_by=who, **record)
                    )
                    previous = self._record(current, SITE_FIELDS)
                self._log(
                    connection,
                    who,
                    "site",
                    site_id,
                    "refresh",
                    previous,
                    record,
                    new_version,
                    change_set=made,
                )
            return made

        return self._run(work, write=True)
