"""The ``overture`` refresh source: Overture Maps places whose category is ``pharmacy``,
live from the public bucket (:func:`fetch_overture`, with the ``overturemaps`` package)
or from a downloaded GeoParquet (:func:`read_overture_file`); see :mod:`geo.data.refresh`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import refresh_timeout_s
from geo.data import refresh
from geo.data.refresh import SOURCES, Fetched, RefreshError

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
                "zip": refresh._zip(address.get("postcode")),
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
    if table.num_rows > refresh.MAX_ROWS:
        raise RefreshError(
            f"{service} lists {table.num_rows:,} pharmacies, over the limit of "
            f"{refresh.MAX_ROWS:,} (far more than Maryland's); nothing was stored"
        )
    frame = table.drop_columns(["geometry"]).to_pandas()
    try:
        points = shapely.from_wkb(np.asarray(table.column("geometry").to_pylist(), dtype=object))
    except (shapely.errors.GEOSException, TypeError, ValueError):
        raise RefreshError(f"{service} has damaged point geometries; nothing was stored") from None
    lons = shapely.get_x(points)
    lats = shapely.get_y(points)
    rows = overture_rows(frame, lons, lats)
    if len(rows) > refresh.MAX_ROWS:
        raise RefreshError(
            f"{service} lists {len(rows):,} pharmacies, over the limit of "
            f"{refresh.MAX_ROWS:,}; nothing was stored"
        )
    sites = refresh.in_maryland(pd.DataFrame(rows, columns=list(refresh.COLUMNS)), jurisdictions)
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
    if size > refresh.MAX_FILE_BYTES:
        raise RefreshError(f"{service}: {refresh._too_large(size, refresh.MAX_FILE_BYTES)}")
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
            if kept > refresh.MAX_ROWS:
                raise RefreshError(
                    f"{service} sent more than {refresh.MAX_ROWS:,} pharmacies for Maryland's "
                    "extent, far more than expected; nothing was stored"
                )
            batches.extend(pharmacies.to_batches())
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except RefreshError:
        raise
    except TimeoutError:
        raise RefreshError(refresh._timed_out(service, timeout)) from None
    except Exception as exc:  # the package raises plain Exception for network failures
        raise RefreshError(
            f"{service} could not be reached ({refresh._reason(exc)}): no network connection, "
            "or the service is down; nothing was stored"
        ) from None
    return _overture_frame(table, service, jurisdictions, refresh._now())


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
