"""Where the bundled data lives, and the coordinate reference systems used."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
MANIFEST_PATH = DATA_DIR / "manifest.json"

#: Geographic coordinates (longitude, latitude in degrees) used by every loader.
WGS84 = "EPSG:4326"
#: NAD83 / Maryland State Plane, metres: every planar distance is computed in it.
MARYLAND_STATE_PLANE_M = "EPSG:26985"

MARYLAND_STATE_FIPS = "24"
METRES_PER_MILE = 1609.344
