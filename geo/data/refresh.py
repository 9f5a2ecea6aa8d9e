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
import html
import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import (
    MARYLAND_LAT_RANGE,
    MARYLAND_LON_RANGE,
    WGS84,
    overpass_url,
    refresh_timeout_s,
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

OVERPASS_QUERY = """[out:json][timeout:{timeout}];
area["ISO3166-2"="US-MD"][admin_level=4]->.maryland;
(
  nwr["amenity"="pharmacy"](area.maryland);
  nwr["amenity"="vending_machine"]["vending"~"naloxone",i](area.maryland);
);
out center tags;
"""


def overpass_query(timeout_s: float) -> str:
    """The Overpass QL asking for Maryland's pharmacies and naloxone vending machines."""
    return OVERPASS_QUERY.format(timeout=max(int(timeout_s), 1))


Post = Callable[[str, bytes, float], bytes]


def _read_limited(response, limit: int) -> bytes:
    """At most ``limit`` bytes of a response; more refuses the whole answer."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RefreshError(_too_large(int(declared), limit))
    chunks, total = [], 0
    while True:
        chunk = response.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            if declared and declared.isdigit() and total < int(declared):
                raise http.client.IncompleteRead(b"".join(chunks), int(declared) - total)
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise RefreshError(_too_large(total, limit, at_least=True))


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"the answer is {more}{size / 2**20:.1f} MB, over the {limit // 2**20} MB limit "
        "for a refresh (far more than Maryland's sites); nothing was stored"
    )


def post_overpass(url: str, query: bytes, timeout_s: float) -> bytes:
    """POST the query to the Overpass interpreter; the body (at most
    ``MAX_RESPONSE_BYTES``). Network failures are raised as they come (see
    :func:`fetch_overpass`)."""
    request = urllib.request.Request(
        url,
        data=query,
        headers={
            "User-Agent": "md-naloxone-dashboard (site list refresh)",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return _read_limited(response, MAX_RESPONSE_BYTES)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def fetch_overpass(
    url: str | None = None,
    *,
    timeout_s: float | None = None,
    post: Post = post_overpass,
    jurisdictions: gpd.GeoDataFrame | None = None,
) -> Fetched:
    """Ask the Overpass API (``url``, default ``NALOXONE_OVERPASS_URL``) for Maryland's
    pharmacies and naloxone vending machines, waiting at most ``timeout_s`` seconds
    (default ``NALOXONE_REFRESH_TIMEOUT``). Raises :class:`RefreshError`."""
    url = url or overpass_url()
    timeout = refresh_timeout_s() if timeout_s is None else timeout_s
    service = f"the Overpass API ({_host(url)})"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RefreshError(
            f"NALOXONE_OVERPASS_URL must be an http:// or https:// address, not {url[:80]!r}"
        )
    body = urllib.parse.urlencode({"data": overpass_query(timeout)}).encode()
    try:
        answer = post(url, body, timeout)
    except RefreshError as exc:
        raise RefreshError(f"{service}: {exc}") from None
    except urllib.error.HTTPError as exc:
        raise RefreshError(_http_problem(service, exc)) from None
    except TimeoutError:
        raise RefreshError(_timed_out(service, timeout)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise RefreshError(_timed_out(service, timeout)) from None
        raise RefreshError(
            f"{service} could not be reached ({_reason(exc.reason)}): no network "
            "connection, or the service is down; nothing was stored"
        ) from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RefreshError(
            f"{service} closed the connection before its answer was complete "
            f"({type(exc).__name__}); nothing was stored"
        ) from None
    return parse_overpass(answer, service=service, jurisdictions=jurisdictions)


def _reason(reason: object) -> str:
    text = str(getattr(reason, "strerror", None) or reason)
    return text.splitlines()[0][:120] if text else type(reason).__name__


def _timed_out(service: str, timeout_s: float) -> str:
    return (
        f"{service} did not answer within {timeout_s:g} s (NALOXONE_REFRESH_TIMEOUT); "
        "try again later; nothing was stored"
    )


def _http_problem(service: str, exc: urllib.error.HTTPError) -> str:
    if exc.code == 429:
        wait = (exc.headers.get("Retry-After") or "").strip() if exc.headers else ""
        when = (
            f"it asks to wait {wait} s (Retry-After) before trying again"
            if wait.isdigit()
            else (f"try again after {wait} (Retry-After)" if wait else "try again later")
        )
        return f"{service} is busy (HTTP 429 Too Many Requests): {when}; nothing was stored"
    return f"{service} answered HTTP {exc.code} ({exc.reason}); nothing was stored"


_HTML_ERROR = re.compile(rb"<strong[^>]*>\s*Error\s*</strong>\s*:?\s*(.*?)</p>", re.I | re.S)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def _html_summary(body: bytes) -> str:
    """What an HTML error page says (Overpass's own error line, or its title)."""
    found = _HTML_ERROR.search(body) or _HTML_TITLE.search(body)
    if not found:
        return ""
    text = re.sub(rb"<[^>]+>", b"", found.group(1)).decode("utf-8", "replace")
    text = " ".join(html.unescape(text).split())
    return f": “{text[:160]}”" if text else ""


def parse_overpass(
    body: bytes,
    *,
    service: str = "the Overpass API",
    jurisdictions: gpd.GeoDataFrame | None = None,
) -> Fetched:
    """The Maryland sites in an Overpass JSON answer (:data:`COLUMNS`). Raises
    :class:`RefreshError` for an HTML page, damaged or cut-short JSON, a query that
    failed part way (a ``remark`` with an error: the list would be incomplete), too
    many rows, or no Maryland rows."""
    if len(body) > MAX_RESPONSE_BYTES:
        raise RefreshError(f"{service}: {_too_large(len(body), MAX_RESPONSE_BYTES)}")
    start = body.lstrip()[:1]
    if start == b"<":
        raise RefreshError(
            f"{service} sent an HTML page instead of JSON{_html_summary(body)}; nothing was stored"
        )
    try:
        answer = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RefreshError(
            f"{service} sent an answer that is not UTF-8 text; nothing was stored"
        ) from None
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(body.rstrip()) - 1 or exc.msg.startswith("Unterminated")
        what = "cut short (incomplete JSON)" if cut else f"damaged (not JSON at byte {exc.pos})"
        raise RefreshError(f"{service} sent an answer that is {what}; nothing was stored") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise RefreshError(
            f"{service} sent JSON that is not an Overpass answer (no 'elements' list); "
            "nothing was stored"
        )
    remark = str(answer.get("remark") or "")
    if "error" in remark.lower():
        raise RefreshError(
            f"{service} stopped part way, so its list is incomplete: “{remark[:160]}”; "
            "nothing was stored"
        )
    if len(answer["elements"]) > MAX_ROWS:
        raise RefreshError(
            f"{service} sent {len(answer['elements']):,} elements, over the limit of "
            f"{MAX_ROWS:,} for Maryland's sites; nothing was stored"
        )
    rows = [row for element in answer["elements"] if (row := _osm_row(element)) is not None]
    stamp = (answer.get("osm3s") or {}).get("timestamp_osm_base")
    fetched = str(stamp) if isinstance(stamp, str) and stamp else _now()
    sites = in_maryland(pd.DataFrame(rows, columns=list(COLUMNS)), jurisdictions)
    if sites.empty:
        raise RefreshError(
            f"{service} answered with no pharmacy or naloxone vending machine in Maryland "
            f"({len(rows)} outside it); nothing was stored"
        )
    return Fetched(SOURCES["osm"], sites, fetched)


def _osm_row(element: object) -> dict[str, object] | None:
    """One OSM element as a site row, or None when it is not one of ours."""
    if not isinstance(element, dict):
        return None
    tags = element.get("tags") if isinstance(element.get("tags"), dict) else {}
    tags = {str(k): str(v) for k, v in tags.items()}
    if tags.get("amenity") == "pharmacy":
        site_type = "pharmacy"
    elif tags.get("amenity") == "vending_machine" and "naloxone" in tags.get("vending", "").lower():
        site_type = "vending_machine"
    else:
        return None
    where = element if "lat" in element else element.get("center") or {}
    try:
        lat, lon = float(where["lat"]), float(where["lon"])
        osm_id = int(element["id"])
    except (KeyError, TypeError, ValueError):
        return None
    kind = str(element.get("type") or "node")
    street = " ".join(
        part for part in (tags.get("addr:housenumber"), tags.get("addr:street")) if part
    )
    name = tags.get("name") or tags.get("brand") or tags.get("operator")
    return {
        "source_id": f"osm-{kind}-{osm_id}",
        "name": name
        or f"{'Pharmacy' if site_type == 'pharmacy' else 'Naloxone vending machine'}"
        f" {SOURCES['osm'].unnamed}",
        "type": site_type,
        "address": street or None,
        "city": tags.get("addr:city") or None,
        "zip": _zip(tags.get("addr:postcode")),
        "jurisdiction_fips": None,
        "lat": lat,
        "lon": lon,
        "phone": tags.get("phone") or tags.get("contact:phone") or None,
        "hours": tags.get("opening_hours") or None,
    }


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

OVERTURE_CATEGORY = "pharmacy"


def _first(value: object, key: str | None = None) -> object:
    """The first item of a list (or the field ``key`` of it), None when empty."""
    if value is None or isinstance(value, float):
        return None
    items = list(value) if not isinstance(value, dict) else [value]
    if not items:
        return None
    item = items[0]
    return item.get(key) if key is not None and isinstance(item, dict) else item


def overture_rows(table: pd.DataFrame, lons: np.ndarray, lats: np.ndarray) -> list[dict]:
    """Site rows from Overture place records (``id``, ``names``, ``categories``,
    ``basic_category``, ``addresses``, ``phones``, ``operating_status``) with their
    point coordinates; only pharmacies that are not permanently closed."""
    rows = []
    for i, record in enumerate(table.to_dict("records")):
        categories = record.get("categories") or {}
        primary = categories.get("primary") if isinstance(categories, dict) else None
        if OVERTURE_CATEGORY not in (primary, record.get("basic_category")):
            continue
        if str(record.get("operating_status") or "") == "permanently_closed":
            continue
        names = record.get("names") or {}
        address = _first(record.get("addresses")) or {}
        name = names.get("primary") if isinstance(names, dict) else None
        rows.append(
            {
                "source_id": f"overture-{record.get('id')}",
                "name": name or f"Pharmacy {SOURCES['overture'].unnamed}",
                "type": "pharmacy",
                "address": address.get("freeform") or None,
                "city": address.get("locality") or None,
                "zip": _zip(address.get("postcode")),
                "jurisdiction_fips": None,
                "lat": float(lats[i]),
                "lon": float(lons[i]),
                "phone": _first(record.get("phones")) or None,
                "hours": None,
            }
        )
    return rows


def _check_overture_schema(schema, service: str) -> None:
    """Refuse a table that is not Overture places (id, geometry, a category column)."""
    names = set(schema.names)
    missing = {"id", "geometry"} - names
    if missing or not ({"categories", "basic_category"} & names):
        raise RefreshError(
            f"{service} is not a table of Overture places (it has no "
            f"{', '.join(sorted(missing)) or 'categories'} column); nothing was stored"
        )


def _pharmacy_filter(schema):
    """A pyarrow expression keeping the places whose primary or basic category is
    pharmacy (the rows of the other millions of places are never converted; ``|`` is
    Kleene's or, so a missing category never hides a pharmacy the other one names)."""
    import pyarrow.compute as pc

    keep = None
    if "categories" in schema.names:
        keep = pc.field("categories", "primary") == OVERTURE_CATEGORY
    if "basic_category" in schema.names:
        basic = pc.field("basic_category") == OVERTURE_CATEGORY
        keep = basic if keep is None else (keep | basic)
    return keep  # a null category is dropped by the filter


def _overture_frame(table, service: str, jurisdictions, fetched: str) -> Fetched:
    """Overture records (a pyarrow table with a WKB ``geometry``) as :class:`Fetched`."""
    import shapely

    _check_overture_schema(table.schema, service)
    table = table.filter(_pharmacy_filter(table.schema))
    if table.num_rows > MAX_ROWS:
        raise RefreshError(
            f"{service} lists {table.num_rows:,} pharmacies, over the limit of {MAX_ROWS:,} "
            "(far more than Maryland's); nothing was stored"
        )
    frame = table.drop_columns(["geometry"]).to_pandas()
    try:
        points = shapely.from_wkb(np.asarray(table.column("geometry").to_pylist(), dtype=object))
    except (shapely.errors.GEOSException, TypeError, ValueError):
        raise RefreshError(f"{service} has damaged point geometries; nothing was stored") from None
    lons = shapely.get_x(points)
    lats = shapely.get_y(points)
    rows = overture_rows(frame, lons, lats)
    if len(rows) > MAX_ROWS:
        raise RefreshError(
            f"{service} lists {len(rows):,} pharmacies, over the limit of {MAX_ROWS:,}; "
            "nothing was stored"
        )
    sites = in_maryland(pd.DataFrame(rows, columns=list(COLUMNS)), jurisdictions)
    if sites.empty:
        raise RefreshError(
            f"{service} has no pharmacy in Maryland ({len(rows)} outside it); nothing was stored"
        )
    return Fetched(SOURCES["overture"], sites, fetched)


def read_overture_file(
    path: str | Path, *, jurisdictions: gpd.GeoDataFrame | None = None
) -> Fetched:
    """Maryland pharmacies from a downloaded Overture places GeoParquet (for example
    ``overturemaps download --bbox=-79.49,37.88,-75.04,39.73 -f geoparquet --type=place``).
    ``fetched`` is the file's modification time (UTC)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    service = f"Overture file {path.name}"
    if not path.is_file():
        raise RefreshError(f"{path.name}: file not found")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise RefreshError(f"{service}: {_too_large(size, MAX_FILE_BYTES)}")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise RefreshError(
            f"{service} cannot be read as GeoParquet ({str(exc).splitlines()[0][:100]}); "
            "nothing was stored"
        ) from None
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    fetched = stamp.isoformat(timespec="seconds").replace("+00:00", "Z")
    return _overture_frame(table, service, jurisdictions, fetched)


#: Maryland's extent (west, south, east, north) in degrees: the box asked of Overture.
MARYLAND_BBOX = (-79.49, 37.88, -75.04, 39.73)


def fetch_overture(
    *,
    timeout_s: float | None = None,
    release: str | None = None,
    jurisdictions: gpd.GeoDataFrame | None = None,
) -> Fetched:
    """Maryland pharmacies from the newest Overture Maps release (or ``release``), read
    with the ``overturemaps`` package from Overture's public bucket; each request waits
    at most ``timeout_s`` seconds. Raises :class:`RefreshError`."""
    import pyarrow as pa

    timeout = refresh_timeout_s() if timeout_s is None else timeout_s
    service = "Overture Maps (its release catalogue and public bucket)"
    try:
        from overturemaps import core
    except ImportError:
        raise RefreshError(
            "the overturemaps package is not installed (pip install overturemaps), or "
            "give a downloaded file with --from-file"
        ) from None
    try:
        release = release or _latest_release(core, timeout)
        reader = core.record_batch_reader(
            "place",
            bbox=MARYLAND_BBOX,
            release=release,
            connect_timeout=int(timeout),
            request_timeout=int(timeout),
        )
        if reader is None:
            raise OSError("no answer")
        _check_overture_schema(reader.schema, service)
        keep = _pharmacy_filter(reader.schema)
        batches, kept = [], 0
        for batch in reader:  # only the pharmacies of each batch are kept
            pharmacies = pa.Table.from_batches([batch]).filter(keep)
            kept += pharmacies.num_rows
            if kept > MAX_ROWS:
                raise RefreshError(
                    f"{service} sent more than {MAX_ROWS:,} pharmacies for Maryland's "
                    "extent, far more than expected; nothing was stored"
                )
            batches.extend(pharmacies.to_batches())
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except RefreshError:
        raise
    except TimeoutError:
        raise RefreshError(_timed_out(service, timeout)) from None
    except Exception as exc:  # the package raises plain Exception for network failures
        raise RefreshError(
            f"{service} could not be reached ({_reason(exc)}): no network connection, "
            "or the service is down; nothing was stored"
        ) from None
    return _overture_frame(table, service, jurisdictions, _now())


def _latest_release(core, timeout_s: float) -> str:
    """The newest Overture release name, asked in a worker thread so that the package's
    catalogue request (which sets no timeout of its own) is given up after
    ``timeout_s`` seconds."""
    import threading

    answer: list[object] = []
    worker = threading.Thread(
        target=lambda: answer.append(_call(core.get_latest_release)), daemon=True
    )
    worker.start()
    worker.join(timeout_s)
    if not answer:
        raise TimeoutError
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return str(answer[0])


def _call(function: Callable[[], object]) -> object:
    try:
        return function()
    except Exception as exc:
        return exc


def read_overpass_file(
    path: str | Path, *, jurisdictions: gpd.GeoDataFrame | None = None
) -> Fetched:
    """Maryland sites from a saved Overpass JSON answer (the query is in
    :func:`overpass_query`); ``fetched`` is the answer's ``timestamp_osm_base``."""
    path = Path(path)
    if not path.is_file():
        raise RefreshError(f"{path.name}: file not found")
    size = path.stat().st_size
    if size > MAX_RESPONSE_BYTES:
        raise RefreshError(f"Overpass file {path.name}: {_too_large(size, MAX_RESPONSE_BYTES)}")
    return parse_overpass(
        path.read_bytes(), service=f"Overpass file {path.name}", jurisdictions=jurisdictions
    )


def fetch(source: str, *, from_file: str | Path | None = None, jurisdictions=None) -> Fetched:
    """The sites ``source`` (``osm`` or ``overture``) lists now, live or from a file."""
    if source not in SOURCES:
        raise RefreshError(f"unknown source {source!r}: choose {' or '.join(SOURCES)}")
    if source == "osm":
        if from_file is not None:
            return read_overpass_file(from_file, jurisdictions=jurisdictions)
        return fetch_overpass(jurisdictions=jurisdictions)
    if from_file is not None:
        return read_overture_file(from_file, jurisdictions=jurisdictions)
    return fetch_overture(jurisdictions=jurisdictions)
