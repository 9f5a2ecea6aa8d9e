"""The store's tables and the errors its methods raise.

Four tables: ``local_sites`` (sites added or corrected locally), ``local_leave_behind``
(leave-behind records per jurisdiction), the append-only ``history`` (one row per record
changed) and ``change_sets`` (one row per editor's change: an import of many sites is one
change; each is a draft until an editor publishes it). Every stored row carries a
``version`` for optimistic concurrency and who changed it when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from geo.errors import InputError

SITE_FIELDS = (
    "name",
    "type",
    "address",
    "city",
    "zip",
    "jurisdiction_fips",
    "lat",
    "lon",
    "location_precision",
    "status",
    "source",
    "source_date",
    "notes",
    "phone",
    "hours",
    "licence",
    "source_id",
)
#: Site fields added after the first stores were made: an older store gains them (empty)
#: when it is opened (:func:`geo.local.sql.create_schema`).
LATER_SITE_FIELDS = ("phone", "hours", "licence", "source_id")
LEAVE_BEHIND_FIELDS = ("status", "earliest_date", "doses", "people", "evidence", "source_url")
SITE_STATUSES = ("open", "closed")
_MAX_NAMED_DUPLICATES = 10

metadata = sa.MetaData()
local_sites = sa.Table(
    "local_sites",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    *(sa.Column(f, sa.Float if f in ("lat", "lon") else sa.Text) for f in SITE_FIELDS),
    sa.Column("overrides_public", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
local_leave_behind = sa.Table(
    "local_leave_behind",
    metadata,
    sa.Column("fips", sa.String(5), primary_key=True),
    *(
        sa.Column(f, sa.Integer if f in ("doses", "people") else sa.Text)
        for f in LEAVE_BEHIND_FIELDS
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
history = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("previous", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("version", sa.Integer),  # the version the change made (None: row removed)
    sa.Column("change_set", sa.Integer),  # the change (change_sets.id) it belongs to
)
#: One row (id 1) counting every committed write: its update takes a row lock held to
#: commit, so the count follows commit order and a reader that sees revision v sees every
#: write up to v (ids from sequences do not: they are handed out before commit).
store_revision = sa.Table(
    "store_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger, nullable=False),
)
CHANGE_STATES = ("draft", "published")
change_sets = sa.Table(
    "change_sets",
    metadata,  # one editor's change: an import, an edit, a revert, a publish
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),  # import, site, leave_behind, revert, ...
    sa.Column("summary", sa.Text, nullable=False),  # a sentence: "Closed CVS (Oakland)"
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),  # draft (editors only) or published
    sa.Column("published_by", sa.Text),
    sa.Column("published_at", sa.Text),
)


@dataclass(frozen=True)
class Kind:
    """A kind of stored record: its ``history.kind`` name, table, key column name and
    the fields an editor sets."""

    name: str
    table: sa.Table
    key: str
    fields: tuple[str, ...]

    @property
    def key_column(self) -> sa.Column:
        return self.table.c[self.key]


SITE = Kind("site", local_sites, "id", SITE_FIELDS)
LEAVE_BEHIND = Kind("leave_behind", local_leave_behind, "fips", LEAVE_BEHIND_FIELDS)
KINDS = {kind.name: kind for kind in (SITE, LEAVE_BEHIND)}

#: Failed editor sign-ins, shared by every server process (``geo.local.throttle``):
#: one row per failure and key (``session:<id>``, ``address:<ip>``), wall-clock seconds.
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(200), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)
#: A key locked out until ``until`` (wall-clock seconds).
sign_in_lockouts = sa.Table(
    "sign_in_lockouts",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("until", sa.Float, nullable=False),
)


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
            f'row {d["row"]} "{d["name"]}" duplicates stored site {d["stored_id"]} '
            f'"{d["stored_name"]}" ({d["reason"]})'
            for d in duplicates[:_MAX_NAMED_DUPLICATES]
        )
        more = len(duplicates) - _MAX_NAMED_DUPLICATES
        super().__init__(
            f"{len(duplicates)} of {total} site(s) are already stored, so "
            f"nothing was imported: {named}" + (f"; and {more} more" if more > 0 else "")
        )
        self.duplicates = duplicates


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached, opened or read. The message names what went wrong
    in plain words and never contains credentials."""


def select_frame(connection: sa.Connection, query: sa.Select) -> pd.DataFrame:
    """The rows of ``query`` as a frame, one column per selected column (also when no
    row matches). Not ``pd.read_sql``: it re-wraps the driver's errors."""
    result = connection.execute(query)
    return pd.DataFrame.from_records(
        result.tuples().fetchall(), columns=list(result.keys()), coerce_float=True
    )


def clean_value(value: object) -> object:
    """A value as the database stores it: None for every kind of missing, numpy scalars
    as Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def refuse_nul(record: Mapping[str, object], where: str = "") -> None:
    """A NUL character cannot be stored (PostgreSQL refuses it): say which field."""
    for field, value in record.items():
        if isinstance(value, str) and "\x00" in value:
            raise InputError(
                f"{where}{field}: contains a NUL character (\\x00), which "
                "cannot be stored; remove it and try again"
            )
