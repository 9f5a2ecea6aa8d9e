"""One home for configuration and fixed facts: paths, environment settings, Maryland, CRSs.

Environment variables read here (the local-updates store and editor settings,
``NALOXONE_STORE`` and ``NALOXONE_EDITOR_*``, are described in their own section below):

- ``NALOXONE_DATA_DIR``: the folder holding the bundled data (``raw/``, ``processed/``,
  ``manifest.json``) instead of the repository's ``data/``. Read once, when this module
  is first imported: set it before starting the dashboard or the CLI.
- ``NALOXONE_GEOCODER``: ``census`` lets the finder look up street addresses with the US
  Census Geocoder (a network request per new address; off by default: the finder then
  takes ZIP codes, towns and coordinates only). ``NALOXONE_GEOCODER_TIMEOUT``: seconds
  to wait for it (default 5). Read each time an address is searched.
- ``NALOXONE_NETWORK_DIR``: where ``python -m geo network build`` writes a drive network
  and the app looks for one (default: a ``networks`` folder beside the store).
- ``NALOXONE_TILES_URL`` / ``NALOXONE_TILES_ATTRIBUTION``: an optional basemap tile
  server (off by default: the maps then request nothing from any host). Read each time a
  map is drawn.
- ``NALOXONE_OVERPASS_URL``: the Overpass API that ``sites refresh --source osm`` asks
  (default the public ``https://overpass-api.de/api/interpreter``);
  ``NALOXONE_REFRESH_TIMEOUT``: seconds to wait for a refresh source (default 60).
  Read each time a refresh runs; nothing is asked of any network service otherwise.
- ``NALOXONE_PUBLIC_URL``: the dashboard's public address (e.g. ``https://naloxone.example.org``),
  used for the finder link and QR code printed on the handout by ``python -m geo find
  --handout``; default ``http://localhost:8501``. The page itself uses its own address.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path


def _setting(name: str, environ: Mapping[str, str] | None = None) -> str:
    """An environment setting with surrounding spaces removed ('' when unset)."""
    return (os.environ if environ is None else environ).get(name, "").strip()


# --- Bundled data ---------------------------------------------------------------------

DATA_DIR_ENV = "NALOXONE_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The bundled-data folder: ``NALOXONE_DATA_DIR`` when set, else ``<repo>/data``."""
    value = _setting(DATA_DIR_ENV, environ)
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
    return _setting(TILES_URL_ENV)


def tiles_attribution() -> str:
    """The basemap's attribution (``NALOXONE_TILES_ATTRIBUTION``); empty when not set."""
    return _setting(TILES_ATTRIBUTION_ENV)


# --- Public address (links printed on paper) ------------------------------------------

PUBLIC_URL_ENV = "NALOXONE_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://localhost:8501"


def public_url(environ: Mapping[str, str] | None = None) -> str:
    """The dashboard's public address (``NALOXONE_PUBLIC_URL``), default
    ``http://localhost:8501``; only http(s) addresses are taken."""
    value = _setting(PUBLIC_URL_ENV, environ).rstrip("/")
    return value if value.lower().startswith(("http://", "https://")) else DEFAULT_PUBLIC_URL


# --- Address geocoder -----------------------------------------------------------------

GEOCODER_ENV = "NALOXONE_GEOCODER"
GEOCODER_TIMEOUT_ENV = "NALOXONE_GEOCODER_TIMEOUT"
GEOCODER_URL_ENV = "NALOXONE_GEOCODER_URL"
GEOCODER_PER_MINUTE_ENV = "NALOXONE_GEOCODER_PER_MINUTE"
GEOCODERS = ("census",)
DEFAULT_GEOCODER_TIMEOUT_S = 5.0
#: The Census Geocoder's one-line-address endpoint (the default service address).
CENSUS_GEOCODER_URL = "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress"
DEFAULT_GEOCODER_PER_MINUTE = 10


def geocoder_name(environ: Mapping[str, str] | None = None) -> str | None:
    """The street-address geocoder switched on (``census``), None when off or unknown."""
    value = _setting(GEOCODER_ENV, environ).lower()
    return value if value in GEOCODERS else None


def geocoder_timeout_s(environ: Mapping[str, str] | None = None) -> float:
    """Seconds to wait for the geocoder (``NALOXONE_GEOCODER_TIMEOUT``, 0.5-30, default 5)."""
    try:
        value = float(_setting(GEOCODER_TIMEOUT_ENV, environ) or DEFAULT_GEOCODER_TIMEOUT_S)
    except ValueError:
        return DEFAULT_GEOCODER_TIMEOUT_S
    return min(max(value, 0.5), 30.0) if math.isfinite(value) else DEFAULT_GEOCODER_TIMEOUT_S


def geocoder_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The geocoder's service address (``NALOXONE_GEOCODER_URL``, default the Census
    endpoint): an ``http``/``https`` URL with a host and no user, query or fragment;
    None when the setting is not such a URL (the geocoder then reports itself
    misconfigured rather than sending anything elsewhere)."""
    from urllib.parse import urlsplit

    value = _setting(GEOCODER_URL_ENV, environ) or CENSUS_GEOCODER_URL
    try:
        parts = urlsplit(value)
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return None
    ok = (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.username is None
        and not parts.query
        and not parts.fragment
        and value.isascii()
        and value.isprintable()
    )
    return value if ok else None


def geocoder_per_minute(environ: Mapping[str, str] | None = None) -> int:
    """Address look-ups one session (one browser; the CLI is one) may send a minute
    (``NALOXONE_GEOCODER_PER_MINUTE``, 1-600, default 10; answers from the cache are
    not counted)."""
    raw = _setting(GEOCODER_PER_MINUTE_ENV, environ)
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 600:
        return int(raw)
    return DEFAULT_GEOCODER_PER_MINUTE


# --- Site list refresh (geo.data.refresh) --------------------------------------------

OVERPASS_URL_ENV = "NALOXONE_OVERPASS_URL"
REFRESH_TIMEOUT_ENV = "NALOXONE_REFRESH_TIMEOUT"
DEFAULT_OVERPASS_URL = "https://overpass-api.de/api/interpreter"
DEFAULT_REFRESH_TIMEOUT_S = 60.0


def overpass_url(environ: Mapping[str, str] | None = None) -> str:
    """The Overpass API interpreter URL (``NALOXONE_OVERPASS_URL``, default the public one)."""
    return _setting(OVERPASS_URL_ENV, environ) or DEFAULT_OVERPASS_URL


def refresh_timeout_s(environ: Mapping[str, str] | None = None) -> float:
    """Seconds to wait for a refresh source (``NALOXONE_REFRESH_TIMEOUT``, 1-600, default
    60); a value that is not a number is ignored (the default)."""
    try:
        value = float(_setting(REFRESH_TIMEOUT_ENV, environ) or DEFAULT_REFRESH_TIMEOUT_S)
    except ValueError:
        return DEFAULT_REFRESH_TIMEOUT_S
    return min(max(value, 1.0), 600.0) if math.isfinite(value) else DEFAULT_REFRESH_TIMEOUT_S


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
#: The suffix of a distance column in each display unit: ``mean_distance_miles``, ``_km``.
DISTANCE_SUFFIX = {"mi": "miles", "km": "km"}


# --- Local updates: store and editors ------------------------------------------------

STORE_ENV = "NALOXONE_STORE"
PASSWORD_HASH_ENV = "NALOXONE_EDITOR_PASSWORD_HASH"
IDLE_MINUTES_ENV = "NALOXONE_EDITOR_IDLE_MINUTES"
CLIENT_ADDRESS_HEADER_ENV = "NALOXONE_CLIENT_ADDRESS_HEADER"
TRUSTED_PROXIES_ENV = "NALOXONE_TRUSTED_PROXIES"
DEFAULT_IDLE_MINUTES = 30.0


def default_store_location() -> str:
    """``$XDG_DATA_HOME/md-naloxone/store.sqlite`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "md-naloxone" / "store.sqlite")


def store_location() -> str:
    """The local-updates store: ``NALOXONE_STORE`` (a SQLite file path or a
    ``postgresql://`` URL) or the per-user default."""
    return _setting(STORE_ENV) or default_store_location()


NETWORK_DIR_ENV = "NALOXONE_NETWORK_DIR"


def network_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where installed travel networks live (``python -m geo network build`` writes, the
    app reads): ``NALOXONE_NETWORK_DIR``, else a ``networks`` folder beside the SQLite
    store (beside the default store location when the store is PostgreSQL)."""
    value = _setting(NETWORK_DIR_ENV, environ)
    if value:
        return Path(value).expanduser()
    store = _setting(STORE_ENV, environ)
    if not store or "://" in store:
        store = default_store_location()
    return Path(store).expanduser().parent / "networks"


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
            "%s=%r is not a positive number of minutes; using %g",
            IDLE_MINUTES_ENV,
            raw[:40],
            DEFAULT_IDLE_MINUTES,
        )
        return DEFAULT_IDLE_MINUTES * 60
    return minutes * 60


def client_address_header(environ: Mapping[str, str] | None = None) -> str | None:
    """The request header a reverse proxy overwrites with the client's address
    (``NALOXONE_CLIENT_ADDRESS_HEADER``, lower case), or None to use the peer address."""
    return _setting(CLIENT_ADDRESS_HEADER_ENV, environ).lower() or None


def trusted_proxies(environ: Mapping[str, str] | None = None) -> tuple[list, list[str]]:
    """The proxies whose ``NALOXONE_CLIENT_ADDRESS_HEADER`` is believed
    (``NALOXONE_TRUSTED_PROXIES``: comma-separated addresses or networks, e.g.
    ``127.0.0.1, 10.0.0.0/24``), as ``ipaddress`` networks, and the entries that are
    not addresses (ignored; the start-up warning names them)."""
    import ipaddress

    networks, bad = [], []
    for entry in _setting(TRUSTED_PROXIES_ENV, environ).split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            bad.append(entry[:60])
    return networks, bad
