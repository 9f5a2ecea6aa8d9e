"""Strict readers and column checks that turn bad data into clear messages.

Row numbers in messages are as a spreadsheet shows them: the header is row 1,
the first data row is row 2.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from geo.config import MARYLAND_LAT_RANGE, MARYLAND_LON_RANGE, MARYLAND_STATE_FIPS
from geo.errors import DataFileError

#: A Maryland jurisdiction's 5-digit FIPS code (state 24 + county), for ``str.fullmatch``.
JURISDICTION_FIPS_PATTERN = rf"{MARYLAND_STATE_FIPS}\d{{3}}"
#: A Maryland 2020 census tract's 11-digit GEOID (state 24 + county + tract).
TRACT_GEOID_PATTERN = rf"{MARYLAND_STATE_FIPS}\d{{9}}"

HEADER_ROWS = 1


def spreadsheet_row(position: int) -> int:
    """Spreadsheet row number of the 0-based data row ``position``."""
    return position + HEADER_ROWS + 1


def read_csv_strict(path: str | Path, required_columns: Iterable[str]) -> pd.DataFrame:
    """Read a CSV as text columns, checking that it exists, parses and has the columns.

    Every cell is a string; empty cells are NaN. Raises ``DataFileError``.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except UnicodeDecodeError as exc:
        raise DataFileError(
            path, f"not valid UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise DataFileError(path, f"cannot be read as CSV: {exc}") from exc
    require_columns(frame, required_columns, path)
    return frame


def require_columns(frame: pd.DataFrame, required: Iterable[str], path: str | Path) -> None:
    """Raise ``DataFileError`` naming every required column that is absent."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise DataFileError(
            path,
            "missing column(s) "
            + ", ".join(repr(c) for c in missing)
            + "; found "
            + ", ".join(repr(str(c)) for c in frame.columns),
        )


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    path: str | Path,
    *,
    allow_missing: bool = False,
    missing_markers: Iterable[str] = (),
) -> pd.Series:
    """Column ``column`` as float64, raising on the first cell that is not a number.

    Cells equal to one of ``missing_markers`` (e.g. ``Suppressed``) become NaN,
    as do empty cells when ``allow_missing``.
    """
    text = frame[column]
    markers = set(missing_markers)
    is_marker = text.isin(markers) if markers else pd.Series(False, index=frame.index)
    values = pd.to_numeric(text.where(~is_marker), errors="coerce")
    bad = values.isna() & text.notna() & ~is_marker
    if not allow_missing:
        bad |= text.isna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        cell = text.iloc[position]
        reason = "empty" if pd.isna(cell) else f"{cell!r} is not a number"
        raise DataFileError(path, reason, row=spreadsheet_row(position), field=column)
    return values.astype("float64")


def check_range(values: pd.Series, low: float, high: float, column: str, path: str | Path) -> None:
    """Raise ``DataFileError`` at the first non-missing value outside ``[low, high]``."""
    outside = values.notna() & ((values < low) | (values > high))
    if outside.any():
        position = int(np.flatnonzero(outside.to_numpy())[0])
        raise DataFileError(
            path,
            f"{values.iloc[position]} is outside [{low}, {high}]",
            row=spreadsheet_row(position),
            field=column,
        )


def check_unique(values: pd.Series, column: str, path: str | Path) -> None:
    """Raise ``DataFileError`` at the first repeated value of ``column``."""
    duplicated = values.duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DataFileError(
            path,
            f"duplicate value {values.iloc[position]!r}",
            row=spreadsheet_row(position),
            field=column,
        )


def check_not_empty(frame: pd.DataFrame, column: str, path: str | Path) -> None:
    """Raise ``DataFileError`` at the first empty cell of ``column``."""
    empty = frame[column].isna() | (frame[column].astype("string").str.strip() == "")
    if empty.any():
        position = int(np.flatnonzero(empty.to_numpy())[0])
        raise DataFileError(path, "empty", row=spreadsheet_row(position), field=column)


def check_allowed(values: pd.Series, allowed: Iterable[str], column: str, path: str | Path) -> None:
    """Raise ``DataFileError`` at the first value of ``column`` not in ``allowed``."""
    allowed = list(allowed)
    bad = ~values.isin(allowed)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(
            path,
            f"{values.iloc[position]!r} is not one of " + ", ".join(repr(a) for a in allowed),
            row=spreadsheet_row(position),
            field=column,
        )


def check_pattern(
    values: pd.Series, pattern: str, what: str, column: str, path: str | Path
) -> None:
    """Raise ``DataFileError`` at the first value of ``column`` that does not match
    ``pattern`` in full (``'2155' is not a 5-digit ZIP``, with ``what`` = ``a 5-digit ZIP``);
    an empty cell does not match."""
    bad = ~values.fillna("").astype(str).str.fullmatch(pattern)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(
            path,
            f"{values.iloc[position]!r} is not {what}",
            row=spreadsheet_row(position),
            field=column,
        )


def check_fips(frame: pd.DataFrame, column: str, path: str | Path) -> None:
    """Every cell of ``column`` is a 5-digit Maryland jurisdiction FIPS code."""
    check_not_empty(frame, column, path)
    check_pattern(
        frame[column], JURISDICTION_FIPS_PATTERN, "a 5-digit Maryland FIPS code", column, path
    )


def tract_geoids(frame: pd.DataFrame, path: str | Path, column: str = "GEOID") -> pd.Series:
    """Column ``column``, checked to hold unique 11-digit Maryland 2020 tract GEOIDs."""
    check_not_empty(frame, column, path)
    check_pattern(
        frame[column], TRACT_GEOID_PATTERN, "an 11-digit Maryland tract GEOID", column, path
    )
    check_unique(frame[column], column, path)
    return frame[column]


def whole_numbers(frame: pd.DataFrame, column: str, path: str | Path) -> pd.Series:
    """Column ``column`` as int64, raising on the first cell that is not digits only."""
    check_not_empty(frame, column, path)
    check_pattern(frame[column], r"\d+", "a whole number", column, path)
    return frame[column].astype("int64")


def coordinates(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    allow_missing: bool,
    lat: str = "lat",
    lon: str = "lon",
    lat_range: tuple[float, float] = MARYLAND_LAT_RANGE,
    lon_range: tuple[float, float] = MARYLAND_LON_RANGE,
) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude (degrees, EPSG:4326) of columns ``lat`` and ``lon`` as
    float64, each within its range (default: Maryland's bounding box); with
    ``allow_missing`` a row may have neither, never only one."""
    lat_values = numeric_column(frame, lat, path, allow_missing=allow_missing)
    lon_values = numeric_column(frame, lon, path, allow_missing=allow_missing)
    check_range(lat_values, *lat_range, lat, path)
    check_range(lon_values, *lon_range, lon, path)
    half = lat_values.isna() != lon_values.isna()
    if half.any():
        position = int(np.flatnonzero(half.to_numpy())[0])
        raise DataFileError(
            path,
            "latitude and longitude must both be given or both be empty",
            row=spreadsheet_row(position),
            field=lat,
        )
    return lat_values, lon_values


def check_geometries(
    geometry: pd.Series,
    path: str | Path,
    types: Iterable[str],
    *,
    keys: pd.Series | None = None,
    required: pd.Series | np.ndarray | bool = True,
) -> None:
    """Raise ``DataFileError`` (field ``geometry``) at the first geometry that is missing or
    empty where ``required``, of a type not in ``types``, or not valid (e.g. a
    self-intersecting polygon, which later breaks overlays with a ``GEOSException``).

    ``keys`` (e.g. the FIPS codes) name the record in the message; ``required`` may be a
    boolean mask of the rows that must have a geometry (the others may lack one).
    """
    import geopandas as gpd
    from shapely.validation import explain_validity

    series = gpd.GeoSeries(np.asarray(geometry, dtype=object))
    types = tuple(types)
    need = np.broadcast_to(np.asarray(required, dtype=bool), len(series))
    missing = series.isna().to_numpy()
    empty = ~missing & series.is_empty.to_numpy()
    drawn = ~missing & ~empty
    wrong_type = drawn & ~series.geom_type.isin(types).to_numpy()
    invalid = drawn & ~series.is_valid.to_numpy()
    bad = ((missing | empty) & need) | wrong_type | invalid
    if not bad.any():
        return
    position = int(np.flatnonzero(bad)[0])
    if missing[position]:
        problem = "missing geometry"
    elif empty[position]:
        problem = "empty geometry"
    elif wrong_type[position]:
        problem = f"a {series.geom_type.iloc[position]} where {' or '.join(types)} is expected"
    else:
        problem = f"invalid geometry ({explain_validity(series.iloc[position])})"
    record = "" if keys is None else f" for {keys.iloc[position]}"
    raise DataFileError(path, problem + record, row=spreadsheet_row(position), field="geometry")
