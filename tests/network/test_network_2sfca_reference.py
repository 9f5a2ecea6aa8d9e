"""2SFCA in walking minutes against PySAL ``access`` fed a travel-time cost matrix: every
Baltimore City tract to every City site, times from a full (uncapped) scipy Dijkstra per
site plus both straight-line joins at 80 m/min, independent of our capped search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.analysis.travel import sites_in_area
from geo.analysis.travel_metrics import access_minutes, inside_area
from geo.engine.catchment import gaussian_weights, step_weights
from geo.engine.distance import lonlat_to_xy_m
from geo.network.travel import snap
from tests.support.reference import access_two_step_fca

pytestmark = pytest.mark.reference

access_lib = pytest.importorskip("access")
MINUTES = 15.0


@pytest.fixture(scope="module")
def walk(data):
    return Scenario.from_data(data, measure="walk", minutes=MINUTES)


@pytest.fixture(scope="module")
def inputs(data, walk):
    """PySAL access inputs: City tracts (demand), City sites (capacity 1), all trips."""
    network = walk.covered.network
    inside = inside_area(data, walk.covered)
    tracts = data.population.loc[inside]
    sites = sites_in_area(walk.selected, walk.covered)
    origin = snap(network, data.population_xy_m[inside])
    site = snap(network, lonlat_to_xy_m(sites["lon"], sites["lat"]))
    times = dijkstra(network.reverse_minutes, directed=True, indices=site.node)[:, origin.node]
    speed = network.mode.access_speed_m_per_min
    cost = times + site.snap_m[:, None] / speed + origin.snap_m[None, :] / speed
    s, o = np.meshgrid(np.arange(len(sites)), np.arange(len(tracts)), indexing="ij")
    return tracts, {
        "demand": pd.DataFrame(
            {"geoid": tracts["geoid"].to_numpy(), "pop": tracts["population"].astype(float)}
        ),
        "supply": pd.DataFrame({"sid": sites["id"].to_numpy(), "capacity": 1.0}),
        "cost": pd.DataFrame(
            {
                "origin": tracts["geoid"].to_numpy()[o.ravel()],
                "dest": sites["id"].to_numpy()[s.ravel()],
                "cost": cost.ravel(),
            }
        ),
    }


@pytest.mark.parametrize("decay", ["none", "step", "gaussian"])
def test_minute_2sfca_equals_pysal_access(data, walk, inputs, decay):
    tracts, tables = inputs
    ours = access_minutes(data, walk.selected, walk.covered, MINUTES, decay)
    ours = ours[inside_area(data, walk.covered)]
    if decay == "none":
        reference = access_two_step_fca(tables, tracts["geoid"], MINUTES)
    else:
        fn = (
            step_weights(
                {MINUTES * (k + 1) / 3: w for k, w in enumerate(metrics.E2SFCA_ZONE_WEIGHTS)}
            )
            if decay == "step"
            else gaussian_weights(MINUTES / 2)
        )
        reference = access_two_step_fca(
            tables, tracts["geoid"], MINUTES, lambda d, fn=fn: float(fn(np.array([d]))[0])
        )
    assert (ours > 0).sum() > 100  # 133 of 199 City tracts reach a site in 15 minutes
    np.testing.assert_allclose(ours, reference.to_numpy() * metrics.PER_100K, rtol=0, atol=1e-9)
