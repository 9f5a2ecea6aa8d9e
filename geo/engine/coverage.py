"""Coverage of population by sites within a radius, on numpy arrays.

Inputs are per population point: ``distance_m`` to the nearest site (metres,
EPSG:26985 straight line) and ``population`` (people).
"""

from __future__ import annotations

import numpy as np

from geo.engine.distance import check_radius_m
from geo.errors import InputError


def _order_by_group_then_value(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Indices sorting by group, then value: a value sort followed by a stable radix
    sort on 16-bit group codes when they fit (much faster than ``np.lexsort``)."""
    if n_groups <= np.iinfo(np.int16).max:
        by_value = np.argsort(values)
        return by_value[np.argsort(group[by_value].astype(np.int16), kind="stable")]
    return np.lexsort((values, group))


def grouped_weighted_quantile(
    values: np.ndarray, weights: np.ndarray, group: np.ndarray, n_groups: int, q: float
) -> np.ndarray:
    """Population-weighted quantile per group: for group g the smallest value v with
    ``Σ_{i in g, values_i <= v} w_i >= q · Σ_{i in g} w_i`` (inverse weighted CDF).

    NaN for a group whose weights sum to zero. Vectorised: one sort, no loop.
    """
    if not 0 <= q <= 1:
        raise InputError(f"quantile must be in [0, 1], got {q}")
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    group = np.asarray(group, dtype=np.int64)
    order = _order_by_group_then_value(values, group, n_groups)
    sorted_values, sorted_groups = values[order], group[order]
    cumulative = np.cumsum(weights[order])
    labels = np.arange(n_groups)
    starts = np.searchsorted(sorted_groups, labels, side="left")
    ends = np.searchsorted(sorted_groups, labels, side="right")
    before = np.concatenate([[0.0], cumulative])[starts]
    totals = np.concatenate([[0.0], cumulative])[ends] - before
    target = before + q * totals - 1e-9 * np.maximum(totals, 1.0)
    position = np.searchsorted(cumulative, target, side="left")
    position = np.clip(position, starts, np.maximum(ends - 1, starts))
    result = np.full(n_groups, np.nan)
    has_weight = (totals > 0) & (ends > starts)
    result[has_weight] = sorted_values[position[has_weight]]
    return result


def coverage_by_group(
    distance_m: np.ndarray,
    population: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    radius_m: float,
    quantile: float = 0.9,
) -> dict[str, np.ndarray]:
    """Per group g (integer codes ``0 … n_groups-1``):

    - ``population``: ``P_g = Σ p_i``
    - ``covered``: ``Σ p_i [d_i <= r]`` (people within ``radius_m`` of a site)
    - ``share_covered``: covered / P_g (NaN where P_g = 0)
    - ``mean_distance_m``: ``Σ p_i d_i / P_g``
    - ``quantile_distance_m``: population-weighted ``quantile`` of d_i
    """
    radius_m = check_radius_m(radius_m)
    distance_m = np.asarray(distance_m, dtype=float)
    population = np.asarray(population, dtype=float)
    group = np.asarray(group, dtype=np.int64)
    if np.isnan(distance_m).any():
        raise ValueError("distances contain NaN")
    totals = np.bincount(group, weights=population, minlength=n_groups)
    covered = np.bincount(group, weights=population * (distance_m <= radius_m), minlength=n_groups)
    weighted = np.bincount(group, weights=population * distance_m, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, covered / totals, np.nan)
        mean = np.where(totals > 0, weighted / totals, np.nan)
    quantiles = grouped_weighted_quantile(distance_m, population, group, n_groups, quantile)
    return {
        "population": totals,
        "covered": covered,
        "share_covered": share,
        "mean_distance_m": mean,
        "quantile_distance_m": quantiles,
    }
