"""The bundled Baltimore City walking network on the real data, against networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

from geo.analysis import metrics
from geo.analysis.travel import travel_table
from geo.config import RAW_DIR
from geo.data.streets import STREETS_FILE, read_street_centrelines
from geo.engine.distance import lonlat_to_xy_m
from geo.network import nearest_trips, snap
from geo.network.city import WALK_AREA_FIPS, load_streets, walk_network, walkable
from geo.network.installed import walk_covered
from geo.network.modes import WALK_EXCLUDED_SUBTYPES, WALK_SPEED_M_PER_MIN

# Compared with networkx, an independent implementation.
pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def data():
    return metrics.load_access_data()


@pytest.fixture(scope="module")
def city_sites(data):
    selected = metrics.select_sites(data)
    return selected.loc[selected["jurisdiction_fips"] == WALK_AREA_FIPS].reset_index(drop=True)


@pytest.fixture(scope="module")
def table(data, city_sites):
    return travel_table(data, city_sites, walk_covered())


def test_processed_layer_matches_the_raw_file_and_keeps_every_segment():
    streets = load_streets()
    assert len(streets) == 48_482  # 48,473 features, 9 of them two-part
    assert streets["source_row"].nunique() == 48_473
    assert streets["length_m"].sum() / 1000 == pytest.approx(3672, abs=1)  # PROVENANCE.md
    again = read_street_centrelines(RAW_DIR / STREETS_FILE)
    pd.testing.assert_frame_equal(streets, again)


def test_segment_lengths_match_geopandas_in_state_plane():
    import geopandas as gpd

    raw = gpd.read_file(f"/vsigzip/{RAW_DIR / STREETS_FILE}").to_crs("EPSG:26985")
    lengths = load_streets().groupby("source_row")["length_m"].sum().sort_index()
    assert lengths.to_numpy() == pytest.approx(raw.length.to_numpy(), rel=1e-9, abs=1e-6)


def test_walking_excludes_freeways_ramps_and_tunnels_only():
    streets = load_streets()
    keep = walkable(streets["subtype_label"])
    excluded = set(streets.loc[~keep, "subtype_label"].dropna())
    assert excluded == set(WALK_EXCLUDED_SUBTYPES)
    assert keep.sum() == len(streets) - streets["subtype_label"].isin(excluded).sum()
    assert streets.loc[keep, "subtype_label"].isna().sum() == 5  # unknown class: walkable


def test_network_keeps_the_largest_component():
    network = walk_network()
    assert network.n_nodes == 31_097 and network.n_nodes_all == 31_444
    assert walk_network() is network  # built once while the file is unchanged


def test_every_city_tract_equals_networkx_dijkstra(data, city_sites, table):
    network = walk_network()
    graph = nx.DiGraph()
    coo = network.minutes.tocoo()
    graph.add_weighted_edges_from(
        zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    )
    site_xy = lonlat_to_xy_m(city_sites["lon"], city_sites["lat"])
    sites = snap(network, site_xy)
    reverse = graph.reverse(copy=True)
    for j, (node, snap_m) in enumerate(zip(sites.node, sites.snap_m, strict=True)):
        reverse.add_edge(("site", j), int(node), weight=snap_m / WALK_SPEED_M_PER_MIN)
    reverse.add_weighted_edges_from((("all",), ("site", j), 0.0) for j in range(len(sites.node)))
    to_site = nx.single_source_dijkstra_path_length(reverse, ("all",))
    tracts = data.population.loc[data.population["fips"] == WALK_AREA_FIPS]
    origins = snap(network, data.population_xy_m[tracts.index.to_numpy()])
    expected = (
        np.array([to_site[int(n)] for n in origins.node]) + origins.snap_m / WALK_SPEED_M_PER_MIN
    )
    assert len(table) == len(tracts) == 199
    np.testing.assert_allclose(table["minutes"], expected, rtol=0, atol=1e-6)


def test_city_properties(data, city_sites, table):
    network = walk_network()
    by_id = city_sites.set_index("id")
    site_xy = lonlat_to_xy_m(
        by_id.loc[table["nearest_site_id"], "lon"], by_id.loc[table["nearest_site_id"], "lat"]
    )
    tracts = data.population.loc[data.population["fips"] == WALK_AREA_FIPS]
    straight_m = np.hypot(*(data.population_xy_m[tracts.index.to_numpy()] - site_xy).T)
    # A walk is never shorter than the straight line.
    assert (table["minutes"] * WALK_SPEED_M_PER_MIN >= straight_m - 1e-6).all()
    # One speed: minutes are the network metres plus both joins, walked.
    walked = table["network_m"] + table["origin_snap_m"] + table["site_snap_m"]
    np.testing.assert_allclose(table["minutes"] * WALK_SPEED_M_PER_MIN, walked, atol=1e-6)
    assert not table["far_from_network"].any()
    # The nearest site is the row minimum of the full tract × site matrix.
    origins = snap(network, data.population_xy_m[tracts.index.to_numpy()])
    sites = snap(network, lonlat_to_xy_m(city_sites["lon"], city_sites["lat"]))
    full = dijkstra(network.reverse_minutes, indices=sites.node)[:, origins.node].T
    full += (origins.snap_m[:, None] + sites.snap_m[None, :]) / WALK_SPEED_M_PER_MIN
    np.testing.assert_allclose(table["minutes"], full.min(axis=1), atol=1e-9)
    # Residents within T minutes never fall as T grows.
    counts = [table.loc[table["minutes"] <= t, "population"].sum() for t in (5, 10, 15, 20, 30)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_adding_a_site_never_lengthens_a_trip(data, city_sites, table):
    network = walk_network()
    origin_xy = data.population_xy_m[(data.population["fips"] == WALK_AREA_FIPS).to_numpy()]
    site_xy = lonlat_to_xy_m(city_sites["lon"], city_sites["lat"])
    before = nearest_trips(network, origin_xy, site_xy).minutes
    rng = np.random.default_rng(7)
    extra = origin_xy[rng.choice(len(origin_xy), 5, replace=False)]
    after = nearest_trips(network, origin_xy, np.vstack([site_xy, extra])).minutes
    assert (after <= before + 1e-12).all() and (after < before).any()
