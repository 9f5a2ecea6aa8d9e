"""The engine against reference libraries on the real Maryland data:
PySAL ``access`` (2SFCA, E2SFCA), PySAL ``spopt`` (MCLP), ``geopandas.sjoin_nearest``."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pulp
import pytest

from geo.analysis import metrics
from geo.config import MARYLAND_STATE_PLANE_M
from geo.engine.catchment import gaussian_weights, step_weights
from geo.engine.distance import lonlat_to_xy_m
from tests.support.reference import access_inputs, access_two_step_fca

pytestmark = pytest.mark.reference

access_lib = pytest.importorskip("access")
spopt_locate = pytest.importorskip("spopt.locate")

CATCHMENT_M = metrics.radius_m_from(miles=10)


@pytest.fixture(scope="module")
def selected(data):
    return metrics.select_sites(data)


@pytest.mark.parametrize("decay", ["none", "step", "gaussian"])
def test_two_step_fca_equals_pysal_access(data, selected, decay):
    ours = metrics.catchment_access(data, selected, CATCHMENT_M, decay)
    inputs = access_inputs(data, selected, CATCHMENT_M)
    geoids = data.population["geoid"]
    if decay == "none":
        reference = access_two_step_fca(inputs, geoids, CATCHMENT_M)
    else:
        if decay == "step":
            fn = step_weights(
                {CATCHMENT_M * (k + 1) / 3: w for k, w in enumerate(metrics.E2SFCA_ZONE_WEIGHTS)}
            )
        else:
            fn = gaussian_weights(CATCHMENT_M / 2)
        reference = access_two_step_fca(
            inputs, geoids, CATCHMENT_M, lambda d, fn=fn: float(fn(np.array([d]))[0])
        )
    assert (ours > 0).sum() > 1000
    np.testing.assert_allclose(ours, reference.to_numpy() * metrics.PER_100K, rtol=0, atol=1e-9)


def test_reference_weight_functions_agree_with_access_weights():
    ours = step_weights({10.0: 1.0, 20.0: 0.68, 30.0: 0.22})
    theirs = access_lib.weights.step_fn({10: 1, 20: 0.68, 30: 0.22})
    grid = np.linspace(0, 35, 71)
    assert ours(grid).tolist() == [theirs(x) for x in grid]
    np.testing.assert_allclose(
        gaussian_weights(7.0)(grid), [access_lib.weights.gaussian(7.0)(x) for x in grid], atol=1e-15
    )


def test_nearest_equals_geopandas_sjoin_nearest(data, selected):
    ours = metrics.nearest_sites(data, selected)
    points = data.population[["geoid", "geometry"]].to_crs(MARYLAND_STATE_PLANE_M)
    sites = selected[["id", "geometry"]].to_crs(MARYLAND_STATE_PLANE_M)
    joined = gpd.sjoin_nearest(points, sites, how="left", distance_col="dist")
    joined = joined[~joined.index.duplicated()].sort_index()
    np.testing.assert_allclose(
        ours["distance_m"].to_numpy(), joined["dist"].to_numpy(), rtol=0, atol=1e-6
    )


def test_exact_mclp_equals_spopt_and_greedy_is_close(data, selected):
    radius_m = metrics.radius_m_from(miles=5)
    eastern_shore = {
        "24011",
        "24019",
        "24029",
        "24035",
        "24039",
        "24041",
        "24045",
        "24047",
        "24015",
    }
    region_points = data.population["fips"].isin(eastern_shore).to_numpy()
    regional = metrics.make_access_data(
        data.jurisdictions,
        data.population[region_points].reset_index(drop=True),
        data.sites,
        data.burden,
        data.leave_behind,
    )
    region_sites = selected[selected["jurisdiction_fips"].isin(eastern_shore)]
    candidates = regional.population[["geoid", "fips", "lat", "lon"]].rename(
        columns={"geoid": "candidate_id"}
    )
    k = 4
    exact = metrics.siting_on_arrays(regional, region_sites, candidates, k, radius_m, "exact")
    greedy = metrics.siting_on_arrays(regional, region_sites, candidates, k, radius_m, "greedy")

    population = regional.population["population"].to_numpy(dtype=float)
    existing_xy = lonlat_to_xy_m(region_sites["lon"], region_sites["lat"])
    candidate_xy = lonlat_to_xy_m(candidates["lon"], candidates["lat"])
    facilities = np.vstack([existing_xy, candidate_xy])
    cost = np.linalg.norm(regional.population_xy_m[:, None, :] - facilities[None, :, :], axis=2)
    already = (cost[:, : len(existing_xy)] <= radius_m).any(axis=1)
    predefined = np.arange(len(facilities)) < len(existing_xy)
    model = spopt_locate.MCLP.from_cost_matrix(
        cost,
        population,
        service_radius=radius_m,
        p_facilities=int(predefined.sum()) + k,
        predefined_facilities_arr=predefined,
    )
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    reference_total = pulp.value(model.problem.objective)
    ours_total = population[already].sum() + exact.cumulative_covered[-1]
    assert ours_total == pytest.approx(reference_total, abs=1e-6)
    assert greedy.cumulative_covered[-1] >= 0.97 * exact.cumulative_covered[-1]
