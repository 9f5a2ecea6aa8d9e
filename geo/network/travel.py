"""Travel times on a :class:`~geo.network.graph.Network`: snapping points, nearest-site
minutes for every node in one multi-source Dijkstra, capped searches and coverage sets.

A trip from origin o to site s takes

    minutes = snap_o / v + t(node_o → node_s) + snap_s / v

where ``snap`` is the straight-line distance (metres, EPSG:26985) from a point to the nearest
node of the network, ``v`` the mode's access speed (m/min) and ``t`` the shortest network
time (minutes). ``network_m`` is the length of that network path (metres, snaps excluded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from geo.errors import InputError
from geo.network.graph import Network
from geo.network.modes import FAR_FROM_NETWORK_M

NO_SITE = -1


@dataclass(frozen=True)
class Snap:
    """Each point's nearest network node and the straight-line distance to it (metres)."""

    node: np.ndarray
    snap_m: np.ndarray

    @property
    def far(self) -> np.ndarray:
        """True where the point is more than 500 m from the network (flagged, kept)."""
        return self.snap_m > FAR_FROM_NETWORK_M


def snap(network: Network, points_xy: np.ndarray) -> Snap:
    """The nearest node (of the kept component) of every point (n, 2), metres EPSG:26985."""
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    if not np.isfinite(points_xy).all():
        raise ValueError("points contain NaN or infinite coordinates")
    if network.n_nodes == 0:
        raise ValueError("the network has no nodes")
    if len(points_xy) == 0:
        return Snap(np.empty(0, dtype=np.int64), np.empty(0))
    distance_m, node = network.tree.query(points_xy, k=1)
    return Snap(np.asarray(node, dtype=np.int64), np.asarray(distance_m, dtype=float))


@dataclass(frozen=True)
class NodeNearest:
    """Per network node: minutes to the nearest site (site snap included), that site's
    index (``-1`` when none is reachable) and the network metres of the path."""

    minutes: np.ndarray
    site: np.ndarray
    network_m: np.ndarray


def _path_sums(predecessor: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Sum of ``step`` along each node's predecessor chain (pointer doubling, no loop over
    nodes): ``total[v] = step[v] + step[pred[v]] + …`` until a root (pred < 0)."""
    total = step.astype(float).copy()
    parent = predecessor.astype(np.int64).copy()
    while True:
        active = parent >= 0
        if not active.any():
            return total
        total[active] += total[parent[active]]
        parent[active] = parent[parent[active]]


def _edge_values(matrix: sparse.csr_matrix, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    """``matrix[tail[k], head[k]]`` for edges known to exist (sorted CSR rows, binary
    search within each row: no sparse fancy indexing)."""
    matrix = matrix if matrix.has_sorted_indices else matrix.sorted_indices()
    key = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)) * matrix.shape[1]
    key = key + matrix.indices
    return matrix.data[np.searchsorted(key, tail * matrix.shape[1] + head)]


def nearest_site_by_node(
    network: Network,
    site_node: np.ndarray,
    site_snap_m: np.ndarray | None = None,
    *,
    with_metres: bool = True,
) -> NodeNearest:
    """Minutes from every node to its nearest site, in one multi-source Dijkstra
    (``scipy.sparse.csgraph.dijkstra(..., min_only=True)``) on the reversed graph.

    Each site j is a virtual node ``n + j`` with one edge to ``site_node[j]`` of
    ``site_snap_m[j] / v`` minutes, so the site's join counts in the trip. Ties go to
    either tied site (the minutes are the same). ``with_metres=False`` skips the network
    metres of each path (NaN), which only the reports need.
    """
    site_node = np.asarray(site_node, dtype=np.int64).ravel()
    m, n = len(site_node), network.n_nodes
    if m == 0:
        raise InputError("there are no sites to measure travel time to")
    snap_m = np.zeros(m) if site_snap_m is None else np.asarray(site_snap_m, float).ravel()
    reverse = network.reverse_minutes
    # The reversed graph with m virtual rows appended (one edge each): CSR built directly.
    size = n + m
    graph = sparse.csr_matrix(
        (
            np.concatenate([reverse.data, snap_m / network.mode.access_speed_m_per_min]),
            np.concatenate([reverse.indices, site_node]).astype(reverse.indices.dtype),
            np.concatenate([reverse.indptr, reverse.indptr[-1] + np.arange(1, m + 1)]).astype(
                reverse.indptr.dtype
            ),
        ),
        shape=(size, size),
    )
    distance, predecessor, source = dijkstra(
        graph, directed=True, indices=n + np.arange(m), min_only=True, return_predecessors=True
    )
    site = np.where(source[:n] >= n, source[:n] - n, NO_SITE).astype(np.int64)
    if not with_metres:
        return NodeNearest(distance[:n], site, np.full(n, np.nan))
    # Network metres: each node's step from its predecessor, summed along the chain.
    step = np.zeros(size)
    inner = np.flatnonzero((predecessor >= 0) & (predecessor < n))
    step[inner] = _edge_values(network.reverse_metres, predecessor[inner], inner)
    parent = np.where((predecessor >= 0) & (predecessor < n), predecessor, -1)
    network_m = _path_sums(parent[:n], step[:n])
    network_m = np.where(np.isfinite(distance[:n]), network_m, np.inf)
    return NodeNearest(distance[:n], site, network_m)


@dataclass(frozen=True)
class NearestTrips:
    """Per origin: the nearest site (index, ``-1`` when unreachable), the trip in minutes
    (both snaps included), the network metres and both snap distances (metres)."""

    site: np.ndarray
    minutes: np.ndarray
    network_m: np.ndarray
    origin_snap_m: np.ndarray
    site_snap_m: np.ndarray

    @property
    def far_from_network(self) -> np.ndarray:
        """True where the origin or its site is more than 500 m from the network."""
        return (self.origin_snap_m > FAR_FROM_NETWORK_M) | (self.site_snap_m > FAR_FROM_NETWORK_M)


def nearest_trips(network: Network, origin_xy: np.ndarray, site_xy: np.ndarray) -> NearestTrips:
    """The quickest trip from every origin (n, 2) to any site (m, 2), metres EPSG:26985."""
    origins = snap(network, origin_xy)
    sites = snap(network, site_xy)
    by_node = nearest_site_by_node(network, sites.node, sites.snap_m)
    site = by_node.site[origins.node]
    reached = site >= 0
    minutes = by_node.minutes[origins.node] + origins.snap_m / network.mode.access_speed_m_per_min
    site_snap = np.full(len(site), np.nan)
    site_snap[reached] = sites.snap_m[site[reached]]
    return NearestTrips(site, minutes, by_node.network_m[origins.node], origins.snap_m, site_snap)


@dataclass(frozen=True)
class TimePairs:
    """(origin, site) pairs no more than a cut-off apart: parallel arrays, minutes."""

    origin: np.ndarray
    site: np.ndarray
    minutes: np.ndarray
    n_origins: int
    n_sites: int


def pairs_within_minutes(
    network: Network,
    origin_xy: np.ndarray,
    site_xy: np.ndarray,
    limit_minutes: float,
    *,
    batch: int = 64,
) -> TimePairs:
    """Every (origin, site) pair whose trip (snaps included) takes at most
    ``limit_minutes``: Dijkstra from each site on the reversed graph, cut off at the limit
    (``dijkstra(..., limit=T)``), sites taken ``batch`` at a time to bound memory."""
    limit = float(limit_minutes)
    if not np.isfinite(limit) or limit <= 0:
        raise InputError(
            f"the time limit must be a positive number of minutes, got {limit_minutes}"
        )
    origins = snap(network, origin_xy)
    sites = snap(network, site_xy)
    speed = network.mode.access_speed_m_per_min
    origin_extra = origins.snap_m / speed
    found_o, found_s, found_t = [], [], []
    for start in range(0, len(sites.node), batch):
        chunk = np.arange(start, min(start + batch, len(sites.node)))
        times = dijkstra(
            network.reverse_minutes, directed=True, indices=sites.node[chunk], limit=limit
        )[:, origins.node]
        total = times + origin_extra[None, :] + (sites.snap_m[chunk] / speed)[:, None]
        s, o = np.nonzero(total <= limit)
        found_o.append(o)
        found_s.append(chunk[s])
        found_t.append(total[s, o])
    if not found_o:
        empty = np.empty(0, dtype=np.int64)
        return TimePairs(empty, empty, np.empty(0), len(origins.node), len(sites.node))
    return TimePairs(
        np.concatenate(found_o).astype(np.int64),
        np.concatenate(found_s).astype(np.int64),
        np.concatenate(found_t),
        len(origins.node),
        len(sites.node),
    )


def coverage_matrix_minutes(
    network: Network, candidate_xy: np.ndarray, demand_xy: np.ndarray, limit_minutes: float
) -> sparse.csr_matrix:
    """Sparse 0/1 ``C[j, i] = 1`` when demand point i reaches candidate j within
    ``limit_minutes``: the coverage sets :func:`geo.engine.siting.greedy_max_cover` and
    :func:`~geo.engine.siting.exact_max_cover` take."""
    pairs = pairs_within_minutes(network, demand_xy, candidate_xy, limit_minutes)
    return sparse.csr_matrix(
        (np.ones(len(pairs.origin)), (pairs.site, pairs.origin)),
        shape=(pairs.n_sites, pairs.n_origins),
    )


def two_step_fca_minutes(
    demand: np.ndarray,
    supply: np.ndarray,
    pairs: TimePairs,
    catchment_minutes: float,
    weight=None,
) -> np.ndarray:
    """2SFCA accessibility ``A_i`` (sites per person) with a catchment in minutes:
    :func:`geo.engine.catchment.two_step_fca` (the formula does not depend on the unit)
    on the trips of ``pairs``; ``weight`` maps minutes to a decay weight."""
    from geo.engine.catchment import two_step_fca
    from geo.engine.distance import Pairs

    as_pairs = Pairs(pairs.origin, pairs.site, pairs.minutes, pairs.n_origins, pairs.n_sites)
    return two_step_fca(demand, supply, as_pairs, float(catchment_minutes), weight)


@dataclass(frozen=True)
class OriginTrips:
    """From one origin to every site: minutes (both joins included), network metres and
    the sites' join distances (metres); ``origin_snap_m`` is the origin's."""

    minutes: np.ndarray
    network_m: np.ndarray
    site_snap_m: np.ndarray
    origin_snap_m: float


def trips_from_origin(network: Network, origin_xy: np.ndarray, site_xy: np.ndarray) -> OriginTrips:
    """Trips from one origin (x, y metres) to each site (m, 2): one single-source Dijkstra
    on the forward graph."""
    origin = snap(network, np.asarray(origin_xy, dtype=float).reshape(1, 2))
    sites = snap(network, site_xy)
    distance, predecessor = dijkstra(
        network.minutes, directed=True, indices=int(origin.node[0]), return_predecessors=True
    )
    step = np.zeros(network.n_nodes)
    has_parent = predecessor >= 0
    step[has_parent] = _edge_values(
        network.metres, predecessor[has_parent], np.flatnonzero(has_parent)
    )
    network_m = _path_sums(np.where(has_parent, predecessor, -1), step)
    speed = network.mode.access_speed_m_per_min
    minutes = origin.snap_m[0] / speed + distance[sites.node] + sites.snap_m / speed
    reached = np.isfinite(distance[sites.node])
    return OriginTrips(
        minutes,
        np.where(reached, network_m[sites.node], np.inf),
        sites.snap_m,
        float(origin.snap_m[0]),
    )
