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


# Local updates: store and editors
# (This section's imports sit here so the section stays one hunk; hoist them when merging.)
import logging  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
from collections.abc import Mapping  # noqa: E402

STORE_ENV = "NALOXONE_STORE"
PASSWORD_HASH_ENV = "NALOXONE_EDITOR_PASSWORD_HASH"
IDLE_MINUTES_ENV = "NALOXONE_EDITOR_IDLE_MINUTES"
CLIENT_ADDRESS_HEADER_ENV = "NALOXONE_CLIENT_ADDRESS_HEADER"
DEFAULT_IDLE_MINUTES = 30.0


def _setting(name: str, environ: Mapping[str, str] | None = None) -> str:
    """An environment setting with surrounding spaces removed ('' when unset)."""
    return (os.environ if environ is None else environ).get(name, "").strip()


def default_store_location() -> str:
    """``$XDG_DATA_HOME/md-naloxone/store.sqlite`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "md-naloxone" / "store.sqlite")


def store_location() -> str:
    """The local-updates store: ``NALOXONE_STORE`` (a SQLite file path or a
    ``postgresql://`` URL) or the per-user default."""
    return _setting(STORE_ENV) or default_store_location()


def editor_password_hash() -> str | None:
    """The editor password hash from ``NALOXONE_EDITOR_PASSWORD_HASH``, if set."""
    return _setting(PASSWORD_HASH_ENV) or None


def editor_idle_seconds(environ: Mapping[str, str] | None = None) -> float:
    """How long an editor sign-in lasts without activity (``NALOXONE_EDITOR_IDLE_MINUTES``,
    default 30 minutes); a value that is not a positive number is logged and ignored."""
    raw = _setting(IDLE_MINUTES_ENV, environ)
    if not raw:
        return DEFAULT_IDLE_MINUTES * 60
    try:
        minutes = float(raw)
    except ValueError:
        minutes = math.nan
    if not (math.isfinite(minutes) and minutes > 0):
        logging.getLogger(__name__).warning(
            "%s=%r is not a positive number of minutes; using %g", IDLE_MINUTES_ENV, raw[:40],
            DEFAULT_IDLE_MINUTES)
        return DEFAULT_IDLE_MINUTES * 60
    return minutes * 60


def client_address_header(environ: Mapping[str, str] | None = None) -> str | None:
    """The request header a reverse proxy overwrites with the client's address
    (``NALOXONE_CLIENT_ADDRESS_HEADER``, lower case), or None to use the peer address."""
    return _setting(CLIENT_ADDRESS_HEADER_ENV, environ).lower() or None
