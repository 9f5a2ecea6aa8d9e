"""The network engine on hand-computed graphs (speeds chosen so minutes are easy sums)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from geo.engine.siting import greedy_max_cover
from geo.network import (
    Mode,
    build_network,
    coverage_matrix_minutes,
    nearest_site_by_node,
    nearest_trips,
    pairs_within_minutes,
    snap,
    two_step_fca_minutes,
)

#: 100 m/min on the network and on the straight line to it: 100 m = 1 minute.
HUNDRED = Mode("test", "test minutes", 100.0)


def network_of(segments, *, forward=None, backward=None, keep_largest=True, speed=100.0):
    segments = np.asarray(segments, dtype=float)
    start, end = segments[:, :2], segments[:, 2:]
    length = np.hypot(*(end - start).T)
    return build_network(
        start,
        end,
        length,
        speed,
        HUNDRED,
        forward=forward,
        backward=backward,
        keep_largest=keep_largest,
    )


def node_at(network, x, y):
    return int(snap(network, [[x, y]]).node[0])


def test_one_way_street_is_travelled_only_its_way():
    # Square A(0,0) B(100,0) C(100,100) D(0,100); A→B is one-way, the rest two-way.
    net = network_of(
        [[0, 0, 100, 0], [100, 0, 100, 100], [100, 100, 0, 100], [0, 100, 0, 0]],
        backward=[False, True, True, True],
    )
    a, b, c, d = (node_at(net, *p) for p in ((0, 0), (100, 0), (100, 100), (0, 100)))
    to_a = nearest_site_by_node(net, [a])
    assert to_a.minutes[[a, b, c, d]] == pytest.approx([0, 3, 2, 1])  # B must go round
    to_b = nearest_site_by_node(net, [b])
    assert to_b.minutes[[a, b, c, d]] == pytest.approx([1, 0, 1, 2])
    assert to_a.network_m[b] == pytest.approx(300)


def test_detour_round_a_river_counts_the_bridge():
    # Two banks 100 m apart, joined only by a bridge 1 km north.
    net = network_of([[0, 0, 0, 1000], [0, 1000, 100, 1000], [100, 1000, 100, 0]])
    trips = nearest_trips(net, [[0, 0]], [[100, 0]])
    assert trips.minutes[0] == pytest.approx(21.0)
    assert trips.network_m[0] == pytest.approx(2100.0)
    assert trips.origin_snap_m[0] == 0 and trips.site_snap_m[0] == 0


def test_tie_gives_either_site_and_the_same_minutes():
    net = network_of([[0, 0, 100, 0], [100, 0, 200, 0]])
    trips = nearest_trips(net, [[100, 0]], [[0, 0], [200, 0]])
    assert trips.minutes[0] == pytest.approx(1.0)
    assert trips.site[0] in (0, 1)


def test_unreachable_node_has_no_site_and_infinite_minutes():
    # Two separate streets; the site is on the first.
    net = network_of([[0, 0, 100, 0], [0, 5000, 100, 5000]], keep_largest=False)
    far = node_at(net, 0, 5000)
    result = nearest_site_by_node(net, [node_at(net, 0, 0)])
    assert result.site[far] == -1 and np.isinf(result.minutes[far])
    assert np.isinf(result.network_m[far])


def test_largest_component_is_kept_and_a_point_on_an_island_snaps_to_it():
    net = network_of([[0, 0, 100, 0], [100, 0, 300, 0], [0, 5000, 100, 5000]])
    assert net.n_nodes == 3 and net.n_nodes_all == 5
    trips = nearest_trips(net, [[0, 5000]], [[300, 0]])
    assert trips.origin_snap_m[0] == pytest.approx(5000.0)
    assert trips.far_from_network[0]
    assert trips.minutes[0] == pytest.approx(50.0 + 3.0)  # the snap is walked too


def test_snap_distance_is_added_at_the_mode_speed_and_flagged_past_500_m():
    net = network_of([[0, 0, 1000, 0]])
    trips = nearest_trips(net, [[0, 30], [0, 600]], [[1000, -40]])
    assert trips.minutes == pytest.approx([0.3 + 10 + 0.4, 6.0 + 10 + 0.4])
    assert trips.site_snap_m == pytest.approx([40, 40])
    assert list(trips.far_from_network) == [False, True]


def test_end_points_within_half_a_metre_are_one_node():
    joined = network_of([[0, 0, 100, 0], [100.3, 0, 200, 0]])
    assert joined.n_nodes == 3
    apart = network_of([[0, 0, 100, 0], [100.7, 0, 200, 0]], keep_largest=False)
    assert apart.n_nodes == 4


def test_parallel_segments_keep_the_quickest_and_self_loops_are_dropped():
    start = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    end = np.array([[100.0, 0.0], [100.0, 0.0], [0.2, 0.0]])
    net = build_network(start, end, [300.0, 100.0, 5.0], 100.0, HUNDRED)
    assert net.n_edges == 2
    assert net.minutes.max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"length_m": [-1.0]}, "negative"),
        ({"speed_m_per_min": 0.0}, "speeds"),
        ({"start_xy": [[np.nan, 0.0]]}, "NaN"),
    ],
)
def test_bad_segments_are_refused(bad, message):
    arguments = {
        "start_xy": [[0.0, 0.0]],
        "end_xy": [[1.0, 0.0]],
        "length_m": [1.0],
        "speed_m_per_min": 1.0,
        "mode": HUNDRED,
    } | bad
    with pytest.raises(ValueError, match=message):
        build_network(**arguments)


def grid(n=6, spacing=100.0):
    """An n×n street grid, spacing metres, two-way."""
    segments = []
    for i in range(n):
        for j in range(n - 1):
            segments.append([j * spacing, i * spacing, (j + 1) * spacing, i * spacing])
            segments.append([i * spacing, j * spacing, i * spacing, (j + 1) * spacing])
    return network_of(segments)


def test_capped_search_finds_exactly_the_pairs_within_the_limit():
    net = grid()
    rng = np.random.default_rng(1)
    origins = rng.uniform(0, 500, (40, 2))
    sites = rng.uniform(0, 500, (7, 2))
    pairs = pairs_within_minutes(net, origins, sites, 4.0, batch=3)
    o, s = snap(net, origins), snap(net, sites)
    full = dijkstra(net.minutes, indices=o.node)[:, s.node] + (o.snap_m[:, None] + s.snap_m) / 100
    expected = {(i, j) for i, j in zip(*np.nonzero(full <= 4.0), strict=True)}
    assert set(zip(pairs.origin.tolist(), pairs.site.tolist(), strict=True)) == expected
    assert pairs.minutes == pytest.approx(full[pairs.origin, pairs.site])
    with pytest.raises(ValueError, match="positive number of minutes"):
        pairs_within_minutes(net, origins, sites, 0)


def test_coverage_sets_feed_the_siting_engine():
    net = grid()
    demand = np.array([[0.0, 0.0], [500.0, 500.0], [0.0, 500.0]])
    candidates = np.array([[0.0, 100.0], [500.0, 400.0], [250.0, 250.0]])
    cover = coverage_matrix_minutes(net, candidates, demand, 1.5)
    assert cover.toarray().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
    result = greedy_max_cover(cover, np.array([10.0, 30.0, 5.0]), 1)
    assert result.chosen.tolist() == [1]


def test_two_step_catchment_in_minutes():
    # Two origins of 100 and 300 people each 1 minute from one site: A = 1/400 each.
    net = network_of([[0, 0, 100, 0], [100, 0, 200, 0]])
    pairs = pairs_within_minutes(net, [[0, 0], [200, 0]], [[100, 0]], 5.0)
    access = two_step_fca_minutes(np.array([100.0, 300.0]), np.array([1.0]), pairs, 5.0)
    assert access == pytest.approx([1 / 400, 1 / 400])
