"""Where new sites would help most: maximal covering location (MCLP), on arrays.

Keeping the existing sites, choose up to k candidate locations that maximise
the population newly brought within radius r of a site:

    maximise  Σ_i w_i y_i
    subject to y_i <= Σ_{j : d_ij <= r} x_j,   Σ_j x_j <= k,   x, y ∈ {0, 1}

where ``w_i`` is the population of demand point i not yet covered by an
existing site. :func:`greedy_max_cover` adds, k times, the candidate with the
largest newly covered population (a (1 - 1/e)-approximation, fast enough for
interactive use); :func:`exact_max_cover` solves the sparse MILP with PuLP's
bundled CBC, to check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from geo.engine.distance import pairs_within_m
from geo.errors import InputError


@dataclass(frozen=True)
class SitingResult:
    """Chosen candidates in order of addition, each with the population it newly
    covers (given those before it) and the running total."""

    chosen: np.ndarray
    newly_covered: np.ndarray
    cumulative_covered: np.ndarray
    method: str


def coverage_matrix(
    candidate_xy: np.ndarray, demand_xy: np.ndarray, radius_m: float
) -> sparse.csr_matrix:
    """Sparse 0/1 matrix ``C[j, i] = 1`` when candidate j is within ``radius_m`` of point i."""
    pairs = pairs_within_m(candidate_xy, demand_xy, radius_m)
    data = np.ones(len(pairs.origin), dtype=float)
    return sparse.csr_matrix(
        (data, (pairs.origin, pairs.destination)), shape=(pairs.n_origins, pairs.n_destinations)
    )


def _check_k(k: int, n_candidates: int) -> None:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise InputError(f"k must be a whole number of at least 1, got {k!r}")
    if k > n_candidates:
        raise InputError(f"k = {k} is larger than the number of candidates ({n_candidates})")


def ordered_gains(
    cover: sparse.csr_matrix, weights: np.ndarray, chosen: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The weight each of ``chosen`` (in order) newly covers, and the running total."""
    remaining = weights.astype(float).copy()
    newly = []
    for j in chosen:
        rows = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        newly.append(remaining[rows].sum())
        remaining[rows] = 0.0
    newly_arr = np.array(newly, dtype=float)
    return newly_arr, np.cumsum(newly_arr)


def greedy_max_cover(
    cover: sparse.csr_matrix, uncovered_weight: np.ndarray, k: int
) -> SitingResult:
    """Greedy MCLP: repeatedly add the candidate covering the most uncovered weight.

    Stops early when no candidate covers anyone new. Ties go to the lowest index.

    Parameters
    ----------
    cover : scipy.sparse.csr_matrix
        Candidates × demand points, 1 where the candidate covers the point.
    uncovered_weight : numpy.ndarray
        Weight of each demand point not yet covered (residents; 0 when covered).
    k : int
        How many candidates to choose (at least 1, at most the number of candidates).

    Returns
    -------
    SitingResult
        The chosen candidate indices in order, each one's newly covered weight and the total.

    Examples
    --------
    >>> from scipy import sparse
    >>> cover = sparse.csr_matrix([[1, 1, 0], [0, 1, 1], [0, 0, 1]])
    >>> greedy_max_cover(cover, np.array([5.0, 1.0, 7.0]), 2).chosen.tolist()
    [1, 0]
    """
    _check_k(k, cover.shape[0])
    remaining = np.asarray(uncovered_weight, dtype=float).copy()
    if (remaining < 0).any() or not np.isfinite(remaining).all():
        raise InputError("weights must be finite and non-negative")
    chosen: list[int] = []
    for _ in range(k):
        gains = cover @ remaining
        if chosen:
            gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
        remaining[cover.indices[cover.indptr[best] : cover.indptr[best + 1]]] = 0.0
    newly, cumulative = ordered_gains(cover, np.asarray(uncovered_weight, float), chosen)
    return SitingResult(np.array(chosen, dtype=np.int64), newly, cumulative, "greedy")


def exact_max_cover(
    cover: sparse.csr_matrix,
    uncovered_weight: np.ndarray,
    k: int,
    *,
    time_limit_s: float | None = 60.0,
) -> SitingResult:
    """Exact MCLP by sparse MILP (PuLP + CBC). Chosen sites are reported in greedy
    order among themselves so that the running totals are comparable."""
    _check_k(k, cover.shape[0])
    weights = np.asarray(uncovered_weight, dtype=float)
    useful_demand = np.flatnonzero((weights > 0) & (np.asarray(cover.sum(axis=0)).ravel() > 0))
    if len(useful_demand) == 0:
        return SitingResult(np.empty(0, np.int64), np.empty(0), np.empty(0), "exact")
    by_demand = cover[:, useful_demand].tocsc()
    useful_candidates = np.flatnonzero(np.diff(by_demand.tocsr().indptr) > 0)
    import pulp  # only here: the dashboard's greedy siting never loads it

    problem = pulp.LpProblem("maximal_covering", pulp.LpMaximize)
    x = {j: problem.add_variable(f"x_{j}", cat="Binary") for j in useful_candidates}
    y = {i: problem.add_variable(f"y_{i}", lowBound=0, upBound=1) for i in useful_demand}
    problem += pulp.lpSum(weights[i] * y[i] for i in useful_demand)
    for column, i in enumerate(useful_demand):
        rows = by_demand.indices[by_demand.indptr[column] : by_demand.indptr[column + 1]]
        problem += y[i] <= pulp.lpSum(x[j] for j in rows)
    problem += pulp.lpSum(x.values()) <= k
    status = problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s))
    if pulp.LpStatus[status] != "Optimal":
        raise RuntimeError(f"CBC did not find an optimal solution ({pulp.LpStatus[status]})")
    picked = [int(j) for j in useful_candidates if (x[j].value() or 0) > 0.5]
    order: Sequence[int] | np.ndarray = (
        greedy_max_cover(cover[picked], weights, len(picked)).chosen if picked else []
    )
    chosen = [picked[i] for i in order]
    newly, cumulative = ordered_gains(cover, weights, chosen)
    return SitingResult(np.array(chosen, dtype=np.int64), newly, cumulative, "exact")
