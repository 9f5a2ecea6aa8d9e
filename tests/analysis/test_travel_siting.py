"""New sites by walking minutes (geo.analysis.travel_siting): the gap measure's weights,
the same coverage sets for greedy and exact, host sites of the City only; checked against
an uncapped scipy Dijkstra from the chosen location."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from geo.analysis.scenario import Scenario
from geo.analysis.travel_siting import TRAVEL_RECOMMENDATION_COLUMNS
from geo.engine.distance import lonlat_to_xy_m
from geo.network.travel import snap

MINUTES = 15.0


@pytest.fixture(scope="module")
def walk(data):
    return Scenario.from_data(data, measure="walk", minutes=MINUTES, gap_measure="no-vehicle")


def _covered_by(walk, lat, lon):
    """City tracts whose walk to (lat, lon) takes at most MINUTES (uncapped Dijkstra)."""
    network = walk.covered.network
    data = walk.data
    inside = data.population["fips"].to_numpy() == "24510"
    tracts = snap(network, data.population_xy_m[inside])
    site = snap(network, lonlat_to_xy_m(np.array([lon]), np.array([lat])))
    times = dijkstra(network.reverse_minutes, indices=int(site.node[0]))[tracts.node]
    speed = network.mode.access_speed_m_per_min
    total = times + tracts.snap_m / speed + site.snap_m[0] / speed
    return data.population.loc[inside].assign(total=total, covered=total <= MINUTES)


def test_first_pick_reduces_the_no_vehicle_gap_by_hand(walk):
    first = walk.recommend_by_minutes(3).iloc[0]
    assert list(walk.recommend_by_minutes(3).columns) == list(TRAVEL_RECOMMENDATION_COLUMNS)
    tracts = _covered_by(walk, first["lat"], first["lon"])
    trips = walk.travel.set_index("geoid")["minutes"]
    beyond = tracts["geoid"].map(trips).to_numpy() > MINUTES
    share = walk.data.tracts.loc[tracts.index, "no_vehicle_pct"].to_numpy() / 100
    newly = tracts["covered"].to_numpy() & beyond
    expected_gap = np.nansum(np.where(newly, tracts["population"] * share, 0.0))
    assert first["gap_reduction"] == pytest.approx(expected_gap)
    assert first["newly_covered_population"] == tracts.loc[newly, "population"].sum()
    assert first["measure"] == "walking minutes" and first["gap_measure"] == "no-vehicle"


def test_exact_never_does_worse_than_greedy_on_the_same_sets(walk):
    greedy = walk.recommend_by_minutes(4)
    exact = walk.recommend_by_minutes(4, method="exact")
    assert (
        exact["cumulative_gap_reduction"].iloc[-1]
        >= greedy["cumulative_gap_reduction"].iloc[-1] - 1e-6
    )


def test_the_gap_measure_decides_the_order(data, walk):
    residents = walk.replace(gap_measure="residents").recommend_by_minutes(3)
    no_vehicle = walk.recommend_by_minutes(3)
    assert (residents["gap_reduction"] == residents["newly_covered_population"]).all()
    assert (no_vehicle["gap_reduction"] < no_vehicle["newly_covered_population"]).all()


def test_host_sites_of_the_city_only(walk):
    hosts = walk.recommend_by_minutes(3, candidates="health-centers,treatment,transit")
    assert len(hosts) == 3 and (hosts["fips"] == "24510").all()
    assert (hosts["kind"] != "tract").all() and hosts["site_name"].str.len().gt(0).all()
