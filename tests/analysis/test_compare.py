"""The Compare chart's data: sorted bars, the focus marked, unknown last, Maryland's value
only where it is a level (not a total), units following the view (issue 12, item 6)."""

from __future__ import annotations

import pandas as pd

from geo.analysis.compare import bar_data, comparison_table, measure_for, value_text
from geo.analysis.scenario import Scenario

KM_PER_MILE = 1.609344


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fips": ["24", "24001", "24003", "24005"],
            "name": ["Maryland", "Allegany", "Anne Arundel", "Baltimore County"],
            "mean_distance_km": [2.0, 1.5, 4.25, 3.0],
            "deaths_2022_2023": pd.array([900, 40, None, 860], dtype="Int64"),
        }
    )


NAMES = {"24001": "Allegany County", "24003": "Anne Arundel County", "24005": "Baltimore County"}


def test_bars_sorted_largest_first_focus_marked_state_line():
    data = bar_data(_table(), "mean_distance_km", "24001", NAMES)
    assert data.rows["label"].tolist() == [
        "Anne Arundel County",
        "Baltimore County",
        "Allegany County",
    ]
    assert data.rows["focus"].tolist() == [False, False, True]
    assert data.rows["value_text"].tolist() == ["4.25", "3.00", "1.50"]
    assert data.state_value == 2.0
    assert data.axis_title == "Mean distance to nearest site (km)"


def test_unknown_last_and_no_state_line_for_totals():
    data = bar_data(_table(), "deaths_2022_2023", "24", NAMES)
    assert data.rows["label"].tolist() == [
        "Baltimore County",
        "Allegany County",
        "Anne Arundel County",
    ]
    assert data.rows["value_text"].tolist() == ["860", "40", "—"]
    assert not data.rows["focus"].any()
    assert data.state_value is None
    assert data.axis_title == "Drug-induced deaths 2022-2023 (deaths)"


def test_gap_score_takes_the_gap_measures_unit():
    assert measure_for("gap_score", "deaths").unit == "deaths/yr"
    assert measure_for("gap_score", "svi").unit == "SVI-weighted residents"
    assert value_text(0.456, "0-1 rank") == "0.46"
    assert value_text(12345.0, "people") == "12,345"


def test_comparison_table_in_km_on_real_data(data):
    table = Scenario.from_data(data).table()
    miles = comparison_table(table, None, data.context, "mi").set_index("fips")
    km = comparison_table(table, None, data.context, "km").set_index("fips")
    assert not any(c.endswith("_miles") for c in km.columns)
    assert (km["mean_distance_km"] - miles["mean_distance_miles"] * KM_PER_MILE).abs().max() < 1e-9
    full = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    bars = bar_data(km.reset_index(), "mean_distance_km", "24023", full)
    assert len(bars.rows) == 24 and bars.rows["label"].is_unique
    assert "Baltimore City" in set(bars.rows["label"]) and "Garrett County" in set(
        bars.rows["label"]
    )
    assert bars.rows["value"].is_monotonic_decreasing


def test_the_chart_measure_is_named_in_the_links_unit_and_round_trips():
    from geo.analysis.view import View, view_from_query, view_to_query

    km = View(unit="km", measure="mean_distance_miles", compare=("24001",))
    assert view_to_query(km)["chart"] == "mean_distance_km"
    assert view_from_query(view_to_query(km), {"24001"}) == km
    miles = View(unit="mi", measure="p90_distance_miles")
    assert view_to_query(miles)["chart"] == "p90_distance_miles"
    assert view_from_query(view_to_query(miles), set()) == miles


def test_rates_not_from_the_jurisdictions_own_years_are_labelled(data):
    table = comparison_table(Scenario.from_data(data).table(), None, data.context)
    full = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    bars = bar_data(table, "death_rate_per_100k", "24", full).rows.set_index("label")
    assert bars.loc["Kent County", "value_text"].endswith(" (Maryland rate)")
    assert bars.loc["Garrett County", "value_text"].endswith(" (2023 only)")
    assert bars.loc["Allegany County", "value_text"].replace(".", "").isdigit()
