"""Hostile and damaged uploads: zip bombs, lying workbooks, malformed GeoJSON, control
characters, colliding columns, mixed and wide text encodings; read in a child process
with time and memory limits; the CLI answers each with one line and exit code 2."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import time
import zipfile

import pandas as pd
import pytest

from geo.config import REPO_ROOT
from geo.local import importing, isolation, workbook
from tests.support.cli import run_geo

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WORKSHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


class TooMuchRead(BaseException):
    """Raised (past any ``except Exception``) when a reader decompresses too much."""


@pytest.fixture()
def decompressed(monkeypatch):
    """Count the bytes decompressed from any zip entry; stop the reader past 4 MB."""
    counter = {"bytes": 0}
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = original(self, n)
        counter["bytes"] += len(data)
        if counter["bytes"] > 4 * 2**20:
            raise TooMuchRead(f"{counter['bytes']:,} bytes decompressed")
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    return counter


def _workbook(sheet_xml: bytes | None = None) -> bytes:
    """A real two-row workbook; optionally with the first sheet's XML replaced."""
    frame = pd.DataFrame(
        {
            "Name": ["Dundalk Box"],
            "Category": ["vending machine"],
            "Lat": [39.2655],
            "Lng": [-76.5000],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    if sheet_xml is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for entry in source.infolist():
            body = sheet_xml if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry)
            target.writestr(entry.filename, body)
    return out.getvalue()


def _sheet(rows: bytes, dimension: str | None = None, prolog: str = XML_DECLARATION) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (prolog + WORKSHEET + dim + "<sheetData>").encode() + rows + b"</sheetData></worksheet>"


def _header_and_rows(count: int) -> bytes:
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>type</t></is></c></row>'
    )
    row = (
        b'<row><c t="inlineStr"><is><t>Repeated Pharmacy</t></is></c>'
        b'<c t="inlineStr"><is><t>pharmacy</t></is></c></row>'
    )
    return header + row * count


def test_xlsx_zip_bomb_is_refused_from_declared_sizes(decompressed):
    bomb = _workbook(_sheet(_header_and_rows(700_000)))  # ~75 MB of XML
    assert len(bomb) < importing.MAX_IMPORT_BYTES
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(e.file_size for e in archive.infolist()) > 70 * 2**20
    decompressed["bytes"] = 0  # building the file read some
    with pytest.raises(ValueError, match="unpacks to more than 50 MB") as info:
        importing.read_upload("bomb.xlsx", bomb)
    assert str(info.value).startswith("bomb.xlsx: ")
    assert decompressed["bytes"] == 0, "refused without decompressing anything"


def test_xlsx_highly_compressed_part_is_refused(decompressed):
    bomb = _workbook(_sheet(_header_and_rows(200_000)))  # ~21 MB, under the total limit
    decompressed["bytes"] = 0  # building the file read some
    with pytest.raises(ValueError, match=r"compressed .* to 1 .*zip bomb") as info:
        importing.read_upload("ratio.xlsx", bomb)
    assert "ratio.xlsx" in str(info.value)
    assert decompressed["bytes"] == 0


def _lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite ``member``'s uncompressed size in its local and central headers."""
    blob = bytearray(data)
    name = member.encode()
    local = blob.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", blob, local + 26)[0]
        if bytes(blob[local + 30 : local + 30 + name_length]) == name:
            struct.pack_into("<I", blob, local + 22, declared)
        local = blob.find(b"PK\x03\x04", local + 4)
    central = blob.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", blob, central + 28)[0]
        if bytes(blob[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", blob, central + 24, declared)
        central = blob.find(b"PK\x01\x02", central + 4)
    return bytes(blob)


def test_xlsx_part_larger_than_it_declares_is_refused(decompressed):
    honest = _workbook(_sheet(_header_and_rows(60_000)))  # ~6 MB of XML
    lying = _lie_about_size(honest, "xl/worksheets/sheet1.xml", 2000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 2000
    decompressed["bytes"] = 0  # building the file read some
    with pytest.raises(
        ValueError, match="unpacks to more than the 2,000 bytes it declares"
    ) as info:
        importing.read_upload("lying.xlsx", lying)
    assert "lying.xlsx" in str(info.value)
    assert decompressed["bytes"] < 2000 + 200_000, "stopped right after the declared size"


def test_xlsx_dimension_claiming_a_million_rows_is_refused(decompressed):
    claims = _workbook(_sheet(_header_and_rows(3), dimension="A1:B1048576"))
    decompressed["bytes"] = 0  # building the file read some
    with pytest.raises(ValueError, match="declares 1,048,576 rows, over the 20,000-row") as info:
        importing.read_upload("claims.xlsx", claims)
    assert "claims.xlsx" in str(info.value)
    assert decompressed["bytes"] < 100_000


def test_xlsx_dimension_claiming_too_many_columns_is_refused():
    wide = _workbook(_sheet(_header_and_rows(3), dimension="A1:XFD4"))
    with pytest.raises(ValueError, match="declares 16,384 columns, over the 100-column"):
        importing.read_upload("wide.xlsx", wide)


def test_xlsx_rows_past_the_limit_stop_the_stream_without_a_dimension():
    rows = b"".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Pharmacy {i}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>pharmacy</t></is></c></row>'.encode()
        for i in range(2, importing.MAX_IMPORT_ROWS + 50)
    )
    many = _workbook(_sheet(_header_and_rows(0) + rows))
    with pytest.raises(ValueError, match="more than 20,000 rows") as info:
        importing.read_upload("many.xlsx", many)
    assert "many.xlsx" in str(info.value)


def test_xlsx_with_too_many_parts_or_entities_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(workbook.MAX_XLSX_ENTRIES + 1):
            archive.writestr(f"x/{index}.xml", b"<a/>")
    with pytest.raises(ValueError, match="parts, over the 500 allowed"):
        importing.read_upload("parts.xlsx", out.getvalue())
    laughs = _workbook(
        _sheet(
            _header_and_rows(1), prolog=XML_DECLARATION + '<!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        )
    )
    with pytest.raises(ValueError, match="declares XML entities"):
        importing.read_upload("laughs.xlsx", laughs)


def test_xlsx_still_reads_rows_numbers_and_blank_lines(data):
    frame = pd.DataFrame(
        {
            "Name": ["Dundalk Box", None, "Kent Box"],
            "Category": ["vending machine", None, "naloxone box"],
            "Lat": [39.2655, None, None],
            "Lng": [-76.5, None, None],
            "ZIP": [21222, None, None],
            "County": [None, None, "Kent"],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    table = importing.read_upload("sites.xlsx", buffer.getvalue())
    assert table.frame["ZIP"].tolist()[0] == "21222", "whole numbers without .0"
    report = importing.validate(
        table, importing.guess_mapping(list(table.frame.columns)), data.jurisdictions, data.sites
    )
    assert report.accepted["_row"].tolist() == [2, 4], "spreadsheet row numbers kept"
    assert report.notes == ["1 empty row(s) skipped"]


# --- reading in a child process -------------------------------------------------------------


def test_reading_happens_in_a_child_process():
    assert isolation.run_isolated(os.getpid, (), label="x") != os.getpid()


def test_child_over_the_memory_limit_is_refused():
    with pytest.raises(
        ValueError,
        match=r"big\.csv: reading needs more than the 64 MB of "
        r"memory allowed",
    ):
        isolation.run_isolated(bytearray, (512 * 2**20,), label="big.csv", memory_bytes=64 * 2**20)


def test_child_over_the_time_limit_is_stopped():
    with pytest.raises(ValueError, match=r"slow\.csv: reading took longer than 0\.5 s"):
        isolation.run_isolated(time.sleep, (30,), label="slow.csv", timeout_s=0.5)


def test_uploads_are_read_through_the_child_process(monkeypatch):
    calls = []
    original = importing.run_isolated

    def spy(func, args, **kwargs):
        calls.append(func)
        return original(func, args, **kwargs)

    monkeypatch.setattr(importing, "run_isolated", spy)
    table = importing.read_upload_isolated("ok.csv", b"name,type\nA,pharmacy\n")
    assert table.frame["name"].tolist() == ["A"] and calls == [importing.read_upload]
    bomb = _workbook(_sheet(_header_and_rows(700_000)))
    with pytest.raises(ValueError, match=r"^bomb\.xlsx: the workbook unpacks to more than 50 MB"):
        importing.read_upload_isolated("bomb.xlsx", bomb)
    assert len(calls) == 1, "a zip bomb is refused from its directory, before any child starts"
    claims = _workbook(_sheet(_header_and_rows(3), dimension="A1:B1048576"))
    with pytest.raises(ValueError, match=r"^claims\.xlsx: sheet 'Sheet1' declares 1,048,576"):
        importing.read_upload_isolated("claims.xlsx", claims)
    assert len(calls) == 2


# --- malformed GeoJSON ----------------------------------------------------------------------


def _feature(properties=None, geometry=None) -> dict:
    return {
        "type": "Feature",
        "properties": properties or {"name": "A", "type": "ssp"},
        "geometry": geometry or {"type": "Point", "coordinates": [-76.6, 39.3]},
    }


@pytest.mark.parametrize(
    "document, message",
    [
        ({"type": "FeatureCollection", "features": 5}, '"features" is a number, not a list'),
        ([1, 2], "the top level is a list, not an object"),
        ("text", "the top level is a string, not an object"),
        (
            {"type": "FeatureCollection", "features": [_feature(), "x"]},
            "feature 2 is a string, not a GeoJSON Feature object",
        ),
        (
            {"type": "FeatureCollection", "features": [_feature(properties=[1, 2])]},
            'feature 1: "properties" is a list, not an object',
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature(),
                    _feature(),
                    {"type": "Feature", "properties": "name=A", "geometry": None},
                ],
            },
            'feature 3: "properties" is a string, not an object',
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": "POINT (1 2)"}],
            },
            'feature 1: "geometry" is a string, not an object or null',
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [_feature(), _feature(geometry={"type": "Point", "coordinates": 5})],
            },
            'feature 2: Point "coordinates" is a number, not \\[longitude, latitude\\] numbers',
        ),
    ],
)
def test_malformed_geojson_names_file_and_feature(document, message):
    with pytest.raises(ValueError, match=message) as info:
        importing.read_upload("bad.geojson", json.dumps(document).encode())
    assert str(info.value).startswith("bad.geojson: ") and "\n" not in str(info.value)


def test_deeply_nested_geojson_is_refused():
    deep = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Point", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}}]}"
    )
    with pytest.raises(ValueError, match=r"^deep\.geojson: .*nest more than 64 levels deep"):
        importing.read_upload("deep.geojson", deep.encode())


def test_nul_byte_in_a_cell_is_rejected_with_row_and_field(data):
    table = importing.read_upload(
        "nul.csv",
        b"name,type,lat,lon\nOK,pharmacy,39.29,-76.61\nBad\x00Name,pharmacy,39.30,-76.60\n",
    )
    report = importing.validate(
        table, importing.guess_mapping(list(table.frame.columns)), data.jurisdictions, data.sites
    )
    assert report.rejected == [
        {
            "row": 3,
            "field": "name",
            "reason": "contains the control character U+0000; remove it and import again",
        }
    ]
    assert len(report.accepted) == 1
    features = {
        "type": "FeatureCollection",
        "features": [_feature(properties={"name": "A", "type": "ssp", "notes": "bell\u0007"})],
    }
    table = importing.read_upload("ctl.geojson", json.dumps(features).encode())
    report = importing.validate(
        table, importing.guess_mapping(list(table.frame.columns)), data.jurisdictions, data.sites
    )
    assert report.rejected[0]["field"] == "notes" and "U+0007" in report.rejected[0]["reason"]


# --- data that would be mangled -------------------------------------------------------------


def test_columns_equal_after_trimming_and_case_are_refused():
    with pytest.raises(ValueError, match=r"dup\.csv: columns 'Name' and 'name' are the same name"):
        importing.read_upload("dup.csv", b"Name, name ,type\nA,B,pharmacy\n")
    with pytest.raises(ValueError, match="columns 'Name' and 'Name'"):
        importing.read_upload("dup.csv", b"Name,Name,type\nA,B,pharmacy\n")
    frame = pd.DataFrame([["A", "B", "pharmacy"]], columns=["Name", "NAME ", "type"])
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    with pytest.raises(ValueError, match=r"dup\.xlsx: columns 'Name' and 'NAME'"):
        importing.read_upload("dup.xlsx", buffer.getvalue())
    features = {
        "type": "FeatureCollection",
        "features": [
            _feature(properties={"Name": "A", "type": "ssp"}),
            _feature(properties={"name ": "B", "type": "ssp"}),
        ],
    }
    with pytest.raises(ValueError, match=r"dup\.geojson: columns 'Name' and 'name'"):
        importing.read_upload("dup.geojson", json.dumps(features).encode())


def test_utf8_file_with_a_stray_cp1252_byte_is_refused_naming_the_line():
    content = "name,type\nCafé Pharmacy,pharmacy\nPeña Pharmacy,pharmacy\n".encode().replace(
        "Peña".encode(), "Peña".encode("cp1252")
    )
    with pytest.raises(
        ValueError,
        match="mixed.csv: mixed text encodings: line 3 has a byte "
        r"\(0xF1\) that is not UTF-8",
    ):
        importing.read_upload("mixed.csv", content)


def test_wholly_cp1252_file_still_imports():
    table = importing.read_upload("win.csv", "name,type\nCafé Peña,pharmacy\n".encode("cp1252"))
    assert table.frame["name"].tolist() == ["Café Peña"] and table.encoding == "cp1252"


@pytest.mark.parametrize(
    "encoding, data_encoding",
    [
        ("utf-16", "utf-16"),  # BOM, little-endian on this platform
        ("utf-16-be", "utf-16-be-bom"),
        ("utf-16-le", "utf-16-le"),  # no BOM: recognised by its NUL bytes
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_utf16_files_are_recognised(encoding, data_encoding):
    text = "name,type\nCafé Peña,pharmacy\n"
    if data_encoding == "utf-16-be-bom":
        content = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        content = text.encode(data_encoding)
    table = importing.read_upload("wide.csv", content)
    assert table.frame["name"].tolist() == ["Café Peña"]
    assert list(table.frame.columns) == ["name", "type"]
    assert table.encoding.startswith("utf-16")


def test_file_name_with_markup_or_newlines_is_shown_as_one_line():
    with pytest.raises(ValueError) as info:
        importing.read_upload("evil\nname.csv", b"   ")
    assert "\n" not in str(info.value) and str(info.value).startswith("evil name.csv: ")


# --- command line ---------------------------------------------------------------------------


def _cli(tmp_path, name: str, content: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_bytes(content)
    return run_geo(
        ["sites", "import", path, "--dry-run"],
        cwd=REPO_ROOT,
        env={"NALOXONE_STORE": str(tmp_path / "s.sqlite")},
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "features.geojson",
            b'{"type": "FeatureCollection", "features": 5}',
            "features.geojson: not a GeoJSON FeatureCollection",
        ),
        (
            "deep.geojson",
            b'{"features": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
            "deep.geojson: not a GeoJSON FeatureCollection: arrays or objects nest",
        ),
        ("claims.xlsx", None, "claims.xlsx: sheet 'Sheet1' declares 1,048,576 rows"),
    ],
    ids=["features-number", "deep", "claims-rows"],
)
def test_cli_refuses_with_one_line_and_exit_2(tmp_path, name, content, message):
    if content is None:
        content = _workbook(_sheet(_header_and_rows(3), dimension="A1:B1048576"))
    result = _cli(tmp_path, name, content)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_cli_checks_the_size_before_reading_the_file(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    from geo import cli

    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(importing.MAX_IMPORT_BYTES + 1)  # sparse: nothing written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    assert cli.main(["sites", "import", str(path), "--dry-run"]) == 2
    assert "huge.csv: 5.2 MB is over the 5 MB import limit" in capsys.readouterr().err


def test_lone_surrogate_escape_in_geojson_is_refused_with_feature_named():
    content = (
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        b'{"name": "A", "type": "ssp"}, "geometry": null}, {"type": "Feature", '
        b'"properties": {"name": "B\\ud800", "type": "ssp"}, "geometry": null}]}'
    )
    with pytest.raises(
        ValueError,
        match=r"^s\.geojson: feature 2: property 'name' holds an "
        r"invalid \\u escape",
    ):
        importing.read_upload("s.geojson", content)


def test_the_reader_process_never_sees_the_servers_secrets(monkeypatch):
    import os

    from geo.local import isolation

    monkeypatch.setenv("NALOXONE_STORE", "postgresql://ops:hunter2@db/naloxone")
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", "scrypt$1$2$3$aa$bb")
    for name in ("NALOXONE_STORE", "NALOXONE_EDITOR_PASSWORD_HASH"):
        assert isolation.run_isolated(os.getenv, (name,), label="env.csv") is None, name
    assert isolation.run_isolated(os.getenv, ("PATH",), label="env.csv") == os.environ["PATH"]
