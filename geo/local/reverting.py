"""Reverting inside the store's transaction: one history row undone (its record's
previous value restored, or the row it created removed, or a removed row recreated),
only when the record is still as that history row left it.

Called by :meth:`geo.local.store.Store.revert` and :meth:`~geo.local.store.Store.revert_change`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import cast

import sqlalchemy as sa

from geo.local import changes, sql, writes
from geo.local.tables import KINDS, SITE, ConflictError
from geo.local.writes import current, record


def undo(connection: sa.Connection, entry: Mapping, who: str, change_set: int, what: str) -> None:
    """Restore one history row's previous value (or remove the row it created) if the
    record is still as that row left it; ``ConflictError`` otherwise."""
    kind, key = KINDS[entry["kind"]], entry["key"]
    table = kind.table
    stored = current(connection, kind, key, lock=True)
    new = json.loads(entry["new"]) if entry["new"] else None
    previous = json.loads(entry["previous"]) if entry["previous"] else None
    if new is None and stored is None and previous is not None:
        recreate(connection, entry, who, change_set, previous)
        return
    if stored is None or record(stored, kind.fields) != new:
        raise ConflictError(f"{key} changed after {what}; revert the newer change first", stored)
    read = (kind.key_column == key) & (table.c.version == stored["version"])
    if previous is None:
        changed = connection.execute(table.delete().where(read))
        version = None
    else:
        version = int(cast(int, stored["version"])) + 1  # an INTEGER column
        changed = connection.execute(
            table.update().where(read).values(**writes.stamped(who, version, **previous))
        )
    if changed.rowcount != 1:  # pragma: no cover - the row is locked above
        raise ConflictError(
            f"{key} changed while reverting {what}; reload and try again",
            current(connection, kind, key),
        )
    writes.log(
        connection,
        who,
        kind.name,
        key,
        f"revert #{entry['id']}",
        new,
        previous,
        version,
        change_set=change_set,
    )


def recreate(
    connection: sa.Connection,
    entry: Mapping,
    who: str,
    change_set: int,
    previous: Mapping[str, object],
) -> None:
    """Undo a removal (a revert of an import or an addition): insert the record
    again with its previous value, at a version it never had; ``ConflictError`` when
    it exists again meanwhile."""
    kind, key = KINDS[entry["kind"]], entry["key"]
    extra = {"overrides_public": not key.startswith("local-")} if kind is SITE else {}
    version = changes.next_version(connection, kind.name, key)
    inserted = connection.execute(
        sql.insert_if_absent(connection, kind.table)
        .values({kind.key: key, **writes.stamped(who, version, **extra, **previous)})
        .returning(kind.key_column)
    )
    if inserted.first() is None:
        raise ConflictError(
            f"{key} was added again after it was removed; reload and try again",
            current(connection, kind, key),
        )
    writes.log(
        connection,
        who,
        kind.name,
        key,
        f"revert #{entry['id']}",
        None,
        dict(previous),
        version,
        change_set=change_set,
    )
