"""The store's writes, inside one transaction each: one record saved under optimistic
versioning, an import's new sites, a refresh's rows, and the history row of each.

These functions run inside the transaction :class:`geo.local.store.Store` opens for
them (its ``_run``); every one logs what it changed in ``history`` under a change set
(:mod:`geo.local.changes`). Reverting lives in :mod:`geo.local.reverting`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import cast

import pandas as pd
import sqlalchemy as sa

from geo.local import changes, sql
from geo.local.duplicates import find_duplicates
from geo.local.tables import (
    SITE,
    SITE_FIELDS,
    ConflictError,
    DuplicateSitesError,
    Kind,
    clean_value,
    history,
    local_sites,
    select_frame,
)


class ImportedSites(list[str]):
    """The new site ids of an import, and ``change``: the id of the (draft) change."""

    change: int = 0


def log(
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


def record(row: Mapping | pd.Series, fields: Iterable[str]) -> dict[str, object]:
    """The ``fields`` of ``row`` as the database stores them (:func:`clean_value`)."""
    return {f: clean_value(row.get(f)) for f in fields}


def current(
    connection: sa.Connection, kind: Kind, key: str, *, lock: bool = False
) -> dict[str, object] | None:
    """The stored row (all columns) or None; ``lock`` holds it until commit."""
    query = sa.select(kind.table).where(kind.key_column == key)
    row = connection.execute(query.with_for_update() if lock else query).mappings().first()
    return None if row is None else {k: clean_value(v) for k, v in row.items()}


def stamped(who: str, version: int, **values: object) -> dict[str, object]:
    """``values`` with the row's ``version`` and who changed it, now."""
    return {"version": version, "updated_at": sql.now(), "updated_by": who, **values}


def insert_sites(
    connection: sa.Connection,
    records: list[dict[str, object]],
    labels: list,
    confirmed: list[bool] | None,
    who: str,
    source: str | None,
) -> ImportedSites:
    """Store new sites as one draft change (ids ``local-<10 hex>``) unless one
    duplicates a stored site (``DuplicateSitesError``, nothing stored); under the
    import lock, so concurrent imports of the same file store it once."""
    sql.advisory_lock(connection, sql.IMPORT_LOCK)
    columns = ("id", "name", "type", "jurisdiction_fips", "lat", "lon", "location_precision")
    stored = select_frame(connection, sa.select(*(local_sites.c[c] for c in columns)))
    duplicates = find_duplicates(records, labels, stored, confirmed)
    if duplicates:
        raise DuplicateSitesError(duplicates, len(records))
    ids = ImportedSites()
    said = f"Imported {changes.plural(len(records), 'site')}" + (
        f" from {source}" if source else ""
    )
    ids.change = changes.open_change(connection, "import", said, who)
    for site in records:
        site_id = f"local-{uuid.uuid4().hex[:10]}"
        connection.execute(
            local_sites.insert().values(
                id=site_id, overrides_public=False, **stamped(who, 1, **site)
            )
        )
        log(connection, who, "site", site_id, "import", None, site, 1, change_set=ids.change)
        ids.append(site_id)
    return ids


def save(
    connection: sa.Connection,
    kind: Kind,
    key: str,
    values: dict[str, object],
    *,
    expected_version: int,
    who: str,
    action: str,
    insert_extra: Mapping[str, object],
    describe: Callable[[Mapping | None], str],
) -> int:
    """Insert (``expected_version`` 0) or update one row if its version is still the
    one read; log it as one draft change (``describe(previous)`` says what it did).
    A mismatch raises ``ConflictError`` carrying the stored row. Returns the version
    made."""
    if expected_version == 0:
        version = changes.next_version(connection, kind.name, key)
        _insert_new(connection, kind, key, stamped(who, version, **insert_extra, **values))
        previous = None
    else:
        version = expected_version + 1
        previous = _update_read(
            connection, kind, key, expected_version, stamped(who, version, **values)
        )
    made = changes.open_change(connection, kind.name, describe(previous), who)
    log(connection, who, kind.name, key, action, previous, values, version, change_set=made)
    return version


def _insert_new(connection: sa.Connection, kind: Kind, key: str, row: dict[str, object]) -> None:
    """Insert a record no one had stored when the form was read; ``ConflictError`` when
    someone saved it meanwhile."""
    inserted = connection.execute(
        sql.insert_if_absent(connection, kind.table)
        .values({kind.key: key, **row})
        .returning(kind.key_column)
    )
    if inserted.first() is None:
        stored = current(connection, kind, key)
        by = f" by {stored['updated_by']} at {stored['updated_at']}" if stored else ""
        raise ConflictError(
            f"{key} was saved{by} while you were editing; compare and try again", stored
        )


def _update_read(
    connection: sa.Connection, kind: Kind, key: str, read: int, row: dict[str, object]
) -> dict[str, object]:
    """Update the record stored at version ``read`` to ``row``; its previous fields.
    ``ConflictError`` (with the stored row) when it is at another version."""
    stored = current(connection, kind, key, lock=True)
    if stored is None or stored["version"] != read:
        raise ConflictError(f"{key} was changed since version {read}; reload and try again", stored)
    updated = connection.execute(
        kind.table.update()
        .where((kind.key_column == key) & (kind.table.c.version == read))
        .values(**row)
    )
    if updated.rowcount != 1:  # pragma: no cover - the row is locked above
        raise ConflictError(
            f"{key} was changed since version {read}; reload and try again",
            current(connection, kind, key),
        )
    return record(stored, kind.fields)


def write_refresh(
    connection: sa.Connection,
    summary: str,
    prepared: list[tuple[str, dict[str, object], int]],
    who: str,
) -> int:
    """Write a refresh's rows (site id, values, version read; 0: none stored) as one
    draft change ``summary``; a row at another version refuses all (``ConflictError``)."""
    made = changes.open_change(connection, "refresh", summary, who)
    for site_id, values, version in prepared:
        stored_row = current(connection, SITE, site_id, lock=True)
        stored = 0 if stored_row is None else int(cast(int, stored_row["version"]))  # INTEGER
        if stored != version:
            raise ConflictError(
                f"{site_id} was changed since the refresh was compared "
                f"(version {stored}, not {version}); run the refresh again",
                stored_row,
            )
        if stored_row is None:
            new_version = changes.next_version(connection, "site", site_id)
            overrides = not site_id.startswith("local-")
            connection.execute(
                local_sites.insert().values(
                    id=site_id, overrides_public=overrides, **stamped(who, new_version, **values)
                )
            )
            previous = None
        else:
            new_version = version + 1
            connection.execute(
                local_sites.update()
                .where((local_sites.c.id == site_id) & (local_sites.c.version == version))
                .values(**stamped(who, new_version, **values))
            )
            previous = record(stored_row, SITE_FIELDS)
        log(
            connection,
            who,
            "site",
            site_id,
            "refresh",
            previous,
            values,
            new_version,
            change_set=made,
        )
    return made
