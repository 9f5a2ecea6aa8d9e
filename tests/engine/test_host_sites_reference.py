"""Issue 26.4: the exact recommendation among real candidate host sites equals PySAL
``spopt``'s MCLP with the existing sites as predefined facilities, on the same candidate
set and the gap measure's weights (rurality: each tract's own reach, as cost ÷ reach
within 1)."""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.engine.distance import lonlat_to_xy_m

pytestmark = pytest.mark.reference  # compared with PySAL spopt

spopt_locate = pytest.importorskip("spopt.locate")
pytestmark = pytest.mark.reference

#: Western and southern Maryland (a dense cost matrix stays small).
REGION = {"24001", "24023", "24043", "24021", "24017", "24009", "24037"}


@pytest.mark.parametrize("measure", ["no-vehicle", "rurality"])
def test_exact_host_site_siting_equals_spopt(data, measure):
    keep = data.population["fips"].isin(REGION).to_numpy()
    regional = metrics.make_access_data(
        data.jurisdictions,
        data.population[keep].reset_index(drop=True),
        data.sites,
        data.burden,
        data.leave_behind,
        context=data.context,
        tract_context=data.tract_context_layer,
        candidate_sites=data.candidate_sites[data.candidate_sites["fips"].isin(REGION)],
    )
    k = 3
    scenario = Scenario.from_data(regional, gap_measure=measure)
    ours = scenario.recommend(k, method="exact", candidates=metrics.DEFAULT_HOST_SITES)
    assert set(ours["kind"]) <= {"health_center", "treatment", "rail"}

    demand = metrics.demand_for(regional, measure, scenario.radius_m)
    existing = scenario.selected
    candidates = metrics.candidate_locations(regional, metrics.DEFAULT_HOST_SITES)
    facilities = np.vstack(
        [
            lonlat_to_xy_m(existing["lon"], existing["lat"]),
            lonlat_to_xy_m(candidates["lon"], candidates["lat"]),
        ]
    )
    distance = np.linalg.norm(regional.population_xy_m[:, None, :] - facilities[None, :, :], axis=2)
    reach = np.where(np.isfinite(demand.reach_m), demand.reach_m, 1.0)
    cost = distance / reach[:, None]  # within reach <=> cost <= 1
    predefined = np.arange(len(facilities)) < len(existing)
    model = spopt_locate.MCLP.from_cost_matrix(
        cost,
        demand.weight,
        service_radius=1.0,
        p_facilities=int(predefined.sum()) + k,
        predefined_facilities_arr=predefined,
    )
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    reference_total = pulp.value(model.problem.objective)
    already = (cost[:, predefined] <= 1.0).any(axis=1)
    ours_total = demand.weight[already].sum() + ours["cumulative_gap_reduction"].iloc[-1]
    assert ours_total == pytest.approx(reference_total, rel=1e-9, abs=1e-6)
    greedy = scenario.recommend(k, method="greedy", candidates=metrics.DEFAULT_HOST_SITES)
    assert (
        greedy["cumulative_gap_reduction"].iloc[-1]
        <= ours["cumulative_gap_reduction"].iloc[-1] + 1e-9
    )
