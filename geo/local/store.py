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

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa

from geo.config import store_location
from geo.errors import InputError
from geo.local import changes, reverting, sql, writes
from geo.local.limits import check_bounds
from geo.local.sql import masked_location, plainly
from geo.local.tables import (
    LEAVE_BEHIND,
    LEAVE_BEHIND_FIELDS,
    SITE,
    SITE_FIELDS,
    SITE_STATUSES,
    ConflictError,
    DuplicateSitesError,
    StoreUnavailableError,
    history,
    local_leave_behind,
    local_sites,
    refuse_nul,
    select_frame,
)
from geo.local.writes import ImportedSites
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
        return self._run(lambda connection: select_frame(connection, query), write=False)

    @plainly
    def sites(self) -> pd.DataFrame:
        """Every locally added or corrected site as the editors' working copy (drafts
        included), with version, who/when, and ``draft``: its newest change is
        not published yet."""

        def read(connection: sa.Connection) -> pd.DataFrame:
            frame = select_frame(connection, sa.select(local_sites).order_by(local_sites.c.id))
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
            record = writes.record(row, SITE_FIELDS)
            record["status"] = record.get("status") or "open"
            refuse_nul(record, f"row {label}, ")
            check_bounds(record, f"row {label}, ")
            records.append(record)

        return self._run(
            lambda connection: writes.insert_sites(
                connection, records, labels, confirmed, who, source
            ),
            write=True,
        )

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
        record = writes.record(values, SITE_FIELDS)
        if record.get("status") not in SITE_STATUSES:
            raise InputError(f"site status must be one of {', '.join(SITE_STATUSES)}")
        if record.get("type") not in SITE_TYPES:
            raise InputError(f"unknown site type {record.get('type')!r}")
        if not str(record.get("name") or "").strip():
            raise InputError("a site needs a name")
        refuse_nul(record)
        check_bounds(record)
        return self._run(
            lambda connection: writes.save(
                connection,
                SITE,
                site_id,
                record,
                expected_version=expected_version,
                who=who,
                action=action,
                insert_extra={"overrides_public": overrides_public},
                describe=lambda previous: changes.site_summary(
                    record, previous, overrides_public=overrides_public
                ),
            ),
            write=True,
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
        record = writes.record(values, LEAVE_BEHIND_FIELDS)
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
        said = "Updated the leave-behind record of " + (place or fips)
        return self._run(
            lambda connection: writes.save(
                connection,
                LEAVE_BEHIND,
                fips,
                record,
                expected_version=expected_version,
                who=who,
                action="update",
                insert_extra={},
                describe=lambda _previous: said,
            ),
            write=True,
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
            reverting.undo(connection, entry, who, made, f"change {history_id}")

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
                reverting.undo(connection, entry, who, made, f"“{change['summary']}”")
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
            record = writes.record(values, SITE_FIELDS)
            if record.get("status") not in SITE_STATUSES or record.get("type") not in SITE_TYPES:
                raise InputError(f"{site_id}: a refreshed site needs a status and a known type")
            refuse_nul(record, f"{site_id}: ")
            check_bounds(record, f"{site_id}: ")
            prepared.append((str(site_id), record, int(version)))
        if not prepared:
            raise InputError("the refresh changes nothing, so there is nothing to write")

        return self._run(
            lambda connection: writes.write_refresh(connection, summary, prepared, who),
            write=True,
        )
