"""Access per jurisdiction in travel minutes (geo.analysis.travel_metrics): hand-made trips
over two real counties, and the bundled Baltimore City walking network."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.analysis.travel_metrics import (
    AREA_FIPS,
    TRAVEL_METRIC_COLUMNS,
    access_minutes,
    travel_metrics,
)
from geo.config import MARYLAND_STATE_PLANE_M
from geo.network import Mode, build_network
from geo.network.installed import CoveredNetwork

KENT, SOMERSET = "24029", "24039"
#: Hand-chosen trips (minutes) per tract of Kent and Somerset, in population order; Kent's
#: first tract (3,529 residents) is left out of the area (no trip): the area holds part of Kent.
TRIPS = {KENT: [None, 10.0, 20.0, 30.0, 12.0, 5.0], SOMERSET: [8, 25, 3, 16, 14, 50, 9]}


@pytest.fixture(scope="module")
def two_counties(data):
    """A drive 'network' whose outline is Kent and Somerset, and hand-made trips."""
    shapes = data.jurisdictions[data.jurisdictions["fips"].isin([KENT, SOMERSET])]
    outline = shapes.to_crs(MARYLAND_STATE_PLANE_M).union_all()
    mode = Mode("drive", "driving minutes", 100.0, trip="drive")
    tiny = build_network(np.array([[0.0, 0.0]]), np.array([[100.0, 0.0]]), 100.0, 100.0, mode)
    covered = CoveredNetwork("drive", tiny, "Kent and Somerset", "hand-made trips", None, outline)
    rows = []
    for fips, trips in TRIPS.items():
        tracts = data.population[data.population["fips"] == fips]
        for (_, tract), minutes in zip(tracts.iterrows(), trips, strict=True):
            if minutes is not None:
                rows.append((tract["geoid"], tract["population"], float(minutes)))
    travel = pd.DataFrame(rows, columns=["geoid", "population", "minutes"])
    travel = travel.assign(nearest_site_id="x", network_m=0.0, origin_snap_m=0.0)
    travel = travel.assign(site_snap_m=0.0, far_from_network=[True] + [False] * (len(rows) - 1))
    return covered, travel


def _table(data, two_counties, measure="residents"):
    covered, travel = two_counties
    selected = metrics.select_sites(data)
    access = np.where(data.population["fips"].isin([KENT, SOMERSET]), 2.0, np.nan)
    return travel_metrics(
        data, selected, covered, travel, 15.0, gap_measure=measure, access_per_100k=access
    ).set_index("fips")


def test_rows_are_the_covered_jurisdictions_and_the_area(data, two_counties):
    table = _table(data, two_counties)
    assert list(table.index) == [KENT, SOMERSET, AREA_FIPS]
    assert list(table.reset_index().columns) == list(TRAVEL_METRIC_COLUMNS)
    assert (table["measure"] == "driving minutes").all() and (table["minutes"] == 15).all()


def test_counts_shares_and_minutes_by_hand(data, two_counties):
    table = _table(data, two_counties)
    _, travel = two_counties
    pops = data.population.set_index("geoid")["population"]
    for fips in (KENT, SOMERSET):
        trips = travel[travel["geoid"].str.startswith(fips)]
        people = trips["population"].to_numpy(float)
        minutes = trips["minutes"].to_numpy(float)
        row = table.loc[fips]
        assert row["tracts"] == len(trips)
        assert row["population"] == people.sum()
        assert row["pop_within_minutes"] == people[minutes <= 15].sum()
        assert row["uncovered_population"] == people[minutes > 15].sum()
        assert row["mean_minutes"] == pytest.approx((people * minutes).sum() / people.sum())
        assert row["access_2sfca_per_100k"] == pytest.approx(2.0)
        everyone = pops[pops.index.str.startswith(fips)].sum()
        assert row["jurisdiction_population"] == everyone
        assert row["pct_jurisdiction_in_area"] == pytest.approx(100 * people.sum() / everyone)
    assert table.loc[KENT, "pct_jurisdiction_in_area"] < 100  # one Kent tract left out
    assert table.loc[SOMERSET, "pct_jurisdiction_in_area"] == pytest.approx(100)
    area = table.loc[AREA_FIPS]
    assert area["population"] == table.loc[[KENT, SOMERSET], "population"].sum()
    assert area["uncovered_population"] == table.loc[[KENT, SOMERSET], "uncovered_population"].sum()
    assert area["tracts_far_from_network"] == 1 and pd.isna(area["gap_rank"])


def test_ranks_the_covered_jurisdictions_only(data, two_counties):
    table = _table(data, two_counties, "residents")
    by_hand = table.loc[[KENT, SOMERSET], "uncovered_population"]
    assert list(table.loc[[KENT, SOMERSET], "gap_score"]) == list(by_hand.astype(float))
    first = by_hand.idxmax()
    assert table.loc[first, "gap_rank"] == 1 and table.loc[[KENT, SOMERSET], "gap_rank"].max() == 2
    deaths = _table(data, two_counties, "deaths")
    rate = data.death_rates[0]["death_rate_per_100k"]
    for fips in (KENT, SOMERSET):
        expected = by_hand[fips] * rate[fips] / 100_000
        assert deaths.loc[fips, "gap_score"] == pytest.approx(expected)
        assert deaths.loc[fips, "gap_rank_low"] <= deaths.loc[fips, "gap_rank"]
        assert deaths.loc[fips, "gap_rank"] <= deaths.loc[fips, "gap_rank_high"]
    assert deaths.loc[AREA_FIPS, "gap_score"] == pytest.approx(
        deaths.loc[[KENT, SOMERSET], "gap_score"].sum()
    )


@pytest.fixture(scope="module")
def walk(data):
    return Scenario.from_data(data, measure="walk", minutes=15)


def test_walking_table_agrees_with_the_area_summary(walk):
    table = walk.travel_table().set_index("fips")
    summary = walk.travel_summary().iloc[0]
    assert list(table.index) == ["24510", AREA_FIPS]
    for name in ("24510", AREA_FIPS):
        row = table.loc[name]
        assert row["pop_within_minutes"] == summary["population_within_minutes"]
        assert row["population"] == summary["population"] and row["sites"] == summary["sites"]
        assert row["median_minutes"] == pytest.approx(summary["median_minutes"])
        assert row["p90_minutes"] == pytest.approx(summary["p90_minutes"])
        assert row["measure"] == "walking minutes"
    assert table.loc["24510", "gap_rank"] == 1
    assert walk.travel_ranking()["name"].tolist() == ["Baltimore City"]


def test_minute_2sfca_grows_with_the_catchment_and_is_nan_outside(data, walk):
    short = access_minutes(data, walk.selected, walk.covered, 5.0)
    long = access_minutes(data, walk.selected, walk.covered, 30.0)
    inside = data.population["fips"].to_numpy() == "24510"
    assert np.isnan(short[~inside]).all() and np.isfinite(short[inside]).all()
    # More residents reached share the same sites: fewer tracts have none in reach.
    assert (long[inside] > 0).sum() >= (short[inside] > 0).sum()
    weighted = (
        np.nansum(short * data.population["population"])
        / data.population.loc[inside, "population"].sum()
    )
    assert walk.replace(minutes=5.0).travel_table().iloc[0][
        "access_2sfca_per_100k"
    ] == pytest.approx(weighted)


def test_every_column_has_a_dictionary_entry_naming_minutes(walk):
    from geo.analysis.compare import travel_comparison_table
    from geo.render.columns import data_dictionary, human_table

    table = walk.travel_table()
    comparison = travel_comparison_table(table)
    for frame in (table, comparison):
        dictionary = data_dictionary(list(frame.columns), "5 mi", "travel-metrics", "mi", "deaths")
        assert len(dictionary) == len(frame.columns)
        assert not dictionary["Column"].str.contains("5 mi").any()
    headers = list(human_table(table, "5 mi", "travel-metrics", "deaths").columns)
    assert "Residents beyond T minutes (people)" in headers
    assert "Mean travel time (minutes)" in headers
