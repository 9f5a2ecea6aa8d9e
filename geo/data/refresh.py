"""Current pharmacies and naloxone vending machines from live public sources, for review.

Two sources, each read live or from a downloaded file:

- ``osm``: OpenStreetMap through the Overpass API (``NALOXONE_OVERPASS_URL``): every
  ``amenity=pharmacy`` in Maryland, and every ``amenity=vending_machine`` whose
  ``vending`` list names naloxone (the OSM wiki documents ``vending=*`` as a
  semicolon-separated list of what is sold and has no approved naloxone value, so
  ``naloxone`` is matched inside the list; ``vending=syringes`` alone is not naloxone).
  Ways and relations are placed at the centre Overpass gives (``out center``).
  Answer format (Overpass JSON)::

      {"version": 0.6, "osm3s": {"timestamp_osm_base": "2026-12-01T00:00:00Z", ...},
       "elements": [{"type": "node", "id": 1, "lat": 39.3, "lon": -76.6,
                     "tags": {"amenity": "pharmacy", "name": "...", "addr:street": ...}},
                    {"type": "way", "id": 2, "center": {"lat": ..., "lon": ...}, ...}],
       "remark": "runtime error: ..."}   # only when the query failed part way

- ``overture``: Overture Maps places (the ``overturemaps`` package reads the release's
  GeoParquet from Overture's public bucket) whose category is ``pharmacy``
  (``categories.primary`` or ``basic_category``), permanently closed places left out.

Only points inside Maryland's jurisdictions are kept (each gets its ``jurisdiction_fips``).
Every failure is a :class:`RefreshError` whose text is one sentence naming the service
and what was wrong (no network, timeout, HTTP 429 with its Retry-After, an HTML page
instead of JSON, damaged or truncated JSON, no Maryland rows, an answer over
``MAX_RESPONSE_BYTES`` or ``MAX_ROWS``); nothing is stored by this module at all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import (
    MARYLAND_LAT_RANGE,
    MARYLAND_LON_RANGE,
    WGS84,
)

#: An answer larger than this is refused (Maryland's pharmacies in Overpass JSON are
#: about 1 MB; the limit leaves room for growth and refuses a runaway answer).
MAX_RESPONSE_BYTES = 25 * 2**20
#: A source with more Maryland rows than this is refused (Maryland has ~1,500 pharmacies).
MAX_ROWS = 20_000
#: A downloaded Overture GeoParquet larger than this is refused before it is read.
MAX_FILE_BYTES = 500 * 2**20

COLUMNS = (
    "source_id",
    "name",
    "type",
    "address",
    "city",
    "zip",
    "jurisdiction_fips",
    "lat",
    "lon",
    "phone",
    "hours",
)


@dataclass(frozen=True)
class Source:
    """A refresh source: what it is called, who answers, its licence and site types."""

    key: str
    label: str
    service: str
    licence: str
    licence_url: str
    types: tuple[str, ...]
    unnamed: str


SOURCES: dict[str, Source] = {
    "osm": Source(
        key="osm",
        label="OpenStreetMap",
        service="the Overpass API",
        licence="ODbL 1.0 (© OpenStreetMap contributors)",
        licence_url="https://www.openstreetmap.org/copyright",
        types=("pharmacy", "vending_machine"),
        unnamed="(unnamed in OpenStreetMap)",
    ),
    "overture": Source(
        key="overture",
        label="Overture Maps places",
        service="Overture Maps",
        licence="CDLA-Permissive-2.0 (Overture Maps Foundation)",
        licence_url="https://docs.overturemaps.org/attribution/",
        types=("pharmacy",),
        unnamed="(unnamed in Overture Maps)",
    ),
}


class RefreshError(Exception):
    """A source could not give a usable answer; ``str()`` is one sentence for the user.
    Nothing was stored."""


@dataclass(frozen=True)
class Fetched:
    """The sites a source lists in Maryland (:data:`COLUMNS`), and ``fetched``: the
    source's own as-of time where it states one (Overpass ``timestamp_osm_base``),
    else when it was read, ISO 8601 UTC."""

    source: Source
    sites: pd.DataFrame
    fetched: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- Overpass ------------------------------------------------------------------------


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"the answer is {more}{size / 2**20:.1f} MB, over the {limit // 2**20} MB limit "
        "for a refresh (far more than Maryland's sites); nothing was stored"
    )


def _reason(reason: object) -> str:
    text = str(getattr(reason, "strerror", None) or reason)
    return text.splitlines()[0][:120] if text else type(reason).__name__


def _timed_out(service: str, timeout_s: float) -> str:
    return (
        f"{service} did not answer within {timeout_s:g} s (NALOXONE_REFRESH_TIMEOUT); "
        "try again later; nothing was stored"
    )


def _zip(value: object) -> str | None:
    found = re.match(r"\s*(\d{5})", str(value or ""))
    return found.group(1) if found else None


# --- Maryland ------------------------------------------------------------------------


def in_maryland(sites: pd.DataFrame, jurisdictions: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """The rows whose point lies inside a Maryland jurisdiction (EPSG:4326 polygons of
    the bundled layer), each with that jurisdiction's ``jurisdiction_fips``; at most one
    row per ``source_id``."""
    if jurisdictions is None:
        from geo.data.layers import load_jurisdictions

        jurisdictions = load_jurisdictions()
    if sites.empty:
        return sites.reset_index(drop=True)
    sites = sites.drop_duplicates("source_id").reset_index(drop=True)
    lat = pd.to_numeric(sites["lat"], errors="coerce")
    lon = pd.to_numeric(sites["lon"], errors="coerce")
    box = lat.between(*MARYLAND_LAT_RANGE) & lon.between(*MARYLAND_LON_RANGE) & np.isfinite(lat)
    sites = sites[box.to_numpy()].reset_index(drop=True)
    if sites.empty:
        return sites
    points = gpd.GeoDataFrame(
        sites[["source_id"]], geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), crs=WGS84
    )
    joined = gpd.sjoin(
        points, jurisdictions[["fips", "geometry"]].to_crs(WGS84), predicate="within", how="inner"
    )
    fips = joined.groupby(level=0)["fips"].first()
    sites = sites.loc[fips.index].copy()
    sites["jurisdiction_fips"] = fips.astype(str)
    return sites.reset_index(drop=True)


# --- Overture ------------------------------------------------------------------------


def fetch(source: str, *, from_file: str | Path | None = None, jurisdictions=None) -> Fetched:
    """The sites ``source`` (``osm`` or ``overture``) lists now, live or from a file."""
    if source not in SOURCES:
        raise RefreshError(f"unknown source {source!r}: choose {' or '.join(SOURCES)}")
    from geo.data.refresh_overpass import fetch_overpass, read_overpass_file
    from geo.data.refresh_overture import fetch_overture, read_overture_file

    if source == "osm":
        if from_file is not None:
            return read_overpass_file(from_file, jurisdictions=jurisdictions)
        return fetch_overpass(jurisdictions=jurisdictions)
    if from_file is not None:
        return read_overture_file(from_file, jurisdictions=jurisdictions)
    return fetch_overture(jurisdictions=jurisdictions)
