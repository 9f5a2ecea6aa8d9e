"""Local updates: the editors' store, merging it over the public data, imports, sign-in.

The bundled public data is never changed. :mod:`geo.local.store` keeps locally added
or corrected sites and leave-behind records with versions and history (SQLite or
PostgreSQL), over its tables and errors (:mod:`geo.local.tables`) and database
plumbing (:mod:`geo.local.sql`: engine, transactions, retries, plain errors), its writes
(:mod:`geo.local.writes`) and reverts (:mod:`geo.local.reverting`); every
change is a draft until published (:mod:`geo.local.changes`: change sets, what
visitors see, the history as sentences);
:mod:`geo.local.merge` applies the updates to the public layers;
:mod:`geo.local.importing` maps (:mod:`geo.local.columns`), locates
(:mod:`geo.local.locating`) and validates uploaded site lists, read by
:mod:`geo.local.readers` (CSV, GeoJSON) and :mod:`geo.local.workbook` (.xlsx, zip-bomb
checks), in a child process for uploads (:mod:`geo.local.isolation`);
:mod:`geo.local.duplicates` says when two sites are the same; :mod:`geo.local.auth`
checks editors (:mod:`geo.local.clients`: which browser and address). Settings
(``NALOXONE_STORE``, the editor secrets) are read through :mod:`geo.config`. Imports
config, schema, engine and data; never analysis or above.
"""

__all__ = [
    "auth",
    "changes",
    "clients",
    "columns",
    "duplicates",
    "importing",
    "isolation",
    "locating",
    "merge",
    "readers",
    "reverting",
    "sql",
    "store",
    "tables",
    "workbook",
    "writes",
]
