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
    SITE_FIELDS,
    ConflictError,
    DuplicateSitesError,
    clean_value,
    history,
    local_sites,
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
    return {f: clean_value(row.get(f)) for f in fields}


def current(
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


def insert_sites(
    connection: sa.Connection,
    records: list[dict[str, object]],
    labels: list,
    confirmed: list[bool] | None,
    who: str,
    source: str | None,
) -> ImportedSites:
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
        f"Imported {changes.plural(len(records), 'site')}" + (f" from {source}" if source else ""),
        who,
    )
    for site in records:
        site_id = f"local-{uuid.uuid4().hex[:10]}"
        connection.execute(
            local_sites.insert().values(
                id=site_id,
                overrides_public=False,
                version=1,
                updated_at=sql.now(),
                updated_by=who,
                **site,
            )
        )
        log(
            connection,
            who,
            "site",
            site_id,
            "import",
            None,
            site,
            1,
            change_set=ids.change,
        )
        ids.append(site_id)
    return ids


def save(
    connection: sa.Connection,
    table: sa.Table,
    key_column: sa.Column,
    key: str,
    kind: str,
    values: dict[str, object],
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
    A mismatch raises ``ConflictError`` carrying the stored row."""
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
                    **values,
                }
            )
            .returning(key_column)
        )
        if inserted.first() is None:
            stored = current(connection, table, key_column, key)
            by = f" by {stored['updated_by']} at {stored['updated_at']}" if stored else ""
            raise ConflictError(
                f"{key} was saved{by} while you were editing; compare and try again",
                stored,
            )
        log(
            connection,
            who,
            kind,
            key,
            action,
            None,
            values,
            first,
            change_set=changes.open_change(connection, kind, describe(None), who),
        )
        return first
    stored = current(connection, table, key_column, key, lock=True)
    if stored is None or stored["version"] != expected_version:
        raise ConflictError(
            f"{key} was changed since version {expected_version}; reload and try again",
            stored,
        )
    updated = connection.execute(
        table.update()
        .where((key_column == key) & (table.c.version == expected_version))
        .values(version=expected_version + 1, updated_at=sql.now(), updated_by=who, **values)
    )
    if updated.rowcount != 1:  # pragma: no cover - the row is locked above
        raise ConflictError(
            f"{key} was changed since version {expected_version}; reload and try again",
            current(connection, table, key_column, key),
        )
    previous = record(stored, fields)
    log(
        connection,
        who,
        kind,
        key,
        action,
        previous,
        values,
        expected_version + 1,
        change_set=changes.open_change(connection, kind, describe(previous), who),
    )
    return expected_version + 1


def write_refresh(
    connection: sa.Connection,
    summary: str,
    prepared: list[tuple[str, dict[str, object], int]],
    who: str,
) -> int:
    made = changes.open_change(connection, "refresh", summary, who)
    for site_id, values, version in prepared:
        stored_row = current(connection, local_sites, local_sites.c.id, site_id, lock=True)
        stored = 0 if stored_row is None else int(cast(int, stored_row["version"]))  # INTEGER
        if stored != version:
            raise ConflictError(
                f"{site_id} was changed since the refresh was compared "
                f"(version {stored}, not {version}); run the refresh again",
                stored_row,
            )
        if stored_row is None:
            new_version = changes.next_version(connection, "site", site_id)
            connection.execute(
                local_sites.insert().values(
                    id=site_id,
                    overrides_public=not site_id.startswith("local-"),
                    version=new_version,
                    updated_at=sql.now(),
                    updated_by=who,
                    **values,
                )
            )
            previous = None
        else:
            new_version = version + 1
            connection.execute(
                local_sites.update()
                .where((local_sites.c.id == site_id) & (local_sites.c.version == version))
                .values(version=new_version, updated_at=sql.now(), updated_by=who, **values)
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
