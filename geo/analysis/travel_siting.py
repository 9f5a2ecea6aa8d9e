"""New sites by travel time: the maximal covering location problem (greedy or exact) on
travel-time coverage sets, weighted by the gap measure, over the area a network covers.

A candidate j covers tract i when the trip from i's centre to j on the network takes at
most T minutes (both straight-line joins at the mode's speed included:
:func:`geo.network.travel.coverage_matrix_minutes`). Tract i weighs what the gap measure
gives it (:func:`geo.analysis.selection.demand_for`: residents, expected deaths,
SVI-weighted or car-free residents; rurality: residents) when its quickest trip to a listed
site of the area is longer than T, else nothing: the same coverage sets serve
:func:`geo.engine.siting.greedy_max_cover` and :func:`~geo.engine.siting.exact_max_cover`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.access_data import AccessData
from geo.analysis.recommend import RECOMMENDATION_COLUMNS, candidate_locations
from geo.analysis.selection import demand_for
from geo.engine.distance import lonlat_to_xy_m
from geo.engine.siting import exact_max_cover, greedy_max_cover, ordered_gains
from geo.errors import InputError
from geo.network.installed import CoveredNetwork

#: The columns of a travel-time recommendation, in order: the straight-line ones (less the
#: jurisdiction name) and the measure with its threshold in minutes.
TRAVEL_RECOMMENDATION_COLUMNS = (
    *(column for column in RECOMMENDATION_COLUMNS if column != "name"),
    "measure",
    "minutes",
)


def area_candidates(
    data: AccessData, covered: CoveredNetwork, kinds: str | tuple[str, ...] | None
) -> pd.DataFrame:
    """The candidates of ``kinds`` (tract centres by default, or real host sites) inside
    the network's area (:func:`geo.analysis.recommend.candidate_locations`)."""
    found = candidate_locations(data, kinds)
    xy = lonlat_to_xy_m(found["lon"].to_numpy(float), found["lat"].to_numpy(float))
    return found.loc[covered.inside(xy, found["fips"].to_numpy())].reset_index(drop=True)


def recommend_by_minutes(
    data: AccessData,
    covered: CoveredNetwork,
    travel: pd.DataFrame,
    minutes: float,
    k: int,
    *,
    gap_measure: str = "residents",
    method: str = "greedy",
    candidates: str | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Up to ``k`` candidates of the network's area that most reduce the gap measure in
    travel minutes (:data:`TRAVEL_RECOMMENDATION_COLUMNS`, best first):
    ``newly_covered_population`` residents newly within ``minutes`` of a site,
    ``gap_reduction`` the measure's units; ``cumulative_`` columns count all added so far.
    Fewer rows when nobody is left to cover."""
    if method not in ("greedy", "exact"):
        raise InputError(f"unknown method {method!r}; choose greedy or exact")
    from geo.network.travel import coverage_matrix_minutes

    inside = covered.inside(data.population_xy_m, data.population["fips"].to_numpy())
    trip = np.full(len(inside), np.nan)
    position = {g: i for i, g in enumerate(data.population["geoid"])}
    trip[travel["geoid"].map(position).to_numpy(dtype=np.int64)] = travel["minutes"].to_numpy(
        dtype=float
    )
    found = demand_for(data, gap_measure, 1.0)
    with np.errstate(invalid="ignore"):
        beyond = inside & (trip > minutes)
    weight = np.where(beyond & ~found.unknown, found.weight, 0.0)[inside]
    residents = np.where(beyond, found.residents, 0.0)[inside]
    pool = area_candidates(data, covered, candidates)
    empty = pd.DataFrame(columns=list(TRAVEL_RECOMMENDATION_COLUMNS))
    k = min(int(k), len(pool))
    if k < 1 or weight.sum() == 0:
        return empty
    candidate_xy = lonlat_to_xy_m(pool["lon"].to_numpy(float), pool["lat"].to_numpy(float))
    cover = coverage_matrix_minutes(
        covered.network, candidate_xy, data.population_xy_m[inside], minutes
    )
    result = (greedy_max_cover if method == "greedy" else exact_max_cover)(cover, weight, k)
    people, _ = ordered_gains(cover, residents, list(result.chosen))
    chosen = pool.iloc[result.chosen].reset_index(drop=True)
    out = chosen[["candidate_id", "kind", "site_name", "address", "city", "lat", "lon", "fips"]]
    out = out.assign(
        rank=np.arange(1, len(chosen) + 1),
        newly_covered_population=people.round().astype(np.int64),
        cumulative_covered_population=np.cumsum(people).round().astype(np.int64),
        gap_reduction=result.newly_covered,
        cumulative_gap_reduction=result.cumulative_covered,
        gap_measure=gap_measure,
        measure=covered.network.mode.label,
        minutes=float(minutes),
    )
    return out[list(TRAVEL_RECOMMENDATION_COLUMNS)]
