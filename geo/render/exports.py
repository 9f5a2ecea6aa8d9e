"""Writing tables and layers for people: CSV safe to open in Excel, and GeoJSON.

CSV is UTF-8 with a byte-order mark (so Excel reads accented names right) and
every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return, and not a plain number such as
``-79.3197``) is prefixed with ``'``. Numbers stay numbers, so a downloaded file
imports again unchanged. Excel workbooks (:func:`xlsx_bytes`) get the same treatment.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.config import WGS84

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
"""Text a spreadsheet reads as a number, not a formula (``-79.3197``, ``+1``, ``1e-5``)."""


def neutralise_formula(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` without geometry, with every text cell neutralised."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for column in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])
        ):
            out[column] = out[column].map(neutralise_formula, na_action="ignore")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as Excel-safe CSV bytes (UTF-8 with BOM, formulas neutralised)."""
    buffer = io.StringIO()
    spreadsheet_safe(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode(CSV_ENCODING)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per entry (e.g. ``Data`` and ``Data dictionary``):
    bold frozen header row, columns sized to their text, text cells neutralised like the
    CSV (:func:`spreadsheet_safe`), numbers kept as numbers and missing values blank."""
    from openpyxl.styles import Font  # loaded when a workbook is asked for
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            spreadsheet_safe(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for number, column in enumerate(sheet.iter_cols(), start=1):
                column[0].font = Font(bold=True)
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[get_column_letter(number)].width = min(
                    MAX_COLUMN_WIDTH, width + 2
                )
    return buffer.getvalue()


def geojson_bytes(frame: pd.DataFrame, precision: int = 6) -> bytes:
    """``frame`` as a GeoJSON FeatureCollection (EPSG:4326), UTF-8, coordinates rounded
    to ``precision`` decimals.

    Rows without geometry become features with ``"geometry": null``; a plain
    table becomes features without geometry; missing values become ``null``.
    """
    if isinstance(frame, gpd.GeoDataFrame):
        layer = frame if frame.crs is None or frame.crs.to_epsg() == 4326 else frame.to_crs(WGS84)
    else:
        layer = gpd.GeoDataFrame(
            pd.DataFrame(frame).drop(columns="geometry", errors="ignore"),
            geometry=[None] * len(frame),
        )
    rounded = shapely.transform(layer.geometry.values, lambda xy: np.round(xy, precision))
    document = layer.set_geometry(rounded).to_geo_dict(na="null", drop_id=True)
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def write_bytes_atomic(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half-written file remains.

    A path that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a named
    pipe) is written to directly: replacing it would put a plain file in its place."""
    path = Path(path)
    if path.exists() and not path.is_file():
        with path.open("wb") as stream:
            stream.write(data)
        return
    temporary = path.with_name(path.name + ".partial")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
