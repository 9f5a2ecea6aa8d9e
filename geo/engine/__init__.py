"""The access engine: numpy arrays in, numpy arrays out, no data frames.

Distances are straight lines in metres between points projected to NAD83 /
Maryland State Plane (EPSG:26985). Nearest site, coverage within a radius, the
two-step floating catchment (2SFCA / E2SFCA) and maximal covering siting. Nothing
here knows about layers, files, pages or the store: :mod:`geo.analysis` wraps it.
"""

from geo.engine.catchment import gaussian_weights, step_weights, two_step_fca
from geo.engine.coverage import coverage_by_group, grouped_weighted_quantile
from geo.engine.distance import (
    Pairs,
    check_radius_m,
    lonlat_to_xy_m,
    m_to_miles,
    nearest_m,
    pairs_within_m,
)
from geo.engine.siting import SitingResult, coverage_matrix, exact_max_cover, greedy_max_cover

__all__ = [
    "Pairs",
    "SitingResult",
    "check_radius_m",
    "coverage_by_group",
    "coverage_matrix",
    "exact_max_cover",
    "gaussian_weights",
    "greedy_max_cover",
    "grouped_weighted_quantile",
    "lonlat_to_xy_m",
    "m_to_miles",
    "nearest_m",
    "pairs_within_m",
    "step_weights",
    "two_step_fca",
]
