"""The briefing reads one Scenario: its table, nearest sites and recommendations (issue 10);
its key figures carry units, Maryland's value and the rank among the 24 (issue 12)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis import ranking
from geo.analysis.scenario import Scenario
from geo.config import METRES_PER_MILE
from geo.render import briefing, briefing_text, formatting
from tests.support.calls import count_calls


def test_one_briefing_finds_the_nearest_sites_once(data, monkeypatch):
    calls = count_calls(monkeypatch, "nearest_sites")
    document = briefing.briefing_pdf(data, "Garrett", generated="2026-11-21")
    assert document.startswith(b"%PDF")
    assert len(calls) == 1


def test_briefings_of_one_scenario_share_its_nearest_sites(data, monkeypatch):
    scenario = Scenario.from_data(data, radius_m=3 * METRES_PER_MILE)
    calls = count_calls(monkeypatch, "nearest_sites")
    tables = count_calls(monkeypatch, "jurisdiction_metrics")
    for jurisdiction in ("24001", "Maryland"):
        assert briefing.scenario_briefing_pdf(scenario, jurisdiction).startswith(b"%PDF")
    assert (len(calls), len(tables)) == (1, 1)


def test_briefing_figures_are_the_scenarios_numbers(data):
    scenario = Scenario.from_data(
        data,
        types="pharmacy,harm_reduction",
        radius_m=3 * METRES_PER_MILE,
        catchment_m=8 * METRES_PER_MILE,
    )
    figures = briefing.briefing_figures(scenario, "24001", k=3)
    table = scenario.table().set_index("fips")
    assert figures.scenario is scenario and figures.name == "Allegany"
    assert figures.full_name == "Allegany County"
    assert figures.radius_label == "3 miles"
    rows = {measure: rest for measure, *rest in figures.rows}
    assert all(len(rest) == 4 for rest in rows.values())
    assert rows["Residents within 3 miles of a site (% of residents)"][:2] == [
        formatting.percent(table.loc["24001", "pct_pop_within_radius"]),
        formatting.percent(table.loc["24", "pct_pop_within_radius"]),
    ]
    access = "Access score (sites per 100,000 residents within 8 miles, shared by load)"
    assert rows[access][0] == formatting.decimal(table.loc["24001", "access_2sfca_per_100k"])
    recommended = scenario.recommend(3, within="24001")
    assert figures.recommended.equals(recommended)
    assert set(recommended["fips"]) == {"24001"}
    assert figures.named["candidate_id"].tolist() == recommended["candidate_id"].tolist()
    assert figures.named["place"].str.contains(", Allegany County ").all()


def test_default_briefing_keeps_its_ten_mile_catchment_label(data):
    figures = briefing.briefing_figures(Scenario.from_data(data), "24")
    measures = [measure for measure, *_ in figures.rows]
    assert "Access score (sites per 100,000 residents within 10 miles, shared by load)" in measures
    assert not any(measure.startswith("Access gap") for measure in measures)
    assert all(here == rank == better == "" for _, here, _, rank, better in figures.rows)


def test_briefing_shows_the_gap_rank_with_its_range_and_the_rate_interval(data):
    scenario = Scenario.from_data(data, radius_m=5 * METRES_PER_MILE)
    table = scenario.table().set_index("fips")
    for fips in ("24023", "24029"):
        rows = {m: rest for m, *rest in briefing.briefing_figures(scenario, fips, k=1).rows}
        row = table.loc[fips]
        gap = rows["Access gap: expected deaths among residents beyond 5 miles (deaths/yr)"]
        assert gap[2] == (
            f"{briefing_text.ordinal(row['gap_rank'])} largest of 24 (plausible "
            f"{briefing_text.ordinal(row['gap_rank_low'])}–"
            f"{briefing_text.ordinal(row['gap_rank_high'])})"
        )
        assert gap[3] == "smaller"
        rate = rows["Drug-induced death rate (deaths per 100,000 residents a year)"]
        assert rate[0] == (
            f"{row['death_rate_per_100k']:.1f} (95% interval "
            f"{row['death_rate_lcl95']:.1f}–{row['death_rate_ucl95']:.1f})"
        )
    city = {m: rest for m, *rest in briefing.briefing_figures(scenario, "24510", k=1).rows}
    gap = city["Access gap: expected deaths among residents beyond 5 miles (deaths/yr)"]
    # Baltimore City has no resident beyond 5 miles: tied (ties share the better rank) and
    # no range when the range is the rank itself.
    city_row = table.loc["24510"]
    assert city_row["gap_rank_low"] == city_row["gap_rank_high"] == city_row["gap_rank"]
    assert gap[2] == f"{briefing_text.ordinal(city_row['gap_rank'])} largest of 24"
    kent = {m: rest for m, *rest in briefing.briefing_figures(scenario, "24029", k=1).rows}
    rate = kent["Drug-induced death rate (deaths per 100,000 residents a year)"]
    assert rate[2] == formatting.MISSING, "Kent's borrowed Maryland rate is not ranked"
    assert briefing_text.rate_source(table.loc["24029"]).startswith(
        "Death rate source: Maryland rate 2022-2023"
    )


def test_briefing_radius_and_distances_follow_the_views_unit(data):
    scenario = Scenario.from_data(data, radius_m=8000.0)
    figures = briefing.briefing_figures(scenario, "24", k=1, unit="km")
    assert figures.radius_label == "8 km" and figures.catchment_label == "16.1 km"
    rows = {measure: rest for measure, *rest in figures.rows}
    assert "Residents within 8 km of a site (% of residents)" in rows
    mean_km = scenario.table().set_index("fips").loc["24", "mean_distance_miles"] * 1.609344
    assert rows["Average distance to the nearest site (km)"][1] == f"{mean_km:,.1f} km"
    assert briefing.briefing_figures(scenario, "24", k=1).radius_label == "4.971 miles"
    assert formatting.radius(5 * METRES_PER_MILE) == "5 miles"
    assert formatting.radius(METRES_PER_MILE) == "1 mile"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (24, "24th"),
        (111, "111th"),
    ],
)
def test_ordinals(n, text):
    assert briefing_text.ordinal(n) == text


def test_rank_among_the_24_puts_the_better_value_first():
    table = pd.DataFrame(
        {
            "fips": ["24001", "24003", "24005", "24"],
            "sites_per_100k": [5.0, 9.0, 7.0, 6.0],
            "mean_distance_miles": [3.0, 1.0, 2.0, 2.0],
            "death_rate_per_100k": [40.0, 30.0, 42.6, 42.6],
            "rate_source": ["pooled", "pooled", ranking.STATE_FALLBACK, "state"],
        }
    ).set_index("fips")
    rank = briefing_text.rank_of
    assert [rank(table, "sites_per_100k", f) for f in ("24003", "24005", "24001")] == [
        "1st of 3",
        "2nd of 3",
        "3rd of 3",
    ]
    assert [rank(table, "mean_distance_miles", f) for f in ("24003", "24005", "24001")] == [
        "1st of 3",
        "2nd of 3",
        "3rd of 3",
    ]
    assert rank(table, "death_rate_per_100k", "24003") == "1st of 2"
    assert rank(table, "death_rate_per_100k", "24005") == formatting.MISSING
    assert rank(table, "population", "24003") == ""
    assert [
        briefing_text.better_when(c)
        for c in (
            "sites_per_100k",
            "mean_distance_miles",
            "uncovered_population",
            "death_rate_per_100k",
            "population",
        )
    ] == ["higher", "shorter", "fewer", "lower", ""]


def test_wrapped_lines_fit_their_width_and_keep_every_word():
    from matplotlib.figure import Figure

    from geo.render import briefing_layout as layout

    figure = Figure(figsize=layout.PORTRAIT)
    text = (
        "Source: https://baltimore.cbslocal.com/2019/10/15/leave-a-dose-behind-to-put-"
        "naloxone-into-hands-of-baltimore-county-opioid-overdose-victims/ and more words"
    )
    lines = layout.wrap(figure, text, 8.5, 0.5)
    limit = 0.5 * 8.5 * 72
    assert len(lines) > 1
    assert all(layout.text_width_pt(line, 8.5) <= limit for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert layout.wrap(figure, "Drug-induced deaths", 8, 0.07, bold=True)[0] == "Drug-"
    assert layout.wrap(figure, "", 8, 0.5) == [""]


def test_flow_starts_a_new_page_only_when_a_block_does_not_fit():
    from geo.render import briefing_layout as layout

    flow = layout.Flow()
    flow.block(0.5, lambda figure, top: None)
    assert len(flow.pages) == 1 and flow.y == pytest.approx(layout.TOP - 0.5)
    flow.block(0.5, lambda figure, top: None)
    assert len(flow.pages) == 2 and flow.y == pytest.approx(layout.TOP - 0.5)


def test_garrett_briefing_gives_marylands_deaths_as_a_range_and_explains_the_ranks(data):
    """Issue 28, item 4: Maryland's death count printed '—' (read as "suppressed") and
    Garrett's access-score rank (9th) sat beside its coverage rank (24th) unexplained."""
    from pypdf import PdfReader

    scenario = Scenario.from_data(data)
    figures = briefing.briefing_figures(scenario, "24023")
    rows = {measure: rest for measure, *rest in figures.rows}
    state_deaths = ranking.death_count_range(data.burden)
    deaths = rows["Drug-induced deaths 2022-2023 (deaths, both years)"]
    assert deaths[1] == f"{state_deaths.low:,}–{state_deaths.high:,} (range)"
    assert state_deaths.high - state_deaths.low == 27
    import io

    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(briefing.scenario_briefing_pdf(scenario, "24023"))).pages
    )
    flat = " ".join(text.split())
    assert f"lie between {state_deaths.low:,} and {state_deaths.high:,}" in flat
    assert "(Garrett 2022, Kent 2022 and Kent 2023)" in flat
    table = scenario.table().set_index("fips")
    score = briefing_text.rank_of(table, "access_2sfca_per_100k", "24023")
    within = briefing_text.rank_of(table, "pct_pop_within_radius", "24023")
    assert f"Why {score} on the access score but {within} on residents within 5 miles" in flat
