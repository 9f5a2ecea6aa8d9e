"""Issue 12: the briefing PDF a county council can read, checked on its extracted text:
full-name titles, units that follow the chosen unit, places instead of tract codes, no build
details or bare acronyms, 2-3 pages for a county and a statewide table of all 24."""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from pypdf import PdfReader

from geo.analysis.scenario import Scenario
from geo.render import briefing, briefing_statewide
from tests.support.fast_set import first_in_fast_set

GENERATED = "2026-11-22"
#: Never printed: method acronyms and build vocabulary a reader cannot use.
FORBIDDEN = (
    "2SFCA",
    "E2SFCA",
    "MCLP",
    "MILP",
    "GEOID",
    "KPI",
    "DSPG",
    "commit",
    "sha256",
    "SHA-256",
    ".csv",
    ".parquet",
)
#: Acronyms allowed only when spelled out somewhere in the same briefing.
SPELLED_OUT = {
    "SVI": "Social Vulnerability Index",
    "OEPS": "Opioid Environment Policy Scan",
    "EMS": "Emergency medical services",
    "MDH": "Maryland Department of Health",
    "CDC": "Centers for Disease Control and Prevention",
    "SAMHSA": "Substance Abuse and Mental Health Services Administration",
    "ODbL": "Open Database Licence",
    "CC BY": "Creative Commons Attribution",
}
GEOID = re.compile(r"\b24\d{9}\b")
HEX_HASH = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,64}\b")


@pytest.fixture(scope="module")
def render(data):
    scenarios = {
        "mi": Scenario.from_data(data),
        "km": Scenario.from_data(data, radius_m=8000.0),
        "svi": Scenario.from_data(data, gap_measure="svi"),
    }

    @cache
    def pdf(fips: str, unit: str = "mi", scenario: str = "") -> tuple[list[str], PdfReader]:
        document = briefing.scenario_briefing_pdf(
            scenarios[scenario or unit], fips, unit=unit, generated=GENERATED
        )
        reader = PdfReader(io.BytesIO(document))
        return [page.extract_text() for page in reader.pages], reader

    return pdf


def title(reader: PdfReader) -> str:
    """The text drawn largest on the first page."""
    drawn: list[tuple[float, str]] = []
    reader.pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: drawn.append((size, text))
    )
    largest = max(size for size, _ in drawn)
    return "".join(text for size, text in drawn if size == largest).strip()


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def assert_reader_friendly(text: str) -> None:
    for word in FORBIDDEN:
        assert word.lower() not in text.lower(), word
    for short, long in SPELLED_OUT.items():
        if re.search(rf"\b{re.escape(short)}\b", text):
            assert long.lower() in text.lower(), f"{short} printed without {long!r}"
    assert not GEOID.search(text), GEOID.search(text)
    assert not HEX_HASH.search(text), HEX_HASH.search(text)


@pytest.mark.parametrize("unit", first_in_fast_set(["km", "mi"], keep=1))
def test_county_briefing_reads_as_a_council_briefing(render, unit):
    pages, reader = render("24023", unit)
    assert 2 <= len(pages) <= 4  # issue 26 added the trend chart (was 2-3 pages)
    assert title(reader) == "Garrett County"
    text = flat(pages)
    assert "A listed site is not confirmed stock" in text
    assert f"generated {GENERATED}" in text
    assert f"Page {len(pages)} of {len(pages)}" in text
    assert "Rank among the 24 (1st = best)" in text and "of 24" in text
    assert "Better when" in text
    assert "© GeoNames, CC BY 4.0" in text
    places = re.findall(
        r"(?:near|(?:north|south|east|west|north-east|north-west|south-east|south-west) of) "
        r"[A-Z][\w .'-]+?(?: \([A-Za-z' .]+ County\))?, Garrett County "
        r"\((\d+\.\d) (mi|km)\)",
        text,
    )
    # Since the NPPES pharmacies (issue 24) three new sites reach every Garrett resident
    # beyond 5 miles: the greedy search stops there.
    assert len(places) == 3 and {u for _, u in places} == {unit}
    assert "no public evidence found" in text and "no program" not in text.replace(
        "not evidence that there is no program", ""
    )
    assert_reader_friendly(text)
    assert reader.metadata.title == "Naloxone access briefing: Garrett County"


def test_km_briefing_never_shows_miles(render):
    text = flat(render("24023", "km")[0])
    assert "within 8 km" in text and "Average distance to the nearest site (km)" in text
    assert not re.search(r"\bmi\b|\bmiles?\b", text), re.search(r".{30}\bmi(les?)?\b.{30}", text)


def test_mile_briefing_states_its_units(render):
    text = flat(render("24023", "mi")[0])
    assert "within 5 miles" in text and "Average distance to the nearest site (mi)" in text
    assert re.search(r"\d\.\d mi\b", text)


def test_access_score_is_explained_by_its_formula(render):
    text = flat(render("24023", "mi")[0])
    assert (
        "Listed sites per 100,000 residents reachable within 10 miles, counting each site's load"
    ) in text
    assert "shared by all the people who live within 10 miles of it" in text


def test_baltimore_city_is_named_and_fully_covered(render):
    pages, reader = render("24510", "mi")
    assert title(reader) == "Baltimore City"
    text = flat(pages)
    assert "Baltimore city" not in text
    assert "Every resident is already within 5 miles of a listed site." in text
    assert "Documented program" in text and "Source: https://" in text
    assert_reader_friendly(text)


def test_svi_gap_measure_spells_out_the_index(render):
    text = flat(render("24023", "mi", "svi")[0])
    assert "Social Vulnerability Index (SVI)" in text
    assert_reader_friendly(text)


@pytest.mark.parametrize("unit", first_in_fast_set(["mi", "km"], keep=1))
def test_statewide_briefing_has_one_table_of_all_24_and_the_state(render, data, unit):
    pages, reader = render("24", unit)
    assert title(reader) == "Maryland"
    table_page = pages[1]
    assert reader.pages[1].mediabox.width > reader.pages[1].mediabox.height, "landscape"
    names = [*sorted(data.jurisdictions["full_name"]), "Maryland"]
    # Maryland's death count is a range ("5,234– 5,261", issue 28) wrapped in its column
    table_page = re.sub(r"–\n(\d[\d,]*)\n", r"–\1 ", table_page)
    rows = [
        line
        for line in table_page.splitlines()
        if re.match(r"^(.+ County|Baltimore City|Maryland) \d[\d,]* ", line)
    ]
    assert [next(n for n in names if row.startswith(n + " ")) for row in rows] == names
    cells = [len(row.split()) - len(name.split()) for row, name in zip(rows, names, strict=True)]
    assert min(cells[:-1]) >= 12 and cells[-1] >= 10  # Maryland: no rank, no status
    text = flat(pages)
    assert f"Average distance to the nearest site ({unit})" in text
    assert "7,844 doses" in text
    assert_reader_friendly(text)


def test_statewide_columns_are_unique_named_and_carry_units(data):
    figures = briefing.briefing_figures(Scenario.from_data(data), "24", k=1, unit="km")
    columns, rows = briefing_statewide.statewide_rows(figures)
    headers = [column.header for column in columns]
    assert len(set(headers)) == len(headers) == 13 and all(h.strip() for h in headers)
    assert len(rows) == 25 and rows[-1][0] == "Maryland"
    assert all(len(row) == len(headers) for row in rows)
    assert "Average distance to the nearest site (km)" in headers
    assert sum(width for width in (c.width for c in columns)) <= 0.94


def test_trend_section_reads_from_the_pdf(render, data):
    """Issue 26.3: the county briefing's trend section, read from the PDF text: the modelled
    rates as rates (never counts), the separate CDC WONDER series, Maryland's line."""
    from geo.analysis import trends

    text = flat(render("24023")[0])
    assert "Overdose death rates over time" in text
    rows = trends.trend_rows(data.trend, data.burden, data.jurisdictions)
    assert trends.change_text(rows, "24023") in text
    assert "16.3 per 100,000 in 2014 and 27.0 in 2021" in text
    assert "a modelled rate, never a count" in text
    assert "never joined" in text and "CDC WONDER" in text
    assert "population-weighted mean of the 24 modelled rates" in text
    pages = render("24")[0]
    page = next(p for p in pages if "Overdose death rates over time, all 24" in p)
    for name in data.jurisdictions["name"]:  # one small chart each, titled
        assert name in page, name
