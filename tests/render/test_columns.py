"""Downloads people open in a spreadsheet: human headers with units, rounded numbers kept
numeric, a data dictionary for every column, and the Excel workbook (issue 12, item 7)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from geo.analysis.compare import comparison_table
from geo.analysis.finder import Finder
from geo.analysis.scenario import Scenario
from geo.analysis.tables import (
    EXPORTABLE_LAYERS,
    SITE_LISTING_COLUMNS,
    distances_in,
    export_frame,
    with_site_jurisdiction,
)
from geo.render import columns
from geo.render.exports import csv_bytes, xlsx_bytes
from geo.render.finder_output import result_table


def test_headers_carry_their_unit_and_the_radius():
    assert columns.header("pct_pop_within_radius", "5 mi") == "Residents within 5 mi (%)"
    assert columns.header("mean_distance_km") == "Mean distance to nearest site (km)"
    assert columns.header("mean_distance_miles") == "Mean distance to nearest site (mi)"
    assert columns.header("p90_distance_km") == "90th-percentile distance to nearest site (km)"
    assert columns.header("population") == "Residents, 2020 census (people)"
    assert columns.header("name") == "Jurisdiction"
    assert columns.header("name", kind="sites") == "Site name"
    assert columns.header("gap_score", gap_unit="deaths/yr") == "Access gap (deaths/yr)"
    assert columns.header("gap_rank") == "Gap rank (1 = largest gap)"
    with pytest.raises(KeyError):
        columns.header("no_such_column")


def test_human_table_rounds_but_keeps_numbers():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "Kent"],
            "mean_distance_km": [1.23456, float("nan")],
            "pct_pop_within_radius": [94.06, 12.349],
            "uncovered_population": [1234.4, 5.6],
        }
    )
    table = columns.human_table(frame, "8 km")
    assert list(table.columns) == [
        "Jurisdiction",
        "Mean distance to nearest site (km)",
        "Residents within 8 km (%)",
        "Residents beyond 8 km (people)",
    ]
    assert table.iloc[0, 1] == 1.23 and pd.isna(table.iloc[1, 1])
    assert table.iloc[1, 2] == 12.3
    assert table.iloc[:, 3].tolist() == [1234, 6]
    assert all(pd.api.types.is_numeric_dtype(table[c]) for c in table.columns[1:])


def test_dictionary_in_km_never_says_miles():
    dictionary = columns.data_dictionary(
        ["access_2sfca_per_100k", "mean_distance_km"], "8 km", unit="km"
    )
    text = dictionary.to_string()
    assert "mile" not in text.lower() and "16.1 km" in text
    assert "10 miles" in columns.data_dictionary(["access_2sfca_per_100k"]).to_string()


def _downloaded_tables(data) -> dict[str, tuple[pd.DataFrame, str]]:
    """Every table the pages offer for download, as the pages build it (km mode)."""
    table = Scenario.from_data(data).table()
    listing = with_site_jurisdiction(data.sites.drop(columns="geometry"), data.jurisdictions)
    finder = Finder.from_data(data).find("21550", 5, None, None)
    return {
        "metrics": (distances_in(table, "km"), ""),
        "comparison": (comparison_table(table, None, data.context, "km").drop(columns="fips"), ""),
        "sites": (listing[[*SITE_LISTING_COLUMNS, "lat", "lon"]], "sites"),
        "finder": (distances_in(result_table(finder), "km"), "sites"),
    }


@pytest.fixture(scope="module")
def downloaded(data):
    return _downloaded_tables(data)


@pytest.mark.parametrize("name", ["metrics", "comparison", "sites", "finder"])
def test_every_downloaded_column_is_in_the_dictionary_and_in_km(downloaded, name):
    frame, kind = downloaded[name]
    table = columns.human_table(frame, "8 km", kind)
    dictionary = columns.data_dictionary(list(frame.columns), "8 km", kind, "km")
    assert dictionary["Column"].tolist() == list(table.columns)
    assert dictionary["Meaning"].str.len().min() > 5
    assert dictionary["Source (as of)"].str.contains(r"\d{4}|undated").all()
    text = " ".join(table.columns) + dictionary.to_string()
    assert "mile" not in text.lower() and " mi)" not in text


def test_xlsx_has_data_and_dictionary_with_numbers_as_numbers(downloaded):
    frame, _ = downloaded["comparison"]
    frame = frame.copy()
    frame.loc[0, "rate_source"] = "=cmd|' /C calc'!A0"
    table = columns.human_table(frame, "8 km")
    dictionary = columns.data_dictionary(list(frame.columns), "8 km", unit="km")
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes({"Data": table, "Data dictionary": dictionary}))
    )
    assert book.sheetnames == ["Data", "Data dictionary"]
    sheet = book["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert len(rows) == len(table) + 1
    mean = list(table.columns).index("Mean distance to nearest site (km)")
    assert all(isinstance(row[mean], float) for row in rows[1:])
    population = list(table.columns).index("Residents, 2020 census (people)")
    assert all(isinstance(row[population], int) for row in rows[1:])
    deaths = list(table.columns).index("Drug-induced deaths 2022-2023 (deaths)")
    assert any(row[deaths] is None for row in rows[1:]), "suppressed stays blank, not 0"
    rate_source = list(table.columns).index("Rate source")
    assert rows[1][rate_source] == "'=cmd|' /C calc'!A0"
    assert sheet.cell(2, rate_source + 1).data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    listed = [row[0] for row in book["Data dictionary"].iter_rows(min_row=2, values_only=True)]
    assert listed == list(table.columns)


def test_csv_reads_back_with_human_headers_and_numbers(downloaded):
    frame, _ = downloaded["comparison"]
    back = pd.read_csv(
        io.BytesIO(csv_bytes(columns.human_table(frame, "8 km"))), encoding="utf-8-sig"
    )
    assert "Residents within 8 km (%)" in back.columns
    assert pd.api.types.is_float_dtype(back["Mean distance to nearest site (km)"])
    assert (
        back["Mean distance to nearest site (km)"]
        .round(2)
        .equals(back["Mean distance to nearest site (km)"])
    )


@pytest.mark.parametrize("layer", EXPORTABLE_LAYERS)
@pytest.mark.parametrize("unit", ["mi", "km"])
def test_every_layer_column_has_a_unique_header_and_a_dated_source(layer, unit):
    frame = distances_in(export_frame(layer, with_geometry=False), unit)
    kind = layer if layer in columns.KINDS else ""
    table = columns.human_table(frame, f"5 {unit}", kind)
    assert table.columns.is_unique, list(table.columns)
    dictionary = columns.data_dictionary(list(frame.columns), f"5 {unit}", kind, unit)
    assert dictionary["Source (as of)"].str.contains(r"\d{4}|undated").all()
    if unit == "km":
        assert "mile" not in (" ".join(table.columns) + dictionary.to_string()).lower()
    if layer == "sites":  # metres to the nearest town, in the view's unit
        distance = f"Distance to nearest town ({unit})"
        metres = export_frame(layer, with_geometry=False)["place_distance_m"]
        per_unit = 1000 if unit == "km" else 1609.344
        assert (table[distance] - metres / per_unit).abs().max() <= 0.005 + 1e-9  # 2 dp
