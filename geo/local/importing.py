"""Importing site lists (CSV, Excel .xlsx, GeoJSON): read, map columns, validate row by
row, and report; the accepted rows are written in one transaction by the store.

Row numbers in reports are as a spreadsheet shows them (header = row 1); for
GeoJSON they are feature numbers (first feature = 1).
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import json
import os
import pickle
import re
import subprocess
import sys
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geo
from geo.config import RAW_DIR, WGS84
from geo.engine.distance import lonlat_to_xy_m
from geo.schema import SITE_TYPES

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_COLUMNS = 100
# An .xlsx is a zip of XML parts: limits checked before any part is parsed.
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed : compressed, for parts over 1 MB
MAX_JSON_DEPTH = 64
READ_TIMEOUT_S = 60.0  # reading one upload in its child process
READ_MEMORY_BYTES = 1024 * 1024 * 1024  # address space the child may add
_XLSX_LEADING_ROWS = 10  # blank or title rows allowed above the header
_XLSX_CHUNK = 64 * 1024
# C0/C1 control characters other than tab, newline, carriage return; lone surrogates.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_UTF8_MULTIBYTE = re.compile(
    b"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    b"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    b"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_SURROGATES = re.compile("[\ud800-\udfff]")
_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
DUPLICATE_DISTANCE_M = 50.0
FIELDS = ("name", "type", "address", "city", "zip", "lat", "lon", "jurisdiction", "notes",
          "source", "source_date")
REQUIRED = ("name", "type")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "site", "site name", "sitename", "organization", "organisation",
             "location name", "facility", "provider"),
    "type": ("type", "site type", "sitetype", "category", "kind"),
    "address": ("address", "street", "street address", "address1", "addr"),
    "city": ("city", "town", "municipality"),
    "zip": ("zip", "zipcode", "zip code", "postal code", "postcode", "zip5"),
    "lat": ("lat", "latitude", "y", "lat_dd"),
    "lon": ("lon", "lng", "long", "longitude", "x", "lon_dd"),
    "jurisdiction": ("jurisdiction", "county", "county fips", "fips", "county_fips"),
    "notes": ("notes", "note", "comments", "comment", "hours"),
    "source": ("source", "source url", "url", "website"),
    "source_date": ("source date", "as of", "date", "updated"),
}
TYPE_SYNONYMS: dict[str, str] = {
    "pharmacy": "pharmacy", "drugstore": "pharmacy", "drug store": "pharmacy",
    "opioid treatment program": "opioid_treatment_program", "otp": "opioid_treatment_program",
    "methadone clinic": "opioid_treatment_program",
    "opioid_treatment_program": "opioid_treatment_program",
    "health department": "health_department", "local health department": "health_department",
    "health_department": "health_department", "lhd": "health_department",
    "harm reduction": "harm_reduction", "harm_reduction": "harm_reduction",
    "syringe services program": "harm_reduction", "ssp": "harm_reduction",
    "syringe services": "harm_reduction", "overdose response program": "harm_reduction",
    "vending machine": "vending_machine", "naloxone vending machine": "vending_machine",
    "vending_machine": "vending_machine", "naloxone box": "vending_machine",
}


@dataclass
class ImportTable:
    """An uploaded table as text columns, with how it was read."""

    frame: pd.DataFrame
    filename: str
    encoding: str
    row_label: str = "row"
    first_row_number: int = 2


@dataclass
class ImportReport:
    """Accepted site records and rejected rows (row, field, reason)."""

    accepted: pd.DataFrame
    rejected: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["row", "field", "reason"])

    def as_json(self) -> dict[str, object]:
        return {"accepted": len(self.accepted), "rejected": self.rejected, "notes": self.notes}


def _file_label(filename: str) -> str:
    """The file's base name, with control characters replaced, for one-line messages."""
    name = Path(str(filename).replace("\\", "/")).name or "upload"
    name = _CONTROL_CHARS.sub("?", name.replace("\n", " ").replace("\r", " "))
    return name if len(name) <= 120 else name[:117] + "..."


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _folded(column: object) -> str:
    return " ".join(str(column).split()).casefold()


def _refuse_colliding_columns(name: str, columns: list[object]) -> None:
    """Refuse columns that differ only in case or surrounding spaces ("Name", " name ")."""
    seen: dict[str, object] = {}
    for column in columns:
        key = _folded(column)
        if key in seen:
            raise ValueError(f"{name}: columns {str(seen[key])!r} and {str(column)!r} are the "
                             "same name apart from case or spaces; rename one of them")
        seen[key] = column


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fall on every other byte (ASCII text)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0:pairs * 2:2].count(0)
    odd = head[1:pairs * 2:2].count(0)
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
            raise ValueError(f"{filename}: looks like {wide.upper()} text but byte "
                             f"{exc.start + 1:,} cannot be decoded; save the file as UTF-8 "
                             "and upload it again") from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data.count(b"\n", 0, exc.start) + 1
            raise ValueError(f"{filename}: mixed text encodings: line {line:,} has a byte "
                             f"(0x{data[exc.start]:02X}) that is not UTF-8 while the rest of the "
                             "file is UTF-8; save the file as UTF-8 and upload it again") from None
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{filename}: cannot decode the text")  # latin-1 never fails


def _read_csv(name: str, data: bytes) -> ImportTable:
    text, encoding = _decode(data, name)
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        raise ValueError(f"{name}: cannot be read as CSV: {exc}") from None
    if len(header) > MAX_IMPORT_COLUMNS:
        raise ValueError(f"{name}: {len(header):,} columns is over the "
                         f"{MAX_IMPORT_COLUMNS}-column import limit")
    _refuse_colliding_columns(name, [c.strip() for c in header])
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            na_values=[""], skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"{name}: cannot be read as CSV: {exc}") from None
    return ImportTable(frame, name, encoding)


def _check_xlsx_declared(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose zip directory declares too many, too large or too compressed
    parts (reads only the directory: no decompression)."""
    entries = archive.infolist()
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ValueError(f"{name}: the workbook has {len(entries):,} parts, over the "
                         f"{MAX_XLSX_ENTRIES} allowed")
    limit_mb = MAX_XLSX_UNCOMPRESSED_BYTES // 2**20
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise ValueError(f"{name}: the workbook unpacks to more than {limit_mb} MB "
                             f"(limit {limit_mb} MB); refused without reading it")
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 2**20 and ratio > MAX_XLSX_RATIO:
            raise ValueError(f"{name}: part {entry.filename!r} is compressed {ratio:,.0f} to 1 "
                             f"(limit {MAX_XLSX_RATIO} to 1): looks like a zip bomb; refused")


def _check_xlsx_archive(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose zip parts are too many, too large, too compressed or lying.

    Declared sizes are checked first (no decompression); then every part is decompressed
    in chunks, counting the bytes actually produced, and refused as soon as it holds more
    than it declares. At most the declared total (≤ MAX_XLSX_UNCOMPRESSED_BYTES) plus one
    chunk is decompressed.
    """
    _check_xlsx_declared(name, archive)
    entries = archive.infolist()
    for entry in entries:
        if entry.is_dir():
            continue
        probe = copy.copy(entry)
        probe.file_size = entry.file_size + 1  # read past a declared size that lies,
        del probe.CRC  # without zipfile's CRC check stopping at that size first
        produced = 0
        crc = 0
        tail = b""
        with archive.open(probe) as stream:
            while chunk := stream.read(_XLSX_CHUNK):
                produced += len(chunk)
                crc = zlib.crc32(chunk, crc)
                if produced > entry.file_size:
                    raise ValueError(f"{name}: part {entry.filename!r} unpacks to more than "
                                     f"the {entry.file_size:,} bytes it declares; refused")
                if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                    raise ValueError(f"{name}: part {entry.filename!r} declares XML entities, "
                                     "which workbooks never need; refused")
                tail = chunk[-16:]
        if produced != entry.file_size or crc != entry.CRC:
            raise ValueError(f"{name}: part {entry.filename!r} is damaged (its size or "
                             "checksum does not match); refused")


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # as pandas.read_excel showed whole numbers
    text = str(value)
    return text if text.strip() else None


def _read_xlsx(name: str, data: bytes) -> ImportTable:
    """The first worksheet as text, streamed with hard stops on rows and columns."""
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from None
    try:
        _check_xlsx_archive(name, archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from None
    finally:
        archive.close()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from None
    try:
        if not workbook.worksheets:
            raise ValueError(f"{name}: the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        claimed_rows = getattr(sheet, "max_row", None) or 0
        claimed_columns = getattr(sheet, "max_column", None) or 0
        if claimed_rows > MAX_IMPORT_ROWS + 1 + _XLSX_LEADING_ROWS:
            raise ValueError(f"{name}: sheet {sheet.title!r} declares {claimed_rows:,} rows, over "
                             f"the {MAX_IMPORT_ROWS:,}-row import limit")
        if claimed_columns > MAX_IMPORT_COLUMNS:
            raise ValueError(f"{name}: sheet {sheet.title!r} declares {claimed_columns:,} "
                             f"columns, over the {MAX_IMPORT_COLUMNS}-column import limit")
        rows: list[tuple[object, ...]] = []
        last_row = MAX_IMPORT_ROWS + 1 + _XLSX_LEADING_ROWS
        for row in sheet.iter_rows(min_row=1, max_row=last_row + 1, min_col=1,
                                   max_col=MAX_IMPORT_COLUMNS + 1, values_only=True):
            rows.append(tuple(_cell_text(v) for v in row))
    except ValueError:
        raise
    except Exception as exc:  # damaged sheet XML, bad shared string index, ...
        raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from None
    finally:
        workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if len(rows) > last_row:
        raise ValueError(f"{name}: sheet {sheet.title!r} has more than {MAX_IMPORT_ROWS:,} rows "
                         f"(the import limit)")
    if any(len(r) > MAX_IMPORT_COLUMNS and r[MAX_IMPORT_COLUMNS] is not None for r in rows):
        raise ValueError(f"{name}: sheet {sheet.title!r} has more than {MAX_IMPORT_COLUMNS} "
                         "columns (the import limit)")
    header_at = next((i for i, r in enumerate(rows) if any(r)), None)
    if header_at is None:
        raise ValueError(f"{name}: no rows to import")
    width = max(len(r) for r in rows)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c] is not None for r in rows[header_at:])]
    header = [rows[header_at][c].strip() if rows[header_at][c] else f"Unnamed: {c}"
              for c in used]
    _refuse_colliding_columns(name, header)
    body = [[r[c] for c in used] for r in rows[header_at + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return ImportTable(frame, name, "xlsx", first_row_number=header_at + 2)


def _json_depth_problem(text: str) -> int | None:
    """Offset where arrays/objects nest deeper than MAX_JSON_DEPTH (None when they do not)."""
    codes = np.frombuffer(_JSON_STRINGS.sub('""', text).encode("utf-8", "surrogatepass"),
                          dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = np.cumsum(steps)
    deep = np.flatnonzero(depth > MAX_JSON_DEPTH)
    return int(deep[0]) if len(deep) else None


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")


def _read_geojson(name: str, data: bytes) -> ImportTable:
    """Point features' properties (lon/lat from the geometry) as text columns.

    Each structural problem is refused with the feature number (first feature = 1).
    """
    text, encoding = _decode(data, name)
    if _json_depth_problem(text) is not None:
        raise ValueError(f"{name}: not a GeoJSON FeatureCollection: arrays or objects nest more "
                         f"than {MAX_JSON_DEPTH} levels deep")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{name}: not valid JSON: {_one_line(exc)}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{name}: not a GeoJSON FeatureCollection: the top level is "
                         f"{_kind(document)}, not an object")
    if "features" not in document:
        raise ValueError(f"{name}: not a GeoJSON FeatureCollection: no \"features\" list")
    features = document["features"]
    if not isinstance(features, list):
        raise ValueError(f"{name}: not a GeoJSON FeatureCollection: \"features\" is "
                         f"{_kind(features)}, not a list")
    if len(features) > MAX_IMPORT_ROWS:
        raise ValueError(f"{name}: {len(features):,} features is over the "
                         f"{MAX_IMPORT_ROWS:,}-row import limit")
    records = []
    keys: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        where = f"{name}: feature {number}"
        if not isinstance(feature, dict):
            raise ValueError(f"{where} is {_kind(feature)}, not a GeoJSON Feature object")
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise ValueError(f"{where}: \"properties\" is {_kind(properties)}, not an object")
        properties = dict(properties)
        geometry = feature.get("geometry")
        if geometry is not None and not isinstance(geometry, dict):
            raise ValueError(f"{where}: \"geometry\" is {_kind(geometry)}, not an object or "
                             "null")
        if geometry and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates")
            if (not isinstance(coordinates, list) or len(coordinates) < 2
                    or not all(isinstance(c, int | float) and not isinstance(c, bool)
                               for c in coordinates[:2])):
                raise ValueError(f"{where}: Point \"coordinates\" is {_kind(coordinates)}, "
                                 "not [longitude, latitude] numbers")
            properties.setdefault("lon", coordinates[0])
            properties.setdefault("lat", coordinates[1])
        for key in properties:
            keys.setdefault(str(key).strip(), None)
        if len(keys) > MAX_IMPORT_COLUMNS:
            raise ValueError(f"{where}: more than {MAX_IMPORT_COLUMNS} different properties "
                             "(the column import limit)")
        record = {str(k).strip(): None if v is None else str(v) for k, v in properties.items()}
        for key, value in record.items():  # "\\ud800" in JSON: not text, cannot be stored
            if _SURROGATES.search(key) or (value and _SURROGATES.search(value)):
                raise ValueError(f"{where}: property {key!r} holds an invalid \\u escape "
                                 "(a lone UTF-16 surrogate)")
        records.append(record)
    _refuse_colliding_columns(name, list(keys))
    return ImportTable(pd.DataFrame(records, columns=list(keys), dtype=object), name, encoding,
                       "feature", 1)


def read_upload(filename: str, data: bytes) -> ImportTable:
    """Read an uploaded CSV, .xlsx or GeoJSON into text columns, in this process.

    Raises a one-line ``ValueError`` naming the file for an oversized, empty, hostile or
    unreadable file. Uploads from visitors go through :func:`read_upload_isolated`.
    """
    name = _file_label(filename)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(f"{name}: {len(data) / 1e6:.1f} MB is over the "
                         f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB import limit")
    if not data.strip():
        raise ValueError(f"{name}: the file is empty")
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _read_csv(name, data)
    elif suffix == ".xlsx":
        table = _read_xlsx(name, data)
    elif suffix in (".geojson", ".json"):
        table = _read_geojson(name, data)
    else:
        raise ValueError(f"{name}: unsupported file type {suffix or '(none)'}; use .csv, "
                         ".xlsx or .geojson")
    if len(table.frame) > MAX_IMPORT_ROWS:
        raise ValueError(f"{name}: {len(table.frame):,} rows is over the "
                         f"{MAX_IMPORT_ROWS:,}-row import limit")
    if len(table.frame.columns) > MAX_IMPORT_COLUMNS:
        raise ValueError(f"{name}: {len(table.frame.columns):,} columns is over the "
                         f"{MAX_IMPORT_COLUMNS}-column import limit")
    if table.frame.empty:
        raise ValueError(f"{name}: no rows to import")
    table.frame.columns = [str(c).strip() for c in table.frame.columns]
    return table


_SLOTS = threading.BoundedSemaphore(2)  # at most two uploads parsed at once
_WORKER = "from geo.local.importing import _isolated_worker; _isolated_worker()"


def _limit_memory(memory_bytes: int) -> None:
    """Cap this process's address space at its current size plus ``memory_bytes``."""
    try:  # pandas' Arrow strings: Arrow's own allocator reserves more than it uses
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    except ImportError:
        pass
    try:
        import resource

        status = Path("/proc/self/status").read_text()
        current = int(re.search(r"VmSize:\s+(\d+) kB", status).group(1)) * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = current + memory_bytes
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, AttributeError, ValueError):
        pass  # no /proc or no setrlimit: the time limit still applies


def _isolated_worker() -> None:
    """Child side of :func:`run_isolated`: a pickled call on stdin, its outcome on stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the answer
    func, args, label, memory_bytes = pickle.load(sys.stdin.buffer)
    _limit_memory(memory_bytes)
    try:
        result: tuple[str, object] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", None)
    except ValueError as exc:
        result = ("error", _one_line(exc))
    except RecursionError:
        result = ("error", f"{label}: nested too deeply to read")
    except Exception as exc:  # never a traceback: one line back to the caller
        result = ("error", f"{label}: cannot be read ({type(exc).__name__}: {_one_line(exc)})")
    try:
        answer = pickle.dumps(result)
    except MemoryError:
        answer = pickle.dumps(("memory", None))
    out.write(answer)
    out.close()


def run_isolated(func: Callable[..., object], args: tuple[object, ...], *, label: str,
                 timeout_s: float = READ_TIMEOUT_S,
                 memory_bytes: int = READ_MEMORY_BYTES) -> object:
    """Run ``func(*args)`` in a fresh Python process with a time and memory limit.

    ``func`` and ``args`` must pickle (a module-level function). The caller only waits on
    pipes, so the GIL of a server process is not held while the child works; at most two
    children run at once. A plain subprocess, not multiprocessing, so the caller's main
    script (Streamlit's page script) is never re-run in the child. Errors come back as
    one-line ``ValueError`` messages starting with ``label``.
    """
    payload = pickle.dumps((func, args, label, memory_bytes))
    if not _SLOTS.acquire(timeout=timeout_s):
        raise ValueError(f"{label}: the server is busy reading other uploads; try again in a "
                         "minute")
    try:
        package_root = str(Path(geo.__file__).resolve().parent.parent)  # holds geo/
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "PYTHONPATH": os.pathsep.join(
                   p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        try:
            child = subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=package_root)
        except OSError as exc:
            raise ValueError(f"{label}: cannot start the reader process "
                             f"({type(exc).__name__}); try again later") from None
        try:
            answer, _ = child.communicate(payload, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise ValueError(f"{label}: reading took longer than {timeout_s:g} s and was "
                             "stopped; try a smaller file") from None
    finally:
        _SLOTS.release()
    try:
        status, value = pickle.loads(answer)
    except Exception:  # no answer: the child died (out of memory, killed)
        raise ValueError(f"{label}: reading stopped unexpectedly (exit code {child.returncode}); "
                         f"the file may need more than the {memory_bytes // 2**20} MB of memory "
                         "allowed for an upload") from None
    if status == "ok":
        return value
    if status == "memory":
        raise ValueError(f"{label}: reading needs more than the {memory_bytes // 2**20} MB of "
                         "memory allowed for an upload and was stopped; try a smaller file")
    raise ValueError(str(value))


def read_upload_isolated(filename: str, data: bytes, *, timeout_s: float = READ_TIMEOUT_S,
                         memory_bytes: int = READ_MEMORY_BYTES) -> ImportTable:
    """:func:`read_upload` in a child process with a time and memory limit (for uploads)."""
    name = _file_label(filename)
    if len(data) > MAX_IMPORT_BYTES or not data.strip():  # refused before starting a child
        return read_upload(filename, data)
    if Path(name).suffix.lower() == ".xlsx":  # a zip bomb is refused from its directory
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                _check_xlsx_declared(name, archive)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from None
    return cast(ImportTable, run_isolated(read_upload, (filename, data), label=name,
                                          timeout_s=timeout_s, memory_bytes=memory_bytes))


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """Best guess of which column holds each field (None when absent)."""
    by_key = {_key(c): c for c in columns}
    mapping: dict[str, str | None] = {}
    for target, names in SYNONYMS.items():
        mapping[target] = next((by_key[_key(n)] for n in names if _key(n) in by_key), None)
    return mapping


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed: for duplicate detection."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def load_zip_centroids(path: Path = RAW_DIR / "md_zip_centroids_zipcodes3.csv") -> pd.DataFrame:
    """Maryland ZIP centroids (GeoNames via PyPI zipcodes), indexed by 5-digit ZIP.

    A damaged file raises ``DataFileError`` naming it (and the row and field).
    """
    from geo.data.validation import check_range, numeric_column, read_csv_strict, spreadsheet_row
    from geo.errors import DataFileError

    frame = read_csv_strict(path, ["zip", "lat", "lon"])
    bad_zip = ~frame["zip"].fillna("").str.fullmatch(r"\d{5}")
    if bad_zip.any():
        position = int(np.flatnonzero(bad_zip.to_numpy())[0])
        raise DataFileError(path, f"{frame['zip'].iloc[position]!r} is not a 5-digit ZIP",
                            row=spreadsheet_row(position), field="zip")
    for column, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        frame[column] = numeric_column(frame, column, path, allow_missing=True)
        check_range(frame[column], low, high, column, path)
    return frame.dropna(subset=["lat", "lon"]).set_index("zip")


class _Reject(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _number(value: object, field_name: str) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _Reject(field_name, f"{value!r} is not a number") from None
    if not np.isfinite(number):
        raise _Reject(field_name, f"{value!r} is not a finite number")
    return number


def validate(table: ImportTable, mapping: dict[str, str | None],
             jurisdictions: gpd.GeoDataFrame, existing_sites: pd.DataFrame,
             zip_centroids: pd.DataFrame | None = None) -> ImportReport:
    """Validate every row; return the accepted site records and the rejected rows.

    Checks: required name and type, known type, numeric lat/lon (both or neither),
    swapped lat/lon, inside Maryland, in the stated jurisdiction, and a likely
    duplicate (same normalised name within 50 m of an existing or earlier site, or,
    without coordinates, in the same jurisdiction).
    A row with only a ZIP gets the ZIP centroid (``zip_centroid``); a row with
    nothing locatable but a jurisdiction is kept unmapped.
    """
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise ValueError(f"{table.filename}: choose the column for " + ", ".join(missing))
    zips = load_zip_centroids() if zip_centroids is None else zip_centroids
    names = dict(zip(jurisdictions["fips"], jurisdictions["name"], strict=True))
    by_name = {normalise_name(n): f for f, n in names.items()}
    by_name.update({normalise_name(n) + " county": f for f, n in names.items()})
    county_by_zip_name = {normalise_name(n) + " county": f for f, n in names.items()}
    county_by_zip_name["baltimore city"] = "24510"
    mapped_existing = existing_sites[existing_sites["lat"].notna()]
    existing_xy = (lonlat_to_xy_m(mapped_existing["lon"], mapped_existing["lat"])
                   if len(mapped_existing) else np.empty((0, 2)))
    existing_names = [normalise_name(n) for n in mapped_existing["name"]]
    existing_ids = mapped_existing["id"].tolist()
    tree = cKDTree(existing_xy) if len(existing_xy) else None
    named_in = {(normalise_name(n), f): i for n, f, i in zip(
        existing_sites["name"], existing_sites["jurisdiction_fips"], existing_sites["id"],
        strict=True)}
    unmapped_rows: dict[tuple[str, str], int] = {}

    accepted: list[dict[str, object]] = []
    accepted_xy: list[tuple[float, float, str, int]] = []
    rejected: list[dict[str, object]] = []

    def cell(row: pd.Series, name: str) -> str | None:
        column = mapping.get(name)
        if not column or column not in row:
            return None
        value = row[column]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        text = str(value).strip()
        return text or None

    empty_rows = 0
    for position, (_, row) in enumerate(table.frame.iterrows()):
        number = position + table.first_row_number
        if all(v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()
               for v in row.tolist()):
            empty_rows += 1  # a blank line between rows of a spreadsheet
            continue
        try:
            for target in FIELDS:
                text = cell(row, target)
                bad = _CONTROL_CHARS.search(text) if text else None
                if bad:
                    raise _Reject(target, f"contains the control character "
                                  f"U+{ord(bad.group()):04X}; remove it and import again")
            name = cell(row, "name")
            if not name:
                raise _Reject("name", "a site needs a name")
            raw_type = cell(row, "type")
            if not raw_type:
                raise _Reject("type", "a site needs a type")
            site_type = TYPE_SYNONYMS.get(_key(raw_type)) or TYPE_SYNONYMS.get(raw_type.lower())
            if site_type is None:
                raise _Reject("type", f"unknown type {raw_type!r}; use one of "
                              + ", ".join(SITE_TYPES))
            stated = cell(row, "jurisdiction")
            stated_fips = None
            if stated:
                text = stated.zfill(3) if stated.isdigit() and len(stated) <= 3 else stated
                if text in names:
                    stated_fips = text
                elif f"24{text}" in names:
                    stated_fips = f"24{text}"
                else:
                    stated_fips = by_name.get(normalise_name(stated))
                if stated_fips is None:
                    raise _Reject("jurisdiction", f"unknown Maryland jurisdiction {stated!r}")
            lat, lon = _number(cell(row, "lat"), "lat"), _number(cell(row, "lon"), "lon")
            if (lat is None) != (lon is None):
                raise _Reject("lat" if lat is None else "lon",
                              "give both latitude and longitude, or neither")
            zip_code = cell(row, "zip")
            zip5 = re.sub(r"\D", "", zip_code or "")[:5] if zip_code else ""
            precision = "exact"
            note = None
            if lat is not None:
                if -80 <= lat <= -74 and 37 <= lon <= 40:
                    raise _Reject("lat", f"latitude {lat} and longitude {lon} look swapped")
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise _Reject("lat", f"({lat}, {lon}) is not a valid coordinate")
            elif zip5 and zip5 in zips.index:
                lat, lon = float(zips.loc[zip5, "lat"]), float(zips.loc[zip5, "lon"])
                precision = "zip_centroid"
            if lat is not None:
                point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=WGS84)
                hit, polygon = jurisdictions.sindex.query(point, predicate="within")
                found = jurisdictions["fips"].iloc[polygon[0]] if len(hit) else None
                if found is None:
                    if precision == "exact":
                        raise _Reject("lat", f"({lat:.5f}, {lon:.5f}) is outside Maryland")
                    lat = lon = None
                    precision = "none"
                    note = f"ZIP {zip5} centroid is outside Maryland: not mapped"
                elif stated_fips and found != stated_fips:
                    if precision == "exact":
                        raise _Reject("jurisdiction", f"the point lies in {names[found]}, "
                                      f"not {names[stated_fips]}")
                    lat = lon = None
                    precision = "none"
                    note = (f"ZIP {zip5} centroid lies in {names[found]}, outside the stated "
                            "jurisdiction: not mapped")
                else:
                    stated_fips = found
            else:
                precision = "none"
            if stated_fips is None and zip5 and zip5 in zips.index:
                stated_fips = county_by_zip_name.get(
                    normalise_name(str(zips.loc[zip5, "county_name"])))
            if stated_fips is None:
                raise _Reject("lat", "nothing to locate the site: give coordinates, a Maryland "
                              "ZIP or the jurisdiction")
            key = normalise_name(name)
            if lat is not None:
                xy = lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]
                if tree is not None:
                    for index in tree.query_ball_point(xy, DUPLICATE_DISTANCE_M):
                        if existing_names[index] == key:
                            raise _Reject("name", f"likely duplicate of existing site "
                                          f"{existing_ids[index]} (same name within "
                                          f"{DUPLICATE_DISTANCE_M:.0f} m)")
                for x, y, other, other_row in accepted_xy:
                    if other == key and np.hypot(x - xy[0], y - xy[1]) <= DUPLICATE_DISTANCE_M:
                        raise _Reject("name", f"likely duplicate of {table.row_label} "
                                      f"{other_row} in this file")
                accepted_xy.append((float(xy[0]), float(xy[1]), key, number))
            else:
                if (key, stated_fips) in named_in:
                    raise _Reject("name", f"likely duplicate of existing site "
                                  f"{named_in[(key, stated_fips)]} (same name, same "
                                  "jurisdiction, no coordinates)")
                if (key, stated_fips) in unmapped_rows:
                    raise _Reject("name", f"likely duplicate of {table.row_label} "
                                  f"{unmapped_rows[(key, stated_fips)]} in this file")
                unmapped_rows[(key, stated_fips)] = number
            notes = "; ".join(x for x in (cell(row, "notes"), note) if x) or None
            accepted.append({
                "name": name, "type": site_type, "address": cell(row, "address"),
                "city": cell(row, "city"), "zip": zip_code, "jurisdiction_fips": stated_fips,
                "lat": lat, "lon": lon, "location_precision": precision, "status": "open",
                "source": cell(row, "source") or f"local import ({table.filename})",
                "source_date": cell(row, "source_date"), "notes": notes,
                "_row": number,
            })
        except _Reject as problem:
            rejected.append({"row": number, "field": problem.field, "reason": problem.reason})
    frame = pd.DataFrame(accepted, columns=[
        "name", "type", "address", "city", "zip", "jurisdiction_fips", "lat", "lon",
        "location_precision", "status", "source", "source_date", "notes", "_row"])
    notes = [f"read as {table.encoding}"] if table.encoding not in ("utf-8-sig", "xlsx") else []
    if empty_rows:
        notes.append(f"{empty_rows} empty {table.row_label}(s) skipped")
    return ImportReport(frame, rejected, notes)


def rejected_rows_csv(table: ImportTable, report: ImportReport) -> bytes:
    """The rejected rows as they were in the file, with the reasons, for fixing."""
    from geo.render.exports import csv_bytes

    reasons = report.rejected_frame()
    if reasons.empty:
        return csv_bytes(reasons)
    positions = reasons["row"] - table.first_row_number
    original = table.frame.iloc[positions.to_numpy()].reset_index(drop=True)
    grouped = reasons.reset_index(drop=True)
    out = pd.concat([grouped.rename(columns={"row": table.row_label}), original], axis=1)
    return csv_bytes(out)
