"""The briefing reads one Scenario: its table, nearest sites and recommendations (issue 10)."""

from __future__ import annotations

from geo.analysis.scenario import Scenario
from geo.config import METRES_PER_MILE
from geo.render import briefing, formatting
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
    scenario = Scenario.from_data(data, types="pharmacy,harm_reduction",
                                  radius_m=3 * METRES_PER_MILE,
                                  catchment_m=8 * METRES_PER_MILE)
    figures = briefing.briefing_figures(scenario, "24001", k=3)
    table = scenario.table().set_index("fips")
    assert figures.scenario is scenario and figures.name == "Allegany"
    assert figures.radius_label == "3 miles"
    rows = {measure: (here, state) for measure, here, state in figures.rows}
    assert rows["Residents within 3 miles"] == (
        formatting.percent(table.loc["24001", "pct_pop_within_radius"]),
        formatting.percent(table.loc["24", "pct_pop_within_radius"]))
    assert rows["2SFCA access (per 100,000, 8-mile catchment)"][0] == formatting.decimal(
        table.loc["24001", "access_2sfca_per_100k"])
    recommended = scenario.recommend(3, within="24001")
    assert figures.recommended.equals(recommended)
    assert set(recommended["fips"]) == {"24001"}


def test_default_briefing_keeps_its_ten_mile_catchment_label(data):
    figures = briefing.briefing_figures(Scenario.from_data(data), "24")
    assert any(measure == "2SFCA access (per 100,000, 10-mile catchment)"
               for measure, _, _ in figures.rows)
    assert not any(measure.startswith("Access-gap rank") for measure, _, _ in figures.rows)


def test_briefing_shows_the_rank_range_and_rate_source(data):
    scenario = Scenario.from_data(data, radius_m=5 * METRES_PER_MILE)
    table = scenario.table().set_index("fips")
    for fips in ("24023", "24029"):
        rows = {m: here for m, here, _ in briefing.briefing_figures(scenario, fips, k=1).rows}
        row = table.loc[fips]
        assert rows["Plausible rank range (2,000 Poisson resamples)"] == \
            f"{row['gap_rank_low']}–{row['gap_rank_high']}"
        assert rows["Death rate source"] == row["rate_source"]
        assert rows["Access-gap rank (1 = largest gap)"] == f"{row['gap_rank']} of 24"
    state = {m for m, _, _ in briefing.briefing_figures(scenario, "24", k=1).rows}
    assert "Death rate source" not in state


def test_briefing_radius_and_distances_follow_the_views_unit(data):
    scenario = Scenario.from_data(data, radius_m=8000.0)
    figures = briefing.briefing_figures(scenario, "24", k=1, unit="km")
    assert figures.radius_label == "8 km"
    rows = {measure: (here, state) for measure, here, state in figures.rows}
    assert "Residents within 8 km" in rows
    mean_km = scenario.table().set_index("fips").loc["24", "mean_distance_miles"] * 1.609344
    assert rows["Mean distance to nearest site"][0] == f"{mean_km:,.1f} km"
    assert briefing.briefing_figures(scenario, "24", k=1).radius_label == "4.971 miles"
    assert formatting.radius(5 * METRES_PER_MILE) == "5 miles"
    assert formatting.radius(METRES_PER_MILE) == "1 mile"
