"""Excel workbooks (.xlsx) from uploads: zip-bomb checks, then the first visible sheet as
text.

An .xlsx is a zip of XML parts. Its zip directory is checked before anything is
decompressed (:func:`check_declared`), then every part is decompressed in chunks and
refused as soon as it holds more than it declares or declares XML entities. Only then
is the first worksheet streamed with hard stops on rows and columns.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib

from geo.errors import InputError
from geo.local.limits import TextBudget

MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed : compressed, for parts over 1 MB
_XLSX_LEADING_ROWS = 10  # blank or title rows allowed above the header
_XLSX_CHUNK = 64 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, NotImplementedError)


def _unreadable(name: str, exc: BaseException) -> ValueError:
    return ValueError(f"{name}: cannot be read as an Excel workbook: {exc}")


def check_declared(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose zip directory declares too many, too large or too compressed
    parts (reads only the directory: no decompression)."""
    entries = archive.infolist()
    if len(entries) > MAX_XLSX_ENTRIES:
        raise InputError(
            f"{name}: the workbook has {len(entries):,} parts, over the {MAX_XLSX_ENTRIES} allowed"
        )
    limit_mb = MAX_XLSX_UNCOMPRESSED_BYTES // 2**20
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise InputError(
                f"{name}: the workbook unpacks to more than {limit_mb} MB "
                f"(limit {limit_mb} MB); refused without reading it"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 2**20 and ratio > MAX_XLSX_RATIO:
            raise InputError(
                f"{name}: part {entry.filename!r} is compressed {ratio:,.0f} to 1 "
                f"(limit {MAX_XLSX_RATIO} to 1): looks like a zip bomb; refused"
            )


def check_directory(name: str, data: bytes) -> None:
    """:func:`check_declared` on the bytes of a workbook (refused when not a zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_declared(name, archive)
    except _ZIP_ERRORS as exc:
        raise _unreadable(name, exc) from None


def _check_part(name: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Decompress one part in chunks: refused once it yields more than it declares, when
    it declares XML entities, or when its size or checksum does not match."""
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
                raise InputError(
                    f"{name}: part {entry.filename!r} unpacks to more than "
                    f"the {entry.file_size:,} bytes it declares; refused"
                )
            if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                raise InputError(
                    f"{name}: part {entry.filename!r} declares XML entities, "
                    "which workbooks never need; refused"
                )
            tail = chunk[-16:]
    if produced != entry.file_size or crc != entry.CRC:
        raise InputError(
            f"{name}: part {entry.filename!r} is damaged (its size or "
            "checksum does not match); refused"
        )


def check_archive(name: str, data: bytes) -> None:
    """Refuse a workbook whose zip parts are too many, too large, too compressed or lying.

    Declared sizes are checked first (no decompression); then every part is decompressed
    in chunks, counting the bytes actually produced, and refused as soon as it holds more
    than it declares. At most the declared total (≤ MAX_XLSX_UNCOMPRESSED_BYTES) plus one
    chunk is decompressed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _unreadable(name, exc) from None
    try:
        check_declared(name, archive)
        for entry in archive.infolist():
            if not entry.is_dir():
                _check_part(name, archive, entry)
    except (*_ZIP_ERRORS, zlib.error) as exc:
        raise _unreadable(name, exc) from None
    finally:
        archive.close()


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # as pandas.read_excel showed whole numbers
    text = str(value)
    return text if text.strip() else None


def _sheet_rows(
    name: str, data: bytes, max_rows: int, max_columns: int
) -> tuple[str, list[tuple[str | None, ...]], list[str]]:
    """The first visible sheet's title and rows of text, read up to one row and one
    column past the limits (a sheet that declares more is refused before reading), and
    the titles of the hidden sheets before it (never imported)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise _unreadable(name, exc) from None
    try:
        if not workbook.worksheets:
            raise InputError(f"{name}: the workbook has no worksheet")
        visible = [s for s in workbook.worksheets if getattr(s, "sheet_state", "") == "visible"]
        if not visible:
            raise InputError(
                f"{name}: every sheet is hidden; unhide the sheet to import and upload again"
            )
        sheet = visible[0]
        hidden = [
            s.title
            for s in workbook.worksheets[: workbook.worksheets.index(sheet)]
            if s not in visible
        ]
        claimed_rows = getattr(sheet, "max_row", None) or 0
        claimed_columns = getattr(sheet, "max_column", None) or 0
        if claimed_rows > max_rows + 1 + _XLSX_LEADING_ROWS:
            raise InputError(
                f"{name}: sheet {sheet.title!r} declares {claimed_rows:,} rows, over "
                f"the {max_rows:,}-row import limit"
            )
        if claimed_columns > max_columns:
            raise InputError(
                f"{name}: sheet {sheet.title!r} declares {claimed_columns:,} "
                f"columns, over the {max_columns}-column import limit"
            )
        budget = TextBudget(name)
        rows = []
        for number, row in enumerate(
            sheet.iter_rows(
                min_row=1,
                max_row=max_rows + 2 + _XLSX_LEADING_ROWS,
                min_col=1,
                max_col=max_columns + 1,
                values_only=True,
            ),
            start=1,
        ):
            cells = tuple(_cell_text(v) for v in row)
            budget.take(cells, f"row {number}")
            rows.append(cells)
        return sheet.title, rows, hidden
    except ValueError:
        raise
    except Exception as exc:  # damaged sheet XML, bad shared string index, ...
        raise _unreadable(name, exc) from None
    finally:
        workbook.close()


def read_first_sheet(
    name: str, data: bytes, *, max_rows: int, max_columns: int
) -> tuple[list[str], list[list[str | None]], int, list[str]]:
    """The first visible worksheet of a checked workbook (hidden sheets are never
    imported): its header (the first non-blank row; unnamed columns ``Unnamed: <n>``),
    the rows below it restricted to the used columns, the spreadsheet row number of the
    first of them, and the titles of the hidden sheets skipped before it."""
    check_archive(name, data)
    title, rows, hidden = _sheet_rows(name, data, max_rows, max_columns)
    while rows and not any(rows[-1]):
        rows.pop()
    if len(rows) > max_rows + 1 + _XLSX_LEADING_ROWS:
        raise InputError(
            f"{name}: sheet {title!r} has more than {max_rows:,} rows (the import limit)"
        )
    if any(len(r) > max_columns and r[max_columns] is not None for r in rows):
        raise InputError(
            f"{name}: sheet {title!r} has more than {max_columns} columns (the import limit)"
        )
    header_at = next((i for i, r in enumerate(rows) if any(r)), None)
    if header_at is None:
        raise InputError(f"{name}: no rows to import")
    width = max(len(r) for r in rows)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c] is not None for r in rows[header_at:])]
    header_row = rows[header_at]
    header = [cell.strip() if (cell := header_row[c]) else f"Unnamed: {c}" for c in used]
    body = [[r[c] for c in used] for r in rows[header_at + 1 :]]
    return header, body, header_at + 2, hidden
