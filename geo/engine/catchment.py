"""Two-step floating catchment area (2SFCA) and enhanced 2SFCA, on numpy arrays.

With demand ``P_i`` (population at point i), supply ``S_j`` (capacity of site
j; 1 per site when stock is unknown), distances ``d_ij`` (metres) and a
distance-decay weight ``w(d)`` that is 0 beyond the catchment ``d0``:

- step 1, supply-to-demand ratio of each site: ``R_j = S_j / Σ_i w(d_ij) P_i``
- step 2, accessibility of each point:        ``A_i = Σ_j w(d_ij) R_j``

2SFCA is ``w = 1`` for ``d <= d0``; the enhanced 2SFCA (Luo & Qi 2009) uses
a step or Gaussian decay inside the catchment, in both steps. A site with no
population in its catchment has ``R_j = 0``. ``A_i`` is sites per person;
multiply by 100,000 for sites per 100,000 residents. This follows PySAL
``access`` (``two_stage_fca`` / ``enhanced_two_stage_fca``), which the tests
use as the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from geo.engine.distance import Pairs
from geo.errors import InputError

WeightFunction = Callable[[np.ndarray], np.ndarray]


def step_weights(steps_m: Mapping[float, float]) -> WeightFunction:
    """Stepwise decay: ``w(d) = w_k`` for the smallest threshold ``t_k >= d``; 0 beyond
    the largest threshold. ``steps_m`` maps thresholds (metres) to weights."""
    if not steps_m:
        raise InputError("step weights need at least one threshold")
    thresholds = np.array(sorted(steps_m), dtype=float)
    values = np.array([steps_m[t] for t in sorted(steps_m)], dtype=float)
    if (values < 0).any():
        raise InputError("step weights must not be negative")

    def weight(distance_m: np.ndarray) -> np.ndarray:
        position = np.searchsorted(thresholds, distance_m, side="left")
        out = np.zeros(len(distance_m), dtype=float)
        inside = position < len(thresholds)
        out[inside] = values[position[inside]]
        return out

    return weight


def gaussian_weights(sigma_m: float) -> WeightFunction:
    """Gaussian decay ``w(d) = exp(-d² / (2 σ²))``, σ in metres (w(0) = 1)."""
    if not np.isfinite(sigma_m) or sigma_m <= 0:
        raise InputError(f"sigma must be a positive number of metres, got {sigma_m}")
    return lambda distance_m: np.exp(-(distance_m * distance_m) / (2.0 * sigma_m * sigma_m))


def two_step_fca(
    demand: np.ndarray,
    supply: np.ndarray,
    pairs: Pairs,
    catchment_m: float,
    weight: WeightFunction | None = None,
) -> np.ndarray:
    """Accessibility ``A_i`` of every demand point (see module docstring).

    ``pairs`` must hold every demand-supply pair within ``catchment_m`` metres
    (``geo.engine.distance.pairs_within_m``); ``weight=None`` is the classic 2SFCA.
    """
    if not np.isfinite(catchment_m) or catchment_m <= 0:
        raise InputError(f"catchment must be a positive number of metres, got {catchment_m}")
    demand = np.asarray(demand, dtype=float)
    supply = np.asarray(supply, dtype=float)
    if len(demand) != pairs.n_origins or len(supply) != pairs.n_destinations:
        raise InputError("demand/supply lengths do not match the pairs")
    inside = pairs.distance_m <= catchment_m
    origin = pairs.origin[inside]
    destination = pairs.destination[inside]
    distance = pairs.distance_m[inside]
    w = np.ones(len(distance)) if weight is None else np.asarray(weight(distance), dtype=float)
    catchment_demand = np.bincount(destination, weights=w * demand[origin], minlength=len(supply))
    ratio = np.divide(
        supply, catchment_demand, out=np.zeros(len(supply)), where=catchment_demand > 0
    )
    return np.bincount(origin, weights=w * ratio[destination], minlength=len(demand))
