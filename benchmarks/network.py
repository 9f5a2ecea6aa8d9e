"""Network-engine benchmarks, with networkx measured in the same run.

- nearest-site walking minutes for every node of the Baltimore City network (one
  multi-source ``csgraph.dijkstra(min_only=True)``), target < 100 ms and >= 20x faster than
  ``networkx.multi_source_dijkstra_path_length`` on the same graph (results checked equal);
  and the same with each path's network metres (what the travel table reports), reported;
- building the City walking network from ``data/processed/streets.parquet`` (read, walk
  rule, 0.5 m joins, CSR, largest component), target < 1 s; reference: building a
  ``networkx.Graph`` from the same already-joined edges (reported, no target);
- sites within 15 walking minutes of every City tract (capped searches), reported.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from benchmarks.engine import _row, median_seconds
from geo.analysis import metrics
from geo.engine.distance import lonlat_to_xy_m
from geo.network import nearest_site_by_node, pairs_within_minutes, snap
from geo.network.city import WALK_AREA_FIPS, load_streets, walk_network, walk_network_from_streets


def _city_sites(data: metrics.AccessData) -> np.ndarray:
    selected = metrics.select_sites(data)
    city = selected[selected["jurisdiction_fips"] == WALK_AREA_FIPS]
    return lonlat_to_xy_m(city["lon"], city["lat"])


def bench_nearest_minutes(data: metrics.AccessData) -> dict:
    network = walk_network()
    sites = snap(network, _city_sites(data))
    coo = network.minutes.tocoo()
    graph = nx.DiGraph()
    reverse = zip(coo.col.tolist(), coo.row.tolist(), coo.data.tolist(), strict=True)
    graph.add_weighted_edges_from(reverse)  # searches from the sites find trips to them
    nodes = sorted(set(sites.node.tolist()))

    def ours() -> np.ndarray:
        return nearest_site_by_node(network, sites.node, with_metres=False).minutes

    def reference() -> dict:
        return nx.multi_source_dijkstra_path_length(graph, nodes)

    found, expected = ours(), reference()
    same = np.allclose(found, [expected[n] for n in range(network.n_nodes)], atol=1e-9)
    seconds = median_seconds(ours, 10)
    reference_seconds = median_seconds(reference, 3)
    return _row(
        f"nearest-site walk minutes, {network.n_nodes:,} City nodes x {len(nodes)} site nodes"
        + ("" if same else " (RESULTS DIFFER)"),
        seconds,
        "< 100 ms, >= 20x",
        same and seconds < 0.1 and reference_seconds / seconds >= 20,
        "networkx multi_source_dijkstra",
        reference_seconds,
    )


def bench_nearest_with_metres(data: metrics.AccessData) -> dict:
    network = walk_network()
    sites = snap(network, _city_sites(data))
    seconds = median_seconds(lambda: nearest_site_by_node(network, sites.node, sites.snap_m), 10)
    return _row(
        "the same with each path's network metres and the sites' joins",
        seconds,
        "reported",
        True,
    ) | {"met": "-"}


def bench_build() -> dict:
    def ours() -> object:
        return walk_network_from_streets(load_streets())

    network = ours()
    coo = network.minutes.tocoo()
    edges = list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))

    def reference() -> object:
        graph = nx.DiGraph()
        graph.add_weighted_edges_from(edges)
        return graph

    seconds = median_seconds(ours, 5)
    return _row(
        "City walking network from data/processed (read + build)",
        seconds,
        "< 1 s",
        seconds < 1.0,
        "networkx DiGraph from the joined edges (no read, no joins)",
        median_seconds(reference, 3),
    )


def bench_within_minutes(data: metrics.AccessData) -> dict:
    network = walk_network()
    tracts = data.population_xy_m[(data.population["fips"] == WALK_AREA_FIPS).to_numpy()]
    sites = _city_sites(data)
    seconds = median_seconds(lambda: pairs_within_minutes(network, tracts, sites, 15.0), 3)
    return _row(
        f"sites within 15 walking minutes, {len(tracts)} tracts x {len(sites)} sites",
        seconds,
        "reported",
        True,
    ) | {"met": "-"}


def run() -> pd.DataFrame:
    """Run every network benchmark; one row each."""
    data = metrics.load_access_data()
    return pd.DataFrame(
        [
            bench_nearest_minutes(data),
            bench_nearest_with_metres(data),
            bench_build(),
            bench_within_minutes(data),
        ]
    )
