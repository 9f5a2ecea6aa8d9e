"""Local updates: the editors' store, merging it over the public data, imports, sign-in.

The bundled public data is never changed. :mod:`geo.local.store` keeps locally added
or corrected sites and leave-behind records with versions and history (SQLite or
PostgreSQL); :mod:`geo.local.merge` applies them to the public layers;
:mod:`geo.local.importing` reads and validates uploaded site lists;
:mod:`geo.local.auth` checks editors. Imports data, engine and the shared modules.
"""

__all__ = ["auth", "importing", "merge", "store"]
