"""An import is bounded by the text it unpacks to, not only by its size on disk: one
shared string repeated in every cell of a small workbook must not blow up the server."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from geo.local import importing
from geo.local.limits import MAX_CELL_CHARS, MAX_IMPORT_TEXT_CHARS


def _workbook(rows: int, text: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "type", "lat", "lon"])
    for _ in range(rows):
        sheet.append([text, "pharmacy", text, "-76.6"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_long_cell_is_refused_with_row_named():
    data = _workbook(3, "x" * (MAX_CELL_CHARS + 1))
    with pytest.raises(ValueError, match=r"long\.xlsx: row 2 has a cell of 2,001 characters"):
        importing.read_upload_isolated("long.xlsx", data)


def test_a_repeated_shared_string_is_refused_by_its_total_text():
    cell = "y" * MAX_CELL_CHARS
    rows = MAX_IMPORT_TEXT_CHARS // (2 * MAX_CELL_CHARS) + 10
    data = _workbook(rows, cell)
    assert len(data) < 200_000, "small on disk: the shared string is stored once"
    with pytest.raises(ValueError, match=r"repeat\.xlsx: the text in the file passes"):
        importing.read_upload_isolated("repeat.xlsx", data)


def test_csv_cells_are_bounded_too():
    data = ("name,type,lat,lon\n" + "z" * (MAX_CELL_CHARS + 5) + ",pharmacy,39.3,-76.6\n").encode()
    with pytest.raises(ValueError, match=r"long\.csv: row 2 has a cell"):
        importing.read_upload("long.csv", data)


def test_rejection_reasons_quote_at_most_sixty_characters(data):
    text = "9" * 30 + "x" * 1_000
    table = importing.read_upload("a.csv", f"name,type,lat,lon\nA,pharmacy,{text},-76.6\n".encode())
    report = importing.validate(
        table, importing.guess_mapping(list(table.frame.columns)), data.jurisdictions, data.sites
    )
    (reason,) = [r["reason"] for r in report.rejected]
    assert len(reason) < 120 and "…" in reason
