"""The Scenario facade: same numbers as the functions it wraps, each computed once."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario

FIVE_MILES_M = metrics.radius_m_from(miles=5)


def test_table_and_ranking_equal_the_functions(data):
    scenario = Scenario.from_data(data, types=("pharmacy",), radius_m=FIVE_MILES_M)
    selected = metrics.select_sites(data, ("pharmacy",))
    expected = metrics.jurisdiction_metrics(data, selected, FIVE_MILES_M)
    pd.testing.assert_frame_equal(scenario.table(), expected)
    pd.testing.assert_frame_equal(scenario.ranking(), metrics.gap_ranking(expected))
    pd.testing.assert_frame_equal(
        scenario.recommend(3),
        metrics.recommend_sites(data, selected, 3, FIVE_MILES_M, gap_measure="deaths"),
    )


def test_nearest_work_is_done_once_per_scenario(data, monkeypatch):
    calls = []
    original = metrics.nearest_sites
    monkeypatch.setattr(
        metrics, "nearest_sites", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    scenario = Scenario.from_data(data, radius_m=FIVE_MILES_M)
    scenario.table()
    scenario.ranking()
    scenario.recommend(2)
    scenario.recommend(2, within="24023")
    assert len(calls) == 1
    assert scenario.replace(radius_m=2 * FIVE_MILES_M).table() is not None
    assert len(calls) == 1  # a new radius: the same sites, the same nearest ones
    assert scenario.replace(types=("pharmacy",)).table() is not None
    assert len(calls) == 2


def test_what_if_sites_and_removed_sites(data):
    base = Scenario.from_data(data, radius_m=FIVE_MILES_M)
    garrett = base.table().set_index("fips").loc["24023", "uncovered_population"]
    # Tract 24023000100's centre of population, 11 km from the nearest listed site.
    added = base.replace(added=((39.6466, -79.3755, "Test site"),))
    assert added.changed and not base.changed
    assert added.table().set_index("fips").loc["24023", "uncovered_population"] < garrett
    first = base.selected["id"].iloc[0]
    removed = Scenario.from_data(data, radius_m=FIVE_MILES_M, removed=[first])
    assert first not in set(removed.selected["id"])
    frame = pd.DataFrame({"lat": [39.55], "lon": [-79.30]})
    assert Scenario.from_data(data, added=frame).added == ((39.55, -79.30, "What-if site 1"),)


def test_recommendations_within_a_jurisdiction(data):
    # 2 miles: at 5 miles three new sites now reach every Garrett resident.
    picked = Scenario.from_data(data, radius_m=FIVE_MILES_M * 0.4).recommend(4, within="24023")
    assert len(picked) == 4
    assert set(picked["fips"]) == {"24023"}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"radius_m": 0}, "radius"),
        ({"radius_m": float("nan")}, "radius"),
        ({"catchment_m": -1}, "catchment"),
        ({"types": ("nope",)}, "unknown site type"),
        ({"decay": "cubic"}, "decay"),
    ],
)
def test_bad_choices_are_refused(data, changes, message):
    with pytest.raises(ValueError, match=message):
        Scenario(data, **changes)


def test_a_scenario_is_a_frozen_value(data):
    scenario = Scenario.from_data(data)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.radius_m = 1.0
    assert scenario.key == Scenario.from_data(data).key


def test_a_new_radius_reuses_the_nearest_sites_and_gives_the_same_numbers(data):
    base = Scenario.from_data(data, types=("pharmacy",), radius_m=FIVE_MILES_M)
    base.table()
    wider = base.replace(radius_m=2 * FIVE_MILES_M, gap_measure="residents")
    assert wider.nearest is base.nearest and wider.selected is base.selected
    assert wider.access_per_100k is base.access_per_100k
    fresh = Scenario.from_data(
        data, types=("pharmacy",), radius_m=2 * FIVE_MILES_M, gap_measure="residents"
    )
    pd.testing.assert_frame_equal(wider.table(), fresh.table())
    pd.testing.assert_frame_equal(wider.recommend(2), fresh.recommend(2))
    assert not wider.table().equals(base.table())


def test_other_sites_or_another_catchment_are_computed_afresh(data):
    base = Scenario.from_data(data, types=("pharmacy",))
    base.table()
    other_types = base.replace(types=("pharmacy", "health_department"))
    assert other_types.nearest is not base.nearest
    assert len(other_types.selected) > len(base.selected)
    removed = base.replace(removed=(base.selected["id"].iloc[0],))
    assert len(removed.selected) == len(base.selected) - 1
    wider_catchment = base.replace(catchment_m=2 * base.catchment_m)
    assert wider_catchment.nearest is base.nearest
    assert wider_catchment.access_per_100k is not base.access_per_100k
    other_data = dataclasses.replace(data)  # equal, but another value: nothing is reused
    assert "nearest" not in base.replace(data=other_data).__dict__


def test_death_rates_are_computed_once_per_data(data):
    from geo.analysis import ranking

    assert data.death_rates is data.death_rates
    deaths, state = ranking.death_rates(data.burden)
    pd.testing.assert_frame_equal(data.death_rates[0], deaths)
    assert data.death_rates[1] == state
