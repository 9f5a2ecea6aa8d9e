"""A directed street network as ``scipy.sparse`` CSR matrices, built from line segments.

Coordinates are metres in NAD83 / Maryland State Plane (EPSG:26985). Nodes are segment end
points; end points within ``join_m`` (0.5 m) of each other are one node (single-linkage:
chains of close points merge). Each segment gives an edge ``a → b`` (and ``b → a`` unless it
is one-way) whose cost is ``length_m / speed_m_per_min`` minutes; of parallel edges the
quickest is kept, self-loops are dropped. Only the largest strongly connected component is
kept, so every kept node can reach every other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from geo.errors import InputError
from geo.network.modes import JOIN_TOLERANCE_M, Mode


@dataclass(frozen=True, eq=False)
class Network:
    """A routable network: ``minutes[i, j]`` is the travel time (minutes) of the edge
    ``i → j`` and ``metres[i, j]`` its length (metres); ``node_xy`` (n, 2) in EPSG:26985."""

    mode: Mode
    node_xy: np.ndarray
    minutes: sparse.csr_matrix
    metres: sparse.csr_matrix
    #: Nodes and edges before the largest component was taken (for reports).
    n_nodes_all: int = 0
    n_edges_all: int = 0
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_nodes(self) -> int:
        """Nodes kept (the largest strongly connected component)."""
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        """Directed edges kept."""
        return int(self.minutes.nnz)

    @cached_property
    def reverse_minutes(self) -> sparse.csr_matrix:
        """``minutes`` transposed: a search from a site on it finds trips *to* the site."""
        return self.minutes.T.tocsr()

    @cached_property
    def reverse_metres(self) -> sparse.csr_matrix:
        """``metres`` transposed, aligned with :attr:`reverse_minutes`."""
        return self.metres.T.tocsr()

    @cached_property
    def tree(self) -> cKDTree:
        """A k-d tree of the nodes, for snapping points."""
        return cKDTree(self.node_xy)


def _join_end_points(points_xy: np.ndarray, join_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Node label of every point and each node's coordinates (its first point)."""
    n = len(points_xy)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 2))
    pairs = cKDTree(points_xy).query_pairs(join_m, output_type="ndarray")
    close = sparse.coo_matrix(
        (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
    ).tocsr()
    _, label = connected_components(close, directed=False)
    # Number nodes in order of first appearance; each node sits at its first point.
    first = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    order = np.argsort(first, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    return renumber[label].astype(np.int64), points_xy[first[order]]


def build_network(
    start_xy: np.ndarray,
    end_xy: np.ndarray,
    length_m: np.ndarray,
    speed_m_per_min: np.ndarray | float,
    mode: Mode,
    *,
    forward: np.ndarray | None = None,
    backward: np.ndarray | None = None,
    join_m: float = JOIN_TOLERANCE_M,
    keep_largest: bool = True,
) -> Network:
    """The network of ``k`` segments: ``start_xy``/``end_xy`` (k, 2) end points (metres,
    EPSG:26985), ``length_m`` (k,) along the line, ``speed_m_per_min`` (scalar or (k,)).

    ``forward``/``backward`` (k,) booleans say whether a segment may be travelled from start
    to end / end to start (default: both, as for walking). ``keep_largest=False`` keeps
    every node (for tests of unreachable nodes). Raises ``ValueError`` on bad arrays.
    """
    start_xy = np.asarray(start_xy, dtype=float).reshape(-1, 2)
    end_xy = np.asarray(end_xy, dtype=float).reshape(-1, 2)
    length_m = np.asarray(length_m, dtype=float).ravel()
    k = len(length_m)
    if len(start_xy) != k or len(end_xy) != k:
        raise ValueError("start, end and length arrays differ in length")
    speed = np.broadcast_to(np.asarray(speed_m_per_min, dtype=float), (k,))
    for name, values in (("coordinates", start_xy), ("coordinates", end_xy), ("length", length_m)):
        if not np.isfinite(values).all():
            raise ValueError(f"segment {name} contain NaN or infinite values")
    if (length_m < 0).any():
        raise InputError("segment lengths must not be negative")
    if not (np.isfinite(speed) & (speed > 0)).all():
        raise InputError("speeds must be positive numbers of metres per minute")
    forward = np.ones(k, bool) if forward is None else np.asarray(forward, bool).ravel()
    backward = np.ones(k, bool) if backward is None else np.asarray(backward, bool).ravel()
    if len(forward) != k or len(backward) != k:
        raise ValueError("direction arrays differ in length from the segments")
    label, node_xy = _join_end_points(np.concatenate([start_xy, end_xy]), join_m)
    a, b = label[:k], label[k:]
    tail = np.concatenate([a[forward], b[backward]])
    head = np.concatenate([b[forward], a[backward]])
    metres = np.concatenate([length_m[forward], length_m[backward]])
    minutes = metres / np.concatenate([speed[forward], speed[backward]])
    keep = tail != head
    tail, head, metres, minutes = tail[keep], head[keep], metres[keep], minutes[keep]
    # Of parallel edges keep the quickest (CSR construction would add them up).
    order = np.lexsort((metres, minutes, head, tail))
    tail, head, metres, minutes = tail[order], head[order], metres[order], minutes[order]
    first = np.ones(len(tail), bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, metres, minutes = tail[first], head[first], metres[first], minutes[first]
    n_all, e_all = len(node_xy), len(tail)
    if keep_largest and n_all:
        graph = sparse.csr_matrix((minutes, (tail, head)), shape=(n_all, n_all))
        _, component = connected_components(graph, directed=True, connection="strong")
        largest = np.argmax(np.bincount(component))
        kept = component == largest
        new_index = np.full(n_all, -1, dtype=np.int64)
        new_index[kept] = np.arange(int(kept.sum()))
        inside = kept[tail] & kept[head]
        tail, head = new_index[tail[inside]], new_index[head[inside]]
        metres, minutes = metres[inside], minutes[inside]
        node_xy = node_xy[kept]
    n = len(node_xy)
    return Network(
        mode,
        node_xy,
        sparse.csr_matrix((minutes, (tail, head)), shape=(n, n)),
        sparse.csr_matrix((metres, (tail, head)), shape=(n, n)),
        n_all,
        e_all,
    )
