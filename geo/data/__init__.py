"""The bundled public data: raw readers, the build, typed layer loaders, the catalogue.

``data/raw`` holds the public sources as published; :mod:`geo.data.build` turns them
into the processed layers in ``data/processed`` and ``data/manifest.json``;
:mod:`geo.data.layers` loads those layers (EPSG:4326), validated, for everything else;
:func:`geo.data.places.jurisdiction_of` says which jurisdiction a point lies in.
Every problem is a :class:`geo.errors.DataFileError` naming file, row and field.
Imports only :mod:`geo.config`, :mod:`geo.schema`, :mod:`geo.errors` and the engine.
"""

__all__ = ["build", "catalog", "layers", "places", "raw", "validation"]
