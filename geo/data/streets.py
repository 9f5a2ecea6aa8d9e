"""Baltimore City street centre-lines: the raw GeoJSON reader and the processed layer.

The raw file (``data/raw/baltimore_city_street_centerlines_2021_mapbaltimore.geojson.gz``,
EPSG:4326) becomes ``data/processed/streets.parquet``: one row per line part (a
MultiLineString gives one row per part), its end points and length in metres in
EPSG:26985, and the attributes the travel modes read. The walking rule lives in
:mod:`geo.network.modes`, not here: the layer keeps every segment.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo.engine.distance import lonlat_to_xy_m
from geo.errors import DataFileError

STREETS_FILE = "baltimore_city_street_centerlines_2021_mapbaltimore.geojson.gz"
STREET_COLUMNS = (
    "source_row",
    "x0_m",
    "y0_m",
    "x1_m",
    "y1_m",
    "length_m",
    "subtype_label",
    "sha_class",
    "fullname",
)


def read_street_centrelines(path: Path) -> pd.DataFrame:
    """Segments of the raw centre-line file: end points and polyline length (metres,
    EPSG:26985: ``length_m = Σ ||p_k+1 - p_k||`` over the projected vertices)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            features = json.load(handle)["features"]
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, f"cannot be read as gzipped GeoJSON: {exc}") from exc
    parts: list[np.ndarray] = []
    rows: list[int] = []
    attributes: list[tuple[object, object, object]] = []
    for row, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") or {}
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        lines = {"LineString": [coordinates], "MultiLineString": coordinates}.get(kind)
        if not lines:
            raise DataFileError(path, f"feature {row} is not a line ({kind})")
        properties = feature.get("properties") or {}
        for line in lines:
            points = np.asarray(line, dtype=float)
            if points.ndim != 2 or len(points) < 2:
                raise DataFileError(path, f"feature {row} has a line with fewer than 2 points")
            parts.append(points[:, :2])
            rows.append(row)
            attributes.append(
                (
                    properties.get("subtype_label"),
                    properties.get("sha_class"),
                    properties.get("fullname"),
                )
            )
    sizes = np.array([len(p) for p in parts])
    lonlat = np.concatenate(parts)
    try:
        xy = lonlat_to_xy_m(lonlat[:, 0], lonlat[:, 1])
    except ValueError as exc:
        raise DataFileError(path, str(exc)) from exc
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ends = starts + sizes - 1
    step = np.hypot(*np.diff(xy, axis=0).T)
    step[ends[:-1]] = 0.0  # no step between the last point of a part and the next part
    # Each part's sum runs from its first point to the next part's (the join step is 0).
    length = np.add.reduceat(np.append(step, 0.0), starts)
    subtype, sha_class, fullname = zip(*attributes, strict=True)
    return pd.DataFrame(
        {
            "source_row": np.asarray(rows, dtype=np.int32),
            "x0_m": xy[starts, 0],
            "y0_m": xy[starts, 1],
            "x1_m": xy[ends, 0],
            "y1_m": xy[ends, 1],
            "length_m": length,
            "subtype_label": pd.array(subtype, dtype="string"),
            "sha_class": pd.array(sha_class, dtype="string"),
            "fullname": pd.array(fullname, dtype="string"),
        }
    )


def check_streets(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The processed street layer, checked: columns present, finite coordinates,
    non-negative lengths."""
    from geo.data.validation import require_columns

    require_columns(frame, STREET_COLUMNS, path)
    numbers = frame[["x0_m", "y0_m", "x1_m", "y1_m", "length_m"]].to_numpy(dtype=float)
    if not np.isfinite(numbers).all():
        raise DataFileError(path, "a segment has a missing or infinite coordinate or length")
    if (frame["length_m"] < 0).any():
        raise DataFileError(path, "a segment has a negative length", field="length_m")
    return frame
