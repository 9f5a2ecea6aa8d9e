"""Where new naloxone sites would help most: candidate locations and the maximal
covering location problem (greedy or exact) weighted by the gap measure.

Coverage is a straight line in metres in EPSG:26985 from the 2020 tract centres of
population (:mod:`geo.engine.siting`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from geo.analysis import equity
from geo.analysis.access_data import AccessData
from geo.analysis.selection import demand_for, nearest_sites
from geo.config import MARYLAND_STATE_FIPS
from geo.engine.distance import (
    check_radius_m,
    lonlat_to_xy_m,
    pairs_within_m,
)
from geo.engine.siting import (
    SitingResult,
    coverage_matrix,
    exact_max_cover,
    greedy_max_cover,
    ordered_gains,
)
from geo.errors import InputError

CANDIDATE_KINDS = ("tracts", "health-centers", "treatment", "transit", "bus")
_LAYER_KINDS = {
    "health-centers": "health_center",
    "treatment": "treatment",
    "transit": "rail",
    "bus": "bus",
}
#: The caveat said with every recommended real host site.
CANDIDATE_SITE_CAVEAT_TEXT = (
    "each is a candidate host site, not a naloxone site today (a place where a new "
    "naloxone point could go, if its operator agrees)."
)
#: Default real host sites: health centres, treatment facilities, rail stations.
DEFAULT_HOST_SITES = "health-centers,treatment,transit"
#: The "Recommend among" choices of Access gaps (and of its link, ``candidates=``).
CANDIDATE_CHOICE_VALUES = ("tracts", DEFAULT_HOST_SITES, DEFAULT_HOST_SITES + ",bus")


def parse_candidate_kinds(kinds: str | Iterable[str] | None) -> tuple[str, ...]:
    """Validated candidate kinds (``tracts`` when None); a comma-separated string is
    accepted. ``tracts`` cannot be mixed with host-site kinds."""
    if kinds is None:
        return ("tracts",)
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    chosen = tuple(dict.fromkeys(kinds))
    unknown = [k for k in chosen if k not in CANDIDATE_KINDS]
    if unknown:
        raise InputError(
            f"unknown candidate kind {unknown[0]!r}; choose tracts, or one or more of "
            + ", ".join(CANDIDATE_KINDS[1:])
        )
    if not chosen:
        raise InputError("choose at least one kind of candidate")
    if "tracts" in chosen and len(chosen) > 1:
        raise InputError("choose tracts alone, or real host sites (not both)")
    return chosen


def tract_candidates(data: AccessData, within: str | None = None) -> pd.DataFrame:
    """Candidate locations for new sites: the tract centres of population (only those
    in jurisdiction ``within`` when given), columns candidate_id, fips, lat, lon, kind
    (``tract``), site_name, address, city (empty)."""
    candidates = data.population[["geoid", "fips", "lat", "lon"]].rename(
        columns={"geoid": "candidate_id"}
    )
    if within is not None and within != MARYLAND_STATE_FIPS:
        candidates = candidates[candidates["fips"] == within].reset_index(drop=True)
    return candidates.assign(kind="tract", site_name="", address="", city="")


def candidate_locations(
    data: AccessData, kinds: str | Iterable[str] | None = None, within: str | None = None
) -> pd.DataFrame:
    """The candidates of ``kinds`` (:func:`parse_candidate_kinds`), only those in
    jurisdiction ``within`` when given: tract centres, or real host sites (HRSA health
    centres, SAMHSA treatment facilities, MTA rail/subway/MARC stations, MTA bus stops)
    with their name, address and city."""
    chosen = parse_candidate_kinds(kinds)
    if chosen == ("tracts",):
        return tract_candidates(data, within)
    if data.candidate_sites is None:
        raise InputError("real candidate host sites need the candidate-sites layer")
    layer_kinds = [_LAYER_KINDS[k] for k in chosen]
    sites = data.candidate_sites[data.candidate_sites["kind"].isin(layer_kinds)]
    if within is not None and within != MARYLAND_STATE_FIPS:
        sites = sites[sites["fips"] == within]
    return (
        sites.rename(columns={"name": "site_name"})[
            ["candidate_id", "fips", "lat", "lon", "kind", "site_name", "address", "city"]
        ]
        .reset_index(drop=True)
        .copy()
    )


RECOMMENDATION_COLUMNS = (
    "rank",
    "candidate_id",
    "kind",
    "site_name",
    "address",
    "city",
    "lat",
    "lon",
    "fips",
    "name",
    "newly_covered_population",
    "cumulative_covered_population",
    "gap_reduction",
    "cumulative_gap_reduction",
    "gap_measure",
)


def recommend_sites(
    data: AccessData,
    selected: pd.DataFrame,
    k: int,
    radius_m: float,
    *,
    candidates: pd.DataFrame | None = None,
    method: str = "greedy",
    nearest: pd.DataFrame | None = None,
    gap_measure: str = "residents",
) -> pd.DataFrame:
    """k new locations that most reduce the gap under ``gap_measure``.

    The objective weights each tract's residents beyond reach as the gap measure does
    (:func:`demand_for`; ``residents``: plain residents within ``radius_m``). Candidates
    default to the population points (tract centres). One row per added site in order
    (:data:`RECOMMENDATION_COLUMNS`): ``newly_covered_population`` is residents newly
    within reach, ``gap_reduction`` the measure's units; the ``cumulative_`` columns count
    all added so far. Fewer than k rows when nobody is left to cover.
    """
    if method not in ("greedy", "exact"):
        raise InputError(f"unknown method {method!r}; choose greedy or exact")
    radius_m = check_radius_m(radius_m)
    if candidates is None:
        candidates = tract_candidates(data)
    found = demand_for(data, gap_measure, radius_m)
    result, residents = siting_with_residents(
        data, selected, candidates, k, radius_m, method, nearest=nearest, demand=found
    )
    picked = candidates.iloc[result.chosen].reset_index(drop=True)
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
    empty = pd.Series("", index=picked.index)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(picked) + 1),
            "candidate_id": picked["candidate_id"].to_numpy(),
            "kind": picked.get("kind", pd.Series("tract", index=picked.index)).to_numpy(),
            "site_name": picked.get("site_name", empty).to_numpy(),
            "address": picked.get("address", empty).to_numpy(),
            "city": picked.get("city", empty).to_numpy(),
            "lat": picked["lat"].to_numpy(),
            "lon": picked["lon"].to_numpy(),
            "fips": picked["fips"].to_numpy(),
            "name": [names.get(f, "") for f in picked["fips"]],
            "newly_covered_population": residents.round().astype(np.int64),
            "cumulative_covered_population": np.cumsum(residents).round().astype(np.int64),
            "gap_reduction": result.newly_covered,
            "cumulative_gap_reduction": result.cumulative_covered,
            "gap_measure": gap_measure,
        },
        columns=list(RECOMMENDATION_COLUMNS),
    )


def demand_coverage(
    candidate_xy: np.ndarray, population_xy: np.ndarray, reach_m: np.ndarray
) -> sparse.csr_matrix:
    """Sparse 0/1 ``C[j, i] = 1`` when candidate j is within point i's own reach
    (metres, EPSG:26985; NaN reach: never covered)."""
    finite = reach_m[np.isfinite(reach_m)]
    if len(finite) == 0 or len(candidate_xy) == 0:
        return sparse.csr_matrix((len(candidate_xy), len(population_xy)))
    if np.all(finite == finite[0]) and len(finite) == len(reach_m):
        return coverage_matrix(candidate_xy, population_xy, float(finite[0]))
    pairs = pairs_within_m(candidate_xy, population_xy, float(finite.max()))
    keep = pairs.distance_m <= np.nan_to_num(reach_m[pairs.destination], nan=-1.0)
    return sparse.csr_matrix(
        (np.ones(int(keep.sum())), (pairs.origin[keep], pairs.destination[keep])),
        shape=(pairs.n_origins, pairs.n_destinations),
    )


def siting_on_arrays(
    data: AccessData,
    selected: pd.DataFrame,
    candidates: pd.DataFrame,
    k: int,
    radius_m: float,
    method: str = "greedy",
    *,
    nearest: pd.DataFrame | None = None,
    demand: equity.Demand | None = None,
) -> SitingResult:
    """The MCLP on the projected arrays (see :func:`siting_with_residents`)."""
    return siting_with_residents(
        data, selected, candidates, k, radius_m, method, nearest=nearest, demand=demand
    )[0]


def siting_with_residents(
    data: AccessData,
    selected: pd.DataFrame,
    candidates: pd.DataFrame,
    k: int,
    radius_m: float,
    method: str = "greedy",
    *,
    nearest: pd.DataFrame | None = None,
    demand: equity.Demand | None = None,
) -> tuple[SitingResult, np.ndarray]:
    """The MCLP on the projected arrays, and the residents each chosen site newly brings
    within reach. Weights are the gap measure's weights of the points beyond their reach
    (default: residents beyond ``radius_m``); a candidate covers a point within the
    point's reach (metres, EPSG:26985)."""
    if len(candidates) == 0:
        raise InputError("there are no candidate locations")
    if nearest is None:
        nearest = nearest_sites(data, selected)
    if demand is None:
        demand = demand_for(data, "residents", radius_m)
    distance_m = nearest["distance_m"].to_numpy()
    candidate_xy = lonlat_to_xy_m(candidates["lon"], candidates["lat"])
    cover = demand_coverage(candidate_xy, data.population_xy_m, demand.reach_m)
    solve = greedy_max_cover if method == "greedy" else exact_max_cover
    result = solve(cover, demand.gap(distance_m), k)
    residents, _ = ordered_gains(cover, demand.residents_beyond(distance_m), list(result.chosen))
    return result, residents
