"""The Spanish finder's table downloads (issue 27.4): the results CSV and Excel have Spanish
headers and the data dictionary Spanish meanings, units, sources and notes; site names,
addresses, sources and coded values stay; the English page's files are unchanged."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.app.test_app_find_spanish import open_find
from tests.support.english import data_values, english_left, english_msgids_left

STEM = "naloxone_finder_results"
#: Coded values the Spanish dictionary names as the cells hold them, and proper names.
CODES = ["nearest", "travel_mode", "walk", "drive", "TRUE", "WGS84", "DOT", "CC BY"]
ENGLISH_HEADERS = [
    "Listed as",
    "Site ID",
    "Site name",
    "Site type",
    "Distance to nearest site (mi)",
    "Latitude (degrees, WGS84)",
    "Longitude (degrees, WGS84)",
    "Nearest town",
    "Jurisdiction",
    "Address",
    "Phone",
    "Hours (as published)",
    "Source",
    "Source date",
    "Evidence date",
    "Location precision",
]


@pytest.fixture()
def downloads(monkeypatch) -> dict[str, bytes]:
    """File name → bytes of every (eager) download button drawn."""
    files: dict[str, bytes] = {}
    add = MediaFileManager.add

    def record(self, data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            files[file_name] = data
        return add(self, data, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    return files


def _files(downloads: dict[str, bytes]) -> tuple[pd.DataFrame, pd.DataFrame, openpyxl.Workbook]:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(downloads[name]), encoding="utf-8-sig", dtype=str)

    book = openpyxl.load_workbook(io.BytesIO(downloads[f"{STEM}.xlsx"]))
    return read(f"{STEM}.csv"), read(f"{STEM}_dictionary.csv"), book


def _written(table: pd.DataFrame, dictionary: pd.DataFrame) -> str:
    """What the files say in words of ours: the header row, the notes closing the table,
    and every cell of the dictionary (site rows are data)."""
    notes = [v for v in table.iloc[:, 0].dropna() if v.startswith(("note", "nota"))]
    cells = [str(v) for row in dictionary.itertuples(index=False) for v in row if pd.notna(v)]
    return "\n".join([*table.columns, *dictionary.columns, *notes, *cells])


@pytest.mark.parametrize(
    "query",
    [{"q": "21550"}, {"q": "21202", "measure": "walk", "data": "public"}],
    ids=["straight-line", "walking"],
)
def test_the_spanish_downloads_are_spanish(downloads, data, query):
    app = open_find(lang="es", **query)
    assert not app.exception
    table, dictionary, book = _files(downloads)
    assert list(table.columns[:5]) == [
        "Incluido como",
        "Identificador del sitio",
        "Nombre del sitio",
        "Tipo de sitio",
        "Distancia al sitio (mi)",
    ]
    assert list(dictionary.columns) == ["Columna", "Significado", "Unidad", "Fuente (fecha)"]
    headers = list(table.columns)
    assert dictionary["Columna"].tolist()[: len(headers)] == headers
    assert book.sheetnames == ["Datos", "Diccionario de datos"]
    assert [c.value for c in book["Datos"][1]] == headers
    assert table.iloc[:, 0].str.startswith("nota: ").sum() >= 2
    if query.get("measure") == "walk":
        assert "Tiempo de viaje (minutos)" in headers and "Modo de viaje" in headers
    # values from data and coded values stay as they are
    listed = {v for v in table["Incluido como"].dropna() if not v.startswith("nota: ")}
    assert "nearest" in listed
    assert listed <= {"nearest", "also in this jurisdiction, location not mapped"}
    assert "pharmacy" in set(table["Tipo de sitio"])
    values = data_values(data.sites.drop(columns=["id"], errors="ignore"), extra=CODES)
    written = _written(table, dictionary)
    assert "Sitios listados (Farmacias: OpenStreetMap" in written
    assert english_left(written, values) == [], english_left(written, values)
    assert english_msgids_left(written, values) == []


def test_the_english_downloads_are_unchanged(downloads, data):
    app = open_find(q="21550")
    assert not app.exception
    table, dictionary, book = _files(downloads)
    assert list(table.columns) == ENGLISH_HEADERS
    assert list(dictionary.columns) == ["Column", "Meaning", "Unit", "Source (as of)"]
    assert book.sheetnames == ["Data", "Data dictionary"]
    meanings = dict(zip(dictionary["Column"], dictionary["Meaning"], strict=True))
    assert meanings["Site name"] == "Name of the naloxone access point as listed by its source."
    assert "Call ahead: a listing is not confirmed stock." in set(dictionary["Meaning"])
    sources = dict(zip(dictionary["Column"], dictionary["Source (as of)"], strict=True))
    assert sources["Jurisdiction"] == "US Census Bureau, 2020 census"
    assert sources["Site ID"].startswith("Listed sites (Pharmacies: OpenStreetMap, Jan 2023; ")
    assert "note: Call ahead: a listing is not confirmed stock." in set(table["Listed as"])
    assert "Sitio" not in _written(table, dictionary)
