"""Import normalisation (issue 22, item 8): names compared as Unicode skeletons (NFKC
plus look-alike letters folded), names in any script kept distinct, invisible and
fullwidth header characters, hidden sheets, non-Point geometries, trailing commas and
long rows; each with its one-line message."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from geo.local import importing
from geo.local.duplicates import normalise_name

NEAR_CVS = "39.638556,-78.830905"  # 30 m north of osm_rx_0002 "CVS Pharmacy" (Allegany)


def check(data, filename: str, content: bytes):
    table = importing.read_upload(filename, content)
    mapping = importing.guess_mapping(list(table.frame.columns))
    report = importing.validate(table, mapping, data.jurisdictions, data.sites)
    return table, report, {r["row"]: (r["field"], r["reason"]) for r in report.rejected}


def test_a_cyrillic_look_alike_name_is_the_same_name(data):
    rows = (
        f"name,type,lat,lon\nCVS Pharmacy,pharmacy,{NEAR_CVS}\nСVS Pharmacy,pharmacy,{NEAR_CVS}\n"
    )
    _, report, rejected = check(data, "cvs.csv", rows.encode("utf-8"))
    assert report.accepted.empty
    assert rejected[2][0] == "name" and "existing site osm_rx_0002" in rejected[2][1]
    field, reason = rejected[3]
    assert field == "name" and "existing site osm_rx_0002" in reason
    assert '"С" (U+0421 CYRILLIC CAPITAL LETTER ES) imitates "C"' in reason


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("서울약국", "부산약국"),
        ("東京薬局", "大阪薬局"),
        ("አዲስ ፋርማሲ", "ጤና ፋርማሲ"),
        ("ガス薬局", "カス薬局"),
    ],
)
def test_names_in_other_scripts_stay_distinct(data, first, second):
    assert normalise_name(first) and normalise_name(first) != normalise_name(second)
    rows = f"name,type,county\n{first},pharmacy,Kent\n{second},pharmacy,Kent\n"
    _, report, rejected = check(data, "names.csv", rows.encode("utf-8"))
    assert not rejected and report.accepted["name"].tolist() == [first, second]
    again = f"name,type,county\n{first},pharmacy,Kent\n{first},pharmacy,Kent\n"
    assert "likely duplicate of row 2" in check(data, "n.csv", again.encode())[2][3][1]


def test_fullwidth_and_invisible_characters_fold_in_names():
    assert normalise_name("ＣＶＳ Pharmacy") == normalise_name("C\u200bVS  pharmacy!")
    assert normalise_name("Café Rx") == "cafe rx"


@pytest.mark.parametrize(
    "header",
    ["name\u200b,name,type", "name,ｎａｍｅ,type", "Name,name\u2060,type", "name,\ufeffname,type"],
)
def test_headers_that_differ_only_invisibly_are_refused_plainly(header):
    content = f"{header}\nA,B,pharmacy\n".encode()
    with pytest.raises(ValueError) as refused:
        importing.read_upload("h.csv", content)
    message = str(refused.value)
    assert message.startswith("h.csv: columns ")
    assert "same name apart from case, width, spaces or invisible characters" in message
    assert "\n" not in message


def test_a_header_with_an_invisible_character_is_read_as_its_visible_name(data):
    content = "na\u200bme,ｔｙｐｅ,county\nKent Box,naloxone box,Kent\n".encode()
    table, report, rejected = check(data, "z.csv", content)
    assert list(table.frame.columns) == ["name", "type", "county"]
    assert not rejected and report.accepted["name"].tolist() == ["Kent Box"]


def workbook_bytes(*sheets: tuple[str, list[list[object]], str]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_hidden_first_sheet_is_not_imported(data):
    content = workbook_bytes(
        ("secret", [["name", "type", "county"], ["Hidden Rx", "pharmacy", "Kent"]], "hidden"),
        ("Sites", [["name", "type", "county"], ["Kent Box", "naloxone box", "Kent"]], "visible"),
    )
    _, report, _ = check(data, "book.xlsx", content)
    assert report.accepted["name"].tolist() == ["Kent Box"]
    assert "hidden sheet(s) not imported: 'secret'" in report.notes


@pytest.mark.parametrize(
    ("geometry", "kind"),
    [
        ({"type": "MultiPoint", "coordinates": [[-76.6, 39.3], [-76.5, 39.2]]}, "MultiPoint"),
        ({"type": "LineString", "coordinates": [[-76.6, 39.3], [-76.5, 39.2]]}, "LineString"),
        ({"type": "GeometryCollection", "geometries": []}, "GeometryCollection"),
    ],
)
def test_only_point_features_are_imported(geometry, kind):
    features = [
        {"type": "Feature", "properties": {"name": "A", "type": "pharmacy"}, "geometry": None},
        {"type": "Feature", "properties": {"name": "B", "type": "pharmacy"}, "geometry": geometry},
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    with pytest.raises(ValueError) as refused:
        importing.read_upload("s.geojson", content)
    assert str(refused.value) == (
        f"s.geojson: feature 2: the geometry is '{kind}', not a Point; only Point "
        "features (one location per site) or features without geometry can be imported"
    )


def test_trailing_commas_are_ignored_not_shifted(data):
    content = (
        "name,type,lat,lon\n"
        f"CVS Pharmacy,pharmacy,{NEAR_CVS},\n"
        "Kent Box,naloxone box,39.21,-76.07," + "," * 5000 + "\n"
    ).encode()
    table, report, rejected = check(data, "t.csv", content)
    assert list(table.frame.columns) == ["name", "type", "lat", "lon"]
    assert table.frame["name"].tolist() == ["CVS Pharmacy", "Kent Box"]
    assert rejected == {2: ("name", rejected[2][1])}
    assert "existing site osm_rx_0002" in rejected[2][1], "the real reason, not a shifted column"
    assert report.accepted["name"].tolist() == ["Kent Box"]
    assert not any("empty" in note for note in report.notes)


def test_a_row_longer_than_the_header_is_refused_naming_it():
    content = ("name,type\nA,pharmacy\nB,pharmacy," + "," * 4998 + "x\n").encode()
    with pytest.raises(ValueError) as refused:
        importing.read_upload("long.csv", content)
    assert str(refused.value) == (
        "long.csv: row 3 (line 3) has 5,001 values but the header names 2 columns; "
        "remove the extra values or name their columns"
    )
