"""Reading an uploaded site list (CSV, Excel .xlsx, GeoJSON) into text columns.

Every problem is a one-line ``ValueError`` that names the file: oversized, empty,
undecodable, hostile (zip bombs, deep nesting) or malformed input. Text is decoded
as UTF-16/32 (BOM or NUL pattern), UTF-8, or a wholly Windows/Latin-1 file. Uploads
from visitors are read in a child process (:func:`geo.local.importing.read_upload_isolated`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.local import workbook
from geo.local.limits import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    TextBudget,
    one_line,
)

MAX_JSON_DEPTH = 64
# C0/C1 control characters other than tab, newline, carriage return; lone surrogates.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_UTF8_MULTIBYTE = re.compile(
    b"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    b"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    b"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


@dataclass
class ImportTable:
    """An uploaded table as text columns, with how it was read."""

    frame: pd.DataFrame
    filename: str
    encoding: str
    row_label: str = "row"
    first_row_number: int = 2
    notes: list[str] = field(default_factory=list)


def file_label(filename: str) -> str:
    """The file's base name, with control characters replaced, for one-line messages."""
    name = Path(str(filename).replace("\\", "/")).name or "upload"
    name = CONTROL_CHARS.sub("?", name.replace("\n", " ").replace("\r", " "))
    return name if len(name) <= 120 else name[:117] + "..."


def clean_header(column: object) -> str:
    """A column name as compared and used: NFKC (fullwidth ``ｎａｍｅ`` is ``name``),
    invisible format characters (zero-width spaces, joiners, BOMs, direction marks)
    removed, runs of whitespace made one space, surrounding spaces stripped."""
    text = unicodedata.normalize("NFKC", str(column))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def _folded(column: object) -> str:
    return clean_header(column).casefold()


def _refuse_colliding_columns(name: str, columns: Sequence[object]) -> None:
    """Refuse columns that are the same name once case, width, spaces and invisible
    characters are ignored ("Name", " name ", "ｎａｍｅ", "name" + U+200B)."""
    seen: dict[str, object] = {}
    for column in columns:
        key = _folded(column)
        if key in seen:
            raise InputError(
                f"{name}: columns {str(seen[key])!r} and {str(column)!r} are the same "
                "name apart from case, width, spaces or invisible characters; rename or "
                "remove one of them"
            )
        seen[key] = column


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fall on every other byte (ASCII text)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """Decode text: UTF-16/32 (BOM or NUL pattern), UTF-8, else a wholly Windows/Latin-1 file.

    A UTF-8 file with a stray non-UTF-8 byte is refused, naming its line, rather than read
    entirely as cp1252.
    """
    wide: str | None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        wide = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        wide = "utf-16"
    else:
        wide = _utf16_without_bom(data[:4096])
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{filename}: looks like {wide.upper()} text but byte "
                f"{exc.start + 1:,} cannot be decoded; save the file as UTF-8 "
                "and upload it again"
            ) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(
                f"{filename}: mixed text encodings: line {line:,} has a byte "
                f"(0x{data[exc.start]:02X}) that is not UTF-8 while the rest of the "
                "file is UTF-8; save the file as UTF-8 and upload it again"
            ) from None
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(f"{filename}: cannot decode the text")  # latin-1 never fails


def _read_csv(name: str, data: bytes) -> ImportTable:
    """Rows of text under the header row. Trailing empty cells (trailing commas) beyond
    the header's columns are ignored; a row with more values than the header has
    columns is refused, naming the row. Blank lines are skipped."""
    text, encoding = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    try:
        header = next(reader, [])
        while header and not header[-1].strip():  # trailing commas after the header
            header.pop()
        if len(header) > MAX_IMPORT_COLUMNS:
            raise InputError(
                f"{name}: {len(header):,} columns is over the "
                f"{MAX_IMPORT_COLUMNS}-column import limit"
            )
        if not header:
            raise InputError(f"{name}: the first line has no column names")
        header = [c.strip() or f"Unnamed: {i}" for i, c in enumerate(header)]
        _refuse_colliding_columns(name, header)
        width = len(header)
        rows: list[list[str | None]] = []
        for row in reader:
            if not row:
                continue  # a blank line
            if len(row) > width:
                extra = row[width:]
                if any(cell.strip() for cell in extra):
                    filled = width + max(i for i, c in enumerate(extra) if c.strip()) + 1
                    raise InputError(
                        f"{name}: row {len(rows) + 2:,} (line {reader.line_num:,}) has "
                        f"{filled:,} values but the header names {width} columns; remove "
                        "the extra values or name their columns"
                    )
                row = row[:width]
            rows.append([c if c != "" else None for c in row] + [None] * (width - len(row)))
            if len(rows) > MAX_IMPORT_ROWS:
                raise InputError(
                    f"{name}: more than {MAX_IMPORT_ROWS:,} rows is over the import limit"
                )
    except csv.Error as exc:
        raise InputError(
            f"{name}: cannot be read as CSV at line {reader.line_num:,}: {exc}"
        ) from None
    return ImportTable(pd.DataFrame(rows, columns=header, dtype=object), name, encoding)


def _read_xlsx(name: str, data: bytes) -> ImportTable:
    """The first worksheet as text, streamed with hard stops on rows and columns."""
    header, body, first_row, hidden = workbook.read_first_sheet(
        name, data, max_rows=MAX_IMPORT_ROWS, max_columns=MAX_IMPORT_COLUMNS
    )
    _refuse_colliding_columns(name, header)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    notes = (
        ["hidden sheet(s) not imported: " + ", ".join(repr(one_line(t)) for t in hidden)]
        if hidden
        else []
    )
    return ImportTable(frame, name, "xlsx", first_row_number=first_row, notes=notes)


def _json_depth_problem(text: str) -> int | None:
    """Offset where arrays/objects nest deeper than MAX_JSON_DEPTH (None when they do not)."""
    codes = np.frombuffer(
        _JSON_STRINGS.sub('""', text).encode("utf-8", "surrogatepass"), dtype=np.uint8
    )
    steps = np.zeros(len(codes), dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = np.cumsum(steps)
    deep = np.flatnonzero(depth > MAX_JSON_DEPTH)
    return int(deep[0]) if len(deep) else None


def _kind(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), "a number")


def _geojson_features(name: str, text: str) -> list[object]:
    """The ``features`` list of a GeoJSON FeatureCollection (refused when the JSON is
    invalid, nests too deeply or is not a FeatureCollection)."""
    if _json_depth_problem(text) is not None:
        raise InputError(
            f"{name}: not a GeoJSON FeatureCollection: arrays or objects nest more "
            f"than {MAX_JSON_DEPTH} levels deep"
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{name}: not valid JSON: {one_line(exc)}") from None
    if not isinstance(document, dict):
        raise InputError(
            f"{name}: not a GeoJSON FeatureCollection: the top level is "
            f"{_kind(document)}, not an object"
        )
    if "features" not in document:
        raise InputError(f'{name}: not a GeoJSON FeatureCollection: no "features" list')
    features = document["features"]
    if not isinstance(features, list):
        raise InputError(
            f'{name}: not a GeoJSON FeatureCollection: "features" is {_kind(features)}, not a list'
        )
    if len(features) > MAX_IMPORT_ROWS:
        raise InputError(
            f"{name}: {len(features):,} features is over the {MAX_IMPORT_ROWS:,}-row import limit"
        )
    return features


def _feature_properties(where: str, feature: object) -> dict[object, object]:
    """A feature's properties, with ``lon``/``lat`` from a Point geometry unless given."""
    if not isinstance(feature, dict):
        raise InputError(f"{where} is {_kind(feature)}, not a GeoJSON Feature object")
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise InputError(f'{where}: "properties" is {_kind(properties)}, not an object')
    properties = dict(properties)
    geometry = feature.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        raise InputError(f'{where}: "geometry" is {_kind(geometry)}, not an object or null')
    kind = geometry.get("type") if geometry else None
    if geometry and kind != "Point":
        shown = one_line(kind)[:40] if isinstance(kind, str) else _kind(kind)
        raise InputError(
            f"{where}: the geometry is {shown!r}, not a Point; only Point features "
            "(one location per site) or features without geometry can be imported"
        )
    if geometry:
        coordinates = geometry.get("coordinates")
        if (
            not isinstance(coordinates, list)
            or len(coordinates) < 2
            or not all(
                isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
            )
        ):
            raise InputError(
                f'{where}: Point "coordinates" is {_kind(coordinates)}, '
                "not [longitude, latitude] numbers"
            )
        properties.setdefault("lon", coordinates[0])
        properties.setdefault("lat", coordinates[1])
    return properties


def _read_geojson(name: str, data: bytes) -> ImportTable:
    """Point features' properties (lon/lat from the geometry) as text columns.

    Each structural problem is refused with the feature number (first feature = 1).
    """
    text, encoding = _decode(data, name)
    records = []
    keys: dict[str, None] = {}
    for number, feature in enumerate(_geojson_features(name, text), start=1):
        where = f"{name}: feature {number}"
        properties = _feature_properties(where, feature)
        for key in properties:
            keys.setdefault(str(key).strip(), None)
        if len(keys) > MAX_IMPORT_COLUMNS:
            raise InputError(
                f"{where}: more than {MAX_IMPORT_COLUMNS} different properties "
                "(the column import limit)"
            )
        record = {str(k).strip(): None if v is None else str(v) for k, v in properties.items()}
        for key, value in record.items():  # "\\ud800" in JSON: not text, cannot be stored
            if _SURROGATES.search(key) or (value and _SURROGATES.search(value)):
                raise InputError(
                    f"{where}: property {key!r} holds an invalid \\u escape "
                    "(a lone UTF-16 surrogate)"
                )
        records.append(record)
    _refuse_colliding_columns(name, list(keys))
    return ImportTable(
        pd.DataFrame(records, columns=list(keys), dtype=object), name, encoding, "feature", 1
    )


def read_upload(filename: str, data: bytes) -> ImportTable:
    """Read an uploaded CSV, .xlsx or GeoJSON into text columns, in this process.

    Raises a one-line ``ValueError`` naming the file for an oversized, empty, hostile or
    unreadable file. Uploads from visitors go through
    :func:`geo.local.importing.read_upload_isolated`.
    """
    name = file_label(filename)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(
            f"{name}: {len(data) / 1e6:.1f} MB is over the "
            f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB import limit"
        )
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _read_csv(name, data)
    elif suffix == ".xlsx":
        table = _read_xlsx(name, data)
    elif suffix in (".geojson", ".json"):
        table = _read_geojson(name, data)
    else:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .geojson"
        )
    if len(table.frame) > MAX_IMPORT_ROWS:
        raise InputError(
            f"{name}: {len(table.frame):,} rows is over the {MAX_IMPORT_ROWS:,}-row import limit"
        )
    if len(table.frame.columns) > MAX_IMPORT_COLUMNS:
        raise InputError(
            f"{name}: {len(table.frame.columns):,} columns is over the "
            f"{MAX_IMPORT_COLUMNS}-column import limit"
        )
    if table.frame.empty:
        raise InputError(f"{name}: no rows to import")
    budget = TextBudget(name)
    budget.take(table.frame.columns, "the header")
    rows = table.frame.itertuples(index=False, name=None)  # plain tuples: any column names
    for number, row in enumerate(rows, start=table.first_row_number):
        budget.take(row, f"{table.row_label} {number}")
    table.frame.columns = [clean_header(c) for c in table.frame.columns]
    return table
