"""Km mode never shows miles on any page; table downloads have human headers with units,
numbers as numbers and a data dictionary; the Compare chart names every jurisdiction and
a shared Compare link restores its choices (issue 12, items 3, 6 and 7)."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe

from geo.analysis.tables import EXPORTABLE_LAYERS
from tests.app.test_app_pages import open_app, open_listing
from tests.support.fast_set import first_in_fast_set

MILES = re.compile(r"mile|\bmi\b", re.IGNORECASE)
#: Distances on each page in km mode (the leave-behind page shows none).
PAGES = {
    "overview": True,
    "find": True,
    "leave-behind": False,
    "compare": True,
    "access-gaps": True,
    "data": True,
}
KM_VIEW = {"unit": "km", "r": "8", "focus": "24023", "q": "21550"}


def page_text(node, skip_maps: bool = True) -> list[str]:
    """Every element's text in the page body (labels, values, help, table headers and
    column labels, chart specs); the Leaflet maps (components) are left out when asked:
    their legends and popups are checked by the map tests."""
    if isinstance(node, Block):
        return [text for child in node.children.values() for text in page_text(child)]
    proto = getattr(node, "proto", None)
    if proto is None or (skip_maps and getattr(node, "type", "") == "component_instance"):
        return []
    fields = MessageToDict(proto)
    for binary in ("arrowData", "data", "datasets"):
        fields.pop(binary, None)
    texts = [json.dumps(fields, ensure_ascii=False)]
    if isinstance(node, Dataframe):
        texts.append(" ".join(map(str, node.value.columns)))
    return texts


@pytest.fixture()
def downloads(monkeypatch) -> dict[str, object]:
    """File name → bytes (or the deferred callable) of every download button drawn."""
    files: dict[str, object] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record(self, data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            files[file_name] = data
        return add(self, data, mimetype, coordinates, file_name, **kwargs)

    def record_deferred(self, data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            files[file_name] = data
        return add_deferred(self, data, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return files


def _bytes(files: dict[str, object], name: str) -> bytes:
    data = files[name]
    return data() if callable(data) else data


@pytest.mark.parametrize("page", first_in_fast_set(PAGES))
def test_km_mode_shows_no_miles(page):
    app = open_app(page=page, **KM_VIEW)
    if page == "overview":
        open_listing(app)
    assert not app.exception
    texts = page_text(app.main)
    found = [MILES.search(text) for text in texts]
    shown = [
        text[max(0, m.start() - 60) : m.end() + 30]
        for text, m in zip(texts, found, strict=True)
        if m
    ]
    assert not shown, shown
    if PAGES[page]:
        assert any(" km" in text for text in texts)


@pytest.mark.parametrize(
    "page, stem",
    first_in_fast_set(
        [
            ("compare", "md_naloxone_comparison"),
            ("access-gaps", "md_tract_distances"),
            ("access-gaps", "md_access_gap_ranking_deaths"),
            ("data", "md_naloxone_metrics"),
            ("overview", "md_naloxone_sites"),
            ("find", "naloxone_finder_results"),
            *(("data", f"md_{layer}") for layer in EXPORTABLE_LAYERS),
        ]
    ),
)
def test_table_downloads_for_spreadsheets(downloads, page, stem):
    app = open_app(page=page, **KM_VIEW)
    if page == "overview":
        open_listing(app)
    assert not app.exception
    table = pd.read_csv(io.BytesIO(_bytes(downloads, f"{stem}.csv")), encoding="utf-8-sig")
    dictionary = pd.read_csv(
        io.BytesIO(_bytes(downloads, f"{stem}_dictionary.csv")), encoding="utf-8-sig"
    )
    headers = list(table.columns)
    assert not any(MILES.search(h) for h in headers), headers
    assert not any(re.search(r"\.\d+$", h) for h in headers), "duplicate headers"
    assert not any(re.fullmatch(r"[a-z0-9_]+", h) for h in headers), "machine names"
    assert dictionary["Column"].tolist()[: len(headers)] == headers
    assert not dictionary["Meaning"].head(len(headers)).isna().any()

    book = openpyxl.load_workbook(io.BytesIO(_bytes(downloads, f"{stem}.xlsx")))
    assert book.sheetnames == ["Data", "Data dictionary"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert list(rows[0]) == headers
    units = dict(zip(dictionary["Column"], dictionary["Unit"], strict=False))
    numeric = [
        h for h in headers if pd.api.types.is_numeric_dtype(table[h]) and units[h] != "—"
    ]  # measured values, not codes such as the tract
    assert numeric, "some numbers"
    for header in numeric:
        cells = [row[headers.index(header)] for row in rows[1:]]
        assert all(c is None or isinstance(c, int | float) for c in cells), header
    described = [row[0] for row in book["Data dictionary"].iter_rows(min_row=2, values_only=True)]
    assert described[: len(headers)] == headers


def test_compare_headers_name_their_units(downloads):
    app = open_app(page="compare", **KM_VIEW)
    table = pd.read_csv(
        io.BytesIO(_bytes(downloads, "md_naloxone_comparison.csv")), encoding="utf-8-sig"
    )
    for header in (
        "Residents within 8 km (%)",
        "Mean distance to nearest site (km)",
        "Residents, 2020 census (people)",
        "Mapped sites (sites)",
        "Drug-induced deaths 2022-2023 (deaths)",
        "SVI 2022 overall (0-1 rank)",
    ):
        assert header in table.columns, list(table.columns)
    assert (
        table["Mean distance to nearest site (km)"]
        .round(2)
        .equals(table["Mean distance to nearest site (km)"])
    )
    config = json.loads(app.dataframe[0].proto.columns)
    labels = {value.get("label") for value in config.values() if isinstance(value, dict)}
    assert "Mean distance to nearest site (km)" in labels
    assert "Residents within 8 km (%)" in labels


def _chart_spec(app: AppTest) -> dict:
    return json.loads(app.get("vega_lite_chart")[0].proto.spec)


def test_compare_chart_names_all_24_and_marks_the_focus(jurisdictions):
    app = open_app(page="compare", **KM_VIEW | {"chart": "mean_distance_miles"})
    assert not app.exception
    spec = _chart_spec(app)
    bars = spec["layer"][0]["encoding"]
    assert sorted(bars["y"]["sort"]) == sorted(jurisdictions["full_name"])
    assert bars["y"]["axis"]["labelOverlap"] is False and bars["y"]["axis"]["labelLimit"] == 0
    assert bars["x"]["title"] == "Mean distance to nearest site (km)"
    assert bars["color"]["scale"]["domain"] == ["Focus: Garrett County", "Other jurisdictions"]
    assert '"Garrett County"' in bars["y"]["axis"]["labelFontWeight"]["expr"]
    assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])
    ids = [button.proto.id for button in app.get("download_button")]
    assert any(i.endswith("compare_chart_png") for i in ids)
    assert any(i.endswith("compare_chart_svg") for i in ids)


def test_a_shared_compare_link_restores_jurisdictions_measure_and_unit(downloads):
    app = open_app(
        page="compare", unit="km", focus="24023", compare="24001,24003", chart="mean_distance_km"
    )
    assert not app.exception
    assert app.multiselect(key="compare_choice").value == ["24001", "24003"]
    assert app.selectbox(key="compare_measure").value == "mean_distance_miles"
    spec = _chart_spec(app)
    assert sorted(spec["layer"][0]["encoding"]["y"]["sort"]) == [
        "Allegany County",
        "Anne Arundel County",
        "Garrett County",
    ]
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Mean distance to nearest site (km)"
    assert app.query_params["compare"] == "24001,24003"
    assert app.query_params["chart"] == "mean_distance_km"  # named in the view's unit
    assert app.query_params["unit"] == "km"
    svg = _bytes(downloads, "md-compare-mean_distance_km.svg").decode()
    assert "Garrett County" in svg and "Anne Arundel County" in svg
    assert "Mean distance to nearest site (km)" in svg and "mile" not in svg.lower()


def test_table_downloads_survive_a_rerun(downloads):
    """Issue 28, item 8: a table download answered "Deferred file ... not found" when a
    rerun dropped the deferred file before the click arrived. Table files are made with
    the page (bytes, not a deferred callable) and the same bytes come back on a rerun,
    so their address does not change."""
    app = open_app(page="compare", focus="24023")
    assert not app.exception
    names = (
        "md_naloxone_comparison.csv",
        "md_naloxone_comparison.xlsx",
        "md_naloxone_comparison_dictionary.csv",
    )
    first = {name: downloads[name] for name in names}
    assert all(isinstance(data, bytes) and data for data in first.values()), {
        name: type(data) for name, data in first.items()
    }
    app.run()
    assert not app.exception
    assert {name: downloads[name] for name in names} == first
