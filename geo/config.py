"""One home for configuration and fixed facts: paths, environment settings, Maryland, CRSs.

Environment variables read here (the local-updates store and editor settings have their
own section):

- ``NALOXONE_DATA_DIR``: the folder holding the bundled data (``raw/``, ``processed/``,
  ``manifest.json``) instead of the repository's ``data/``. Read once, when this module
  is first imported: set it before starting the dashboard or the CLI.
- ``NALOXONE_TILES_URL`` / ``NALOXONE_TILES_ATTRIBUTION``: an optional basemap tile
  server (off by default: the maps then request nothing from any host). Read each time a
  map is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

# --- Bundled data ---------------------------------------------------------------------

DATA_DIR_ENV = "NALOXONE_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The bundled-data folder: ``NALOXONE_DATA_DIR`` when set, else ``<repo>/data``."""
    value = (os.environ if environ is None else environ).get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else REPO_ROOT / "data"


DATA_DIR = data_dir()
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
MANIFEST_PATH = DATA_DIR / "manifest.json"

# --- Basemap tiles --------------------------------------------------------------------

TILES_URL_ENV = "NALOXONE_TILES_URL"
TILES_ATTRIBUTION_ENV = "NALOXONE_TILES_ATTRIBUTION"


def tiles_url() -> str:
    """The basemap tile URL template (``NALOXONE_TILES_URL``); empty: no basemap."""
    return os.environ.get(TILES_URL_ENV, "").strip()


def tiles_attribution() -> str:
    """The basemap's attribution (``NALOXONE_TILES_ATTRIBUTION``); empty when not set."""
    return os.environ.get(TILES_ATTRIBUTION_ENV, "").strip()


# --- Coordinate reference systems -----------------------------------------------------

#: Geographic coordinates (longitude, latitude in degrees) used by every loader.
WGS84 = "EPSG:4326"
#: NAD83 / Maryland State Plane, metres: every planar distance is computed in it.
MARYLAND_STATE_PLANE_M = "EPSG:26985"

# --- Maryland -------------------------------------------------------------------------

#: Latitude and longitude (degrees) a Maryland point must lie within: the state's extent
#: with a margin. Raw sources are refused outside it; what-if inputs are limited to it.
MARYLAND_LAT_RANGE = (37.8, 39.8)
MARYLAND_LON_RANGE = (-79.6, -74.9)
#: The state's extent as a map opens on it: ((south, west), (north, east)).
MARYLAND_MAP_BOUNDS = ((37.88, -79.49), (39.73, -75.04))

MARYLAND_STATE_FIPS = "24"
METRES_PER_MILE = 1609.344
