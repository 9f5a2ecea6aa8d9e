"""The dates and source lines people see come from the source catalogue (one home)."""

from __future__ import annotations

import dataclasses

import pytest

from geo.data import catalog

#: What the dashboard sidebar and the printed maps showed when these were written by hand
#: (the source line has since gained the GeoNames attribution the ZIP centroids require).
WRITTEN_AS_OF = (
    ("Pharmacies", "OpenStreetMap, Jan 2023"),
    ("Opioid treatment programs", "SAMHSA directory, Jul 2021"),
    ("Health departments", "public list, Mar 2026"),
    ("Harm reduction / vending", "county pages, 2024"),
    ("Population", "2020 census"),
    ("Deaths", "CDC WONDER 2022-2023"),
    ("Leave-behind evidence", "public pages 2018-2023"),
)
WRITTEN_SOURCE_LINE = (
    "Sources: pharmacies © OpenStreetMap contributors, ODbL (Jan 2023); SAMHSA opioid "
    "treatment programs (Jul 2021); local health departments (Mar 2026); harm reduction "
    "pages (2024); Census 2020 boundaries and tract centres of population; CDC WONDER "
    "deaths 2022-2023; ZIP centroids © GeoNames, CC BY 4.0. Straight-line distances."
)


def test_derived_lines_read_as_the_hand_written_ones():
    assert catalog.as_of_lines() == WRITTEN_AS_OF
    assert catalog.source_line() == WRITTEN_SOURCE_LINE


@pytest.mark.parametrize(
    "vintage, precision, expected",
    [
        ("2023-01-01 (OSM snapshot)", "month", "Jan 2023"),
        ("2021-07 (directory snapshot)", "month", "Jul 2021"),
        ("2024-03 (per-row source dates)", "year", "2024"),
        ("2020-04-01", "year", "2020"),
        ("2022, 2023", "month", "2022-2023"),
        ("2018-2023 (evidence dates)", "month", "2018-2023"),
        ("2020", "month", "2020"),
        ("3.0.0", "month", "3.0.0"),
    ],
)
def test_vintage_date(vintage, precision, expected):
    assert catalog.vintage_date(vintage, precision) == expected


def test_a_new_vintage_shows_everywhere(monkeypatch):
    updated = tuple(
        dataclasses.replace(source, vintage="2025-09-30 (OSM snapshot)")
        if source.filename == "md_pharmacies_osm2023.csv"
        else source
        for source in catalog.RAW_SOURCES
    )
    monkeypatch.setattr(catalog, "RAW_SOURCES", updated)
    assert dict(catalog.as_of_lines())["Pharmacies"] == "OpenStreetMap, Sep 2025"
    assert "ODbL (Sep 2025)" in catalog.source_line()
    assert "Jan 2023" not in catalog.source_line()


def test_every_citation_names_a_catalogued_file():
    for citation in catalog.CITATIONS:
        assert catalog.raw_source(citation.filename).filename == citation.filename
        assert citation.precision in ("month", "year")


def test_site_source_dates_come_from_the_vintage(sites):
    for filename, prefix in (
        ("md_pharmacies_osm2023.csv", "osm_"),
        ("md_opioid_treatment_programs_samhsa_oeps.csv", "otp_"),
    ):
        date = catalog.raw_source(filename).snapshot_date
        assert date in ("2023-01-01", "2021-07")
        rows = sites[sites["id"].str.startswith(prefix)]
        assert len(rows) and (rows["source_date"] == date).all(), filename
