"""A store damaged in its middle pages: the schema and the revision counter still read,
the records do not (shared by the store and browser tests of issue 22, item 4)."""

from __future__ import annotations

import sqlite3

import pandas as pd

from geo.local.store import Store
from tests.support.stores import SITE


def stocked(store: Store) -> Store:
    """A store with enough published history to fill many pages."""
    rows = [
        {**SITE, "name": f"Pharmacy {i} " + "x" * 150, "lat": 39.0 + i * 0.01} for i in range(60)
    ]
    store.add_sites(pd.DataFrame(rows), who="ana")
    store.publish(None, who="ana")
    return store


def damage_history_pages(path) -> None:
    """Overwrite the pages of the history table (its root and what follows) with
    garbage, leaving the schema and ``store_revision`` readable."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        roots = dict(connection.execute("SELECT name, rootpage FROM sqlite_master"))
    data = bytearray(path.read_bytes())
    for table in ("history", "local_sites"):
        start = (roots[table] - 1) * page_size
        data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
