"""Access engine on tiny hand-computed cases (points and sites on a grid, metres)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from geo.engine.catchment import gaussian_weights, step_weights, two_step_fca
from geo.engine.coverage import coverage_by_group, grouped_weighted_quantile
from geo.engine.distance import lonlat_to_xy_m, nearest_m, pairs_within_m
from geo.engine.siting import coverage_matrix, exact_max_cover, greedy_max_cover

POINTS = np.array([[0.0, 0.0], [3000.0, 0.0], [0.0, 4000.0], [10000.0, 10000.0]])
SITES = np.array([[0.0, 0.0], [3000.0, 4000.0]])
POPULATION = np.array([100.0, 200.0, 300.0, 400.0])


def test_nearest_distances_by_hand():
    distance, index = nearest_m(POINTS, SITES)
    # (0,0)->site0: 0; (3000,0)->site0: 3000 (site1 is 4000 away); (0,4000)->site1: 3000
    # (10000,10000)->site1: sqrt(7000²+6000²)
    assert distance == pytest.approx([0.0, 3000.0, 3000.0, math.hypot(7000, 6000)])
    assert index.tolist() == [0, 0, 1, 1]


def test_pairs_within_radius_include_zero_distance():
    pairs = pairs_within_m(POINTS, SITES, 3000.0)
    found = sorted(
        zip(
            pairs.origin.tolist(),
            pairs.destination.tolist(),
            pairs.distance_m.tolist(),
            strict=True,
        )
    )
    assert found == [(0, 0, 0.0), (1, 0, 3000.0), (2, 1, 3000.0)]


def test_coverage_by_hand():
    distance, _ = nearest_m(POINTS, SITES)
    group = np.array([0, 0, 1, 1])
    result = coverage_by_group(distance, POPULATION, group, 2, radius_m=3000.0)
    assert result["population"].tolist() == [300.0, 700.0]
    assert result["covered"].tolist() == [300.0, 300.0]
    assert result["share_covered"] == pytest.approx([1.0, 3 / 7])
    assert result["mean_distance_m"][0] == pytest.approx((0 * 100 + 3000 * 200) / 300)
    assert result["mean_distance_m"][1] == pytest.approx(
        (3000 * 300 + math.hypot(7000, 6000) * 400) / 700
    )
    # group 1: cumulative weights 300 (d=3000) then 700; 90% of 700 = 630 -> the far point
    assert result["quantile_distance_m"][1] == pytest.approx(math.hypot(7000, 6000))
    assert result["quantile_distance_m"][0] == pytest.approx(3000.0)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The population-weighted quantile of one group."""
    return float(
        grouped_weighted_quantile(values, weights, np.zeros(len(values), np.int64), 1, q)[0]
    )


def test_weighted_quantile_edges():
    assert weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]), 0.5) == 2.0
    assert weighted_quantile(np.array([1.0, 2.0]), np.array([9.0, 1.0]), 0.9) == 1.0
    assert weighted_quantile(np.array([1.0, 2.0]), np.array([8.0, 2.0]), 0.9) == 2.0
    assert math.isnan(weighted_quantile(np.array([1.0]), np.array([0.0]), 0.9))
    with pytest.raises(ValueError):
        weighted_quantile(np.array([1.0]), np.array([1.0]), 1.5)


def test_two_step_fca_by_hand():
    # Catchment 3,500 m: site0 reaches points 0,1 (pop 300); site1 reaches point 2 (pop 300).
    pairs = pairs_within_m(POINTS, SITES, 3500.0)
    access = two_step_fca(POPULATION, np.ones(2), pairs, 3500.0)
    assert access == pytest.approx([1 / 300, 1 / 300, 1 / 300, 0.0])


def test_enhanced_two_step_fca_by_hand():
    # weights: d <= 1000 -> 1, d <= 3500 -> 0.5
    weight = step_weights({1000.0: 1.0, 3500.0: 0.5})
    pairs = pairs_within_m(POINTS, SITES, 3500.0)
    access = two_step_fca(POPULATION, np.ones(2), pairs, 3500.0, weight)
    r0 = 1 / (1.0 * 100 + 0.5 * 200)
    r1 = 1 / (0.5 * 300)
    assert access == pytest.approx([1.0 * r0, 0.5 * r0, 0.5 * r1, 0.0])


def test_site_with_empty_catchment_has_zero_ratio():
    pairs = pairs_within_m(np.array([[0.0, 0.0]]), np.array([[0.0, 0.0], [1000.0, 0.0]]), 2000.0)
    access = two_step_fca(np.array([0.0]), np.ones(2), pairs, 2000.0)
    assert access.tolist() == [0.0]


def test_decay_functions():
    step = step_weights({10.0: 1.0, 20.0: 0.68, 30.0: 0.22})
    assert step(np.array([0.0, 10.0, 10.5, 20.0, 30.0, 30.1])).tolist() == [
        1.0,
        1.0,
        0.68,
        0.68,
        0.22,
        0.0,
    ]
    gaussian = gaussian_weights(20.0)
    assert gaussian(np.array([0.0, 20.0])) == pytest.approx([1.0, math.exp(-0.5)])
    with pytest.raises(ValueError):
        gaussian_weights(0.0)
    with pytest.raises(ValueError):
        step_weights({10.0: -1.0})


def _cover(rows: list[list[int]], n_demand: int) -> sparse.csr_matrix:
    data = np.zeros((len(rows), n_demand))
    for j, covered in enumerate(rows):
        data[j, covered] = 1
    return sparse.csr_matrix(data)


def test_greedy_can_be_beaten_by_exact():
    # Candidate 0 covers the middle of two clusters; candidates 1 and 2 each cover one
    # cluster fully. Greedy takes 0 first (weight 6), then 1 or 2 (adds 2): total 8.
    # The optimum with k = 2 is {1, 2}: 10.
    weights = np.array([3.0, 2.0, 3.0, 2.0])
    cover = _cover([[0, 2], [0, 1], [2, 3]], 4)
    greedy = greedy_max_cover(cover, weights, 2)
    exact = exact_max_cover(cover, weights, 2)
    assert greedy.chosen.tolist()[0] == 0
    assert greedy.cumulative_covered[-1] == 8.0
    assert sorted(exact.chosen.tolist()) == [1, 2]
    assert exact.cumulative_covered[-1] == 10.0
    assert exact.newly_covered.tolist() == [5.0, 5.0]


def test_greedy_reports_marginal_gains_and_stops_when_nothing_left():
    weights = np.array([5.0, 1.0, 0.0])
    cover = _cover([[0, 1], [1], [2]], 3)
    result = greedy_max_cover(cover, weights, 3)
    assert result.chosen.tolist() == [0]
    assert result.newly_covered.tolist() == [6.0]
    assert result.cumulative_covered.tolist() == [6.0]


def test_coverage_matrix_uses_radius():
    matrix = coverage_matrix(np.array([[0.0, 0.0]]), POINTS, 3000.0)
    assert matrix.toarray().tolist() == [[1.0, 1.0, 0.0, 0.0]]


@pytest.mark.parametrize("k", [0, -1, 2.5, True, 4])
def test_bad_k(k):
    with pytest.raises(ValueError):
        greedy_max_cover(_cover([[0], [1], [0, 1]], 2), np.ones(2), k)


def test_bad_distance_inputs():
    with pytest.raises(ValueError, match="empty site set"):
        nearest_m(POINTS, np.empty((0, 2)))
    with pytest.raises(ValueError, match="NaN"):
        nearest_m(np.array([[np.nan, 0.0]]), SITES)
    with pytest.raises(ValueError, match="positive"):
        pairs_within_m(POINTS, SITES, 0.0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        lonlat_to_xy_m(np.array([-76.6, np.nan]), np.array([39.3, 39.0]))
    with pytest.raises(ValueError, match="positive"):
        coverage_by_group(np.zeros(2), np.ones(2), np.zeros(2, int), 1, -5.0)


def test_projection_is_state_plane_metres():
    # One degree of latitude is about 111 km; check the projected north-south distance.
    xy = lonlat_to_xy_m(np.array([-76.6, -76.6]), np.array([39.0, 40.0]))
    assert abs(xy[1, 1] - xy[0, 1]) == pytest.approx(111_000, rel=0.01)


def test_grouped_quantile_matches_a_direct_computation():
    rng = np.random.default_rng(7)
    values = rng.uniform(0, 100, 500)
    weights = rng.integers(0, 50, 500).astype(float)
    group = rng.integers(0, 9, 500)
    weights[group == 8] = 0.0  # a group with no population
    result = grouped_weighted_quantile(values, weights, group, 10, 0.9)
    for g in range(8):
        v, w = values[group == g], weights[group == g]
        order = np.argsort(v)
        cumulative = np.cumsum(w[order])
        expected = v[order][np.flatnonzero(cumulative >= 0.9 * w.sum())[0]]
        assert result[g] == expected
    assert np.isnan(result[8]) and np.isnan(result[9])
