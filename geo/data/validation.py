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

from geo.config import MARYLAND_STATE_FIPS
from geo.errors import DataFileError

#: A Maryland jurisdiction's 5-digit FIPS code (state 24 + county), for ``str.fullmatch``.
JURISDICTION_FIPS_PATTERN = rf"{MARYLAND_STATE_FIPS}\d{{3}}"

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
