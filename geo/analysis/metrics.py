"""Access metrics per jurisdiction and statewide, for any subset of sites.

Thin DataFrame wrappers over the array code in :mod:`geo.engine.distance`,
:mod:`geo.engine.coverage`, :mod:`geo.engine.catchment` and :mod:`geo.engine.siting`.
Distances are straight lines in metres in EPSG:26985 from the 2020 tract centres of
population; tables report miles for people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis import ranking
from geo.analysis.access_data import (
    DEATH_RATE_COLUMNS,
    DECAYS,
    DEFAULT_CATCHMENT_MILES,
    E2SFCA_ZONE_WEIGHTS,
    PER_100K,
    STATE_NAME,
    AccessData,
    load_access_data,
    make_access_data,
)
from geo.analysis.recommend import (
    CANDIDATE_KINDS,
    CANDIDATE_SITE_CAVEAT_TEXT,
    DEFAULT_HOST_SITES,
    RECOMMENDATION_COLUMNS,
    candidate_locations,
    demand_coverage,
    parse_candidate_kinds,
    recommend_sites,
    siting_on_arrays,
    siting_with_residents,
    tract_candidates,
)
from geo.analysis.selection import (
    catchment_access,
    decay_function,
    demand_for,
    nearest_sites,
    parse_site_types,
    radius_m_from,
    select_sites,
    what_if_sites,
)
from geo.config import MARYLAND_STATE_FIPS, METRES_PER_MILE
from geo.engine.coverage import coverage_by_group
from geo.engine.distance import (
    check_radius_m,
    m_to_miles,
)
from geo.errors import InputError

__all__ = [
    "CANDIDATE_KINDS",
    "CANDIDATE_SITE_CAVEAT_TEXT",
    "DECAYS",
    "DEFAULT_CATCHMENT_MILES",
    "DEFAULT_HOST_SITES",
    "E2SFCA_ZONE_WEIGHTS",
    "METRIC_COLUMNS",
    "PER_100K",
    "RECOMMENDATION_COLUMNS",
    "STATE_NAME",
    "AccessData",
    "candidate_locations",
    "catchment_access",
    "decay_function",
    "demand_coverage",
    "demand_for",
    "gap_ranking",
    "jurisdiction_metrics",
    "load_access_data",
    "make_access_data",
    "nearest_sites",
    "parse_candidate_kinds",
    "parse_site_types",
    "radius_m_from",
    "recommend_sites",
    "select_sites",
    "siting_on_arrays",
    "siting_with_residents",
    "tract_candidates",
    "what_if_sites",
]


METRIC_COLUMNS = (
    "fips",
    "name",
    "population",
    "sites",
    "sites_per_100k",
    "pop_within_radius",
    "pct_pop_within_radius",
    "uncovered_population",
    "mean_distance_miles",
    "p90_distance_miles",
    "access_2sfca_per_100k",
    "deaths_2022_2023",
    "death_rate_per_100k",
    "death_rate_lcl95",
    "death_rate_ucl95",
    "rate_source",
    "svi_overall",
    "deaths_per_site",
    "leave_behind_status",
    "gap_measure",
    "gap_score",
    "gap_unknown_residents",
    "gap_rank",
    "gap_rank_low",
    "gap_rank_high",
    "list_gap_tracts",
    "list_gap_population",
    "list_gap_uncovered_population",
    "list_gap_mostly",
)


def jurisdiction_metrics(
    data: AccessData,
    selected: pd.DataFrame,
    radius_m: float,
    *,
    catchment_m: float | None = None,
    decay: str = "none",
    sigma_m: float | None = None,
    nearest: pd.DataFrame | None = None,
    access_per_100k: np.ndarray | None = None,
    gap_measure: str = ranking.DEFAULT_GAP_MEASURE,
    beyond_override: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per jurisdiction plus a statewide row (fips ``24``).

    Columns: fips, name, population (2020 census), sites, sites_per_100k,
    pop_within_radius, pct_pop_within_radius, uncovered_population,
    mean_distance_miles and p90_distance_miles (population-weighted, to the
    nearest site), access_2sfca_per_100k (population-weighted mean of the
    point accessibility), deaths_2022_2023, death_rate_per_100k (average
    annual) with death_rate_lcl95/ucl95 and rate_source, svi_overall, deaths_per_site,
    leave_behind_status, gap_measure, gap_score, gap_rank, gap_rank_low, gap_rank_high,
    and the completeness of our pharmacy list (:mod:`geo.analysis.completeness`):
    list_gap_tracts, list_gap_population (residents of flagged tracts),
    list_gap_uncovered_population (of them, those beyond the radius) and list_gap_mostly
    (True when more than half the residents beyond the radius live in flagged tracts);
    missing when ``data`` has no drive times.

    The gap score follows ``gap_measure`` (:data:`geo.analysis.ranking.GAP_MEASURES`;
    default ``deaths``: ``uncovered_population × death_rate_per_100k / 100,000``, the
    drug-induced deaths a year expected among residents farther than r from any site).
    Rank 1 is the largest gap; every jurisdiction has a rate (suppressed years use a
    stated fallback, see :mod:`geo.analysis.ranking`) and so a rank with its range.
    The statewide death rate uses only jurisdictions with both years published.
    ``nearest`` and ``access_per_100k`` may be passed when already computed for
    ``selected`` (see :class:`geo.analysis.scenario.Scenario`).
    """
    radius_m = check_radius_m(radius_m)
    if nearest is None:
        nearest = nearest_sites(data, selected)
    if access_per_100k is None:
        if catchment_m is None:
            catchment_m = DEFAULT_CATCHMENT_MILES * METRES_PER_MILE
        access_per_100k = catchment_access(data, selected, catchment_m, decay, sigma_m)
    table = _coverage_table(
        data, selected, nearest["distance_m"].to_numpy(), radius_m, access_per_100k
    )
    table = _with_burden(table, data.death_rates)
    table = _with_gap(
        table,
        data.leave_behind,
        data.context,
        gap_measure,
        _tract_gap(data, nearest["distance_m"].to_numpy(), radius_m, gap_measure, beyond_override),
    )
    table = _with_list_gap(table, data, nearest["distance_m"].to_numpy(), radius_m)
    return table[list(METRIC_COLUMNS)]


def _tract_gap(
    data: AccessData,
    distance_m: np.ndarray,
    radius_m: float,
    measure: str,
    beyond_override: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per jurisdiction then the state (last): the gap summed over tracts
    (:class:`geo.analysis.equity.Demand`) and the residents whose tract's input is unknown.
    ``beyond_override`` (per point: 1 beyond reach, 0 within, NaN = use the distance)
    replaces the radius where a walking network decides (``Scenario.walking_beyond``)."""
    if measure == "svi" and data.context is None:
        raise InputError("the SVI gap measure needs the county context layer")
    found = demand_for(data, measure, radius_m)
    n = len(data.jurisdictions)
    contribution = found.gap(distance_m)
    if beyond_override is not None:
        decided = np.isfinite(beyond_override) & ~found.unknown
        contribution = np.where(
            decided, found.weight * np.nan_to_num(beyond_override), contribution
        )
    gap = np.bincount(data.group, weights=contribution, minlength=n)
    unknown = np.bincount(
        data.group, weights=np.where(found.unknown, found.residents, 0.0), minlength=n
    )
    return np.append(gap, gap.sum()), np.append(unknown, unknown.sum())


def _with_list_gap(
    table: pd.DataFrame, data: AccessData, distance_m: np.ndarray, radius_m: float
) -> pd.DataFrame:
    """Add the completeness columns (flagged tracts and their residents; of them, those
    farther than ``radius_m`` from the scenario's nearest site; the majority mark)."""
    from geo.analysis.completeness import MOSTLY_SHARE, list_gap_summary

    tracts = data.list_gaps
    if tracts is None:
        for column in ("list_gap_tracts", "list_gap_population", "list_gap_uncovered_population"):
            table[column] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["list_gap_mostly"] = pd.array([pd.NA] * len(table), dtype="boolean")
        return table
    fips = list(data.jurisdictions["fips"])
    summary = list_gap_summary(tracts, fips).set_index("fips")
    beyond = tracts["list_gap"].to_numpy() & (distance_m > radius_m)
    people = tracts["population"].to_numpy(dtype=float)
    by_group = np.bincount(data.group, weights=np.where(beyond, people, 0.0), minlength=len(fips))
    uncovered = dict(zip(fips, by_group.round().astype(np.int64), strict=True))
    uncovered[MARYLAND_STATE_FIPS] = round(float(by_group.sum()))
    table["list_gap_tracts"] = table["fips"].map(summary["list_gap_tracts"]).astype("Int64")
    table["list_gap_population"] = table["fips"].map(summary["list_gap_population"]).astype("Int64")
    table["list_gap_uncovered_population"] = table["fips"].map(uncovered).astype("Int64")
    share = table["list_gap_uncovered_population"].astype(float) / table[
        "uncovered_population"
    ].where(table["uncovered_population"] > 0)
    table["list_gap_mostly"] = (share > MOSTLY_SHARE).fillna(False).astype(bool)
    return table


def _coverage_table(
    data: AccessData,
    selected: pd.DataFrame,
    distance_m: np.ndarray,
    radius_m: float,
    access_per_100k: np.ndarray,
) -> pd.DataFrame:
    """Population, sites, coverage, distance and 2SFCA columns per jurisdiction and for
    the state (distances in metres converted to miles at the end)."""
    jurisdictions = data.jurisdictions
    n = len(jurisdictions)
    population = data.population["population"].to_numpy(dtype=float)
    by_group = coverage_by_group(distance_m, population, data.group, n, radius_m)
    state = coverage_by_group(
        distance_m, population, np.zeros(len(population), dtype=np.int64), 1, radius_m
    )
    access_sum = np.bincount(data.group, weights=access_per_100k * population, minlength=n)
    site_counts = selected["jurisdiction_fips"].value_counts()
    table = pd.DataFrame(
        {
            "fips": jurisdictions["fips"].to_numpy(),
            "name": jurisdictions["name"].to_numpy(),
            "population": jurisdictions["pop_2020"].to_numpy(dtype=np.int64),
            "sites": [int(site_counts.get(f, 0)) for f in jurisdictions["fips"]],
            "pop_within_radius": by_group["covered"],
            "tract_population": by_group["population"],
            "mean_distance_m": by_group["mean_distance_m"],
            "p90_distance_m": by_group["quantile_distance_m"],
            "access_sum": access_sum,
        }
    )
    state_row = {
        "fips": MARYLAND_STATE_FIPS,
        "name": STATE_NAME,
        "population": int(table["population"].sum()),
        "sites": len(selected),
        "pop_within_radius": state["covered"][0],
        "tract_population": state["population"][0],
        "mean_distance_m": state["mean_distance_m"][0],
        "p90_distance_m": state["quantile_distance_m"][0],
        "access_sum": access_sum.sum(),
    }
    table = pd.concat([table, pd.DataFrame([state_row])], ignore_index=True)
    table["sites_per_100k"] = table["sites"] / table["population"] * PER_100K
    table["pct_pop_within_radius"] = 100.0 * table["pop_within_radius"] / table["tract_population"]
    table["uncovered_population"] = table["tract_population"] - table["pop_within_radius"]
    table["mean_distance_miles"] = m_to_miles(table["mean_distance_m"].to_numpy())
    table["p90_distance_miles"] = m_to_miles(table["p90_distance_m"].to_numpy())
    table["access_2sfca_per_100k"] = table["access_sum"] / table["tract_population"]
    return table


def _with_burden(
    table: pd.DataFrame, rates: tuple[pd.DataFrame, dict[str, float | str]]
) -> pd.DataFrame:
    """Add deaths 2022-2023, the death rate with its interval and source (statewide:
    jurisdictions with both years published; ``rates``: ``AccessData.death_rates``) and
    deaths per site."""
    deaths, state = rates
    columns = list(DEATH_RATE_COLUMNS)
    table = table.merge(deaths[columns], left_on="fips", right_index=True, how="left")
    is_state = table["fips"] == MARYLAND_STATE_FIPS
    table["rate_source"] = table["rate_source"].astype(object)
    for column, value in state.items():
        table.loc[is_state, column] = value
    table["deaths_2022_2023"] = table["deaths_2022_2023"].astype("Int64")
    table["deaths_per_site"] = (
        table["deaths_2022_2023"].astype("Float64") / table["sites"].where(table["sites"] > 0)
    ).astype(float)
    return table


def _with_gap(
    table: pd.DataFrame,
    leave_behind: pd.DataFrame,
    context: pd.DataFrame | None,
    measure: str,
    tract_gap: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Add the leave-behind status, SVI, the gap score, its rank and rank range
    (jurisdictions only), and the residents whose measure input is unknown. The tract
    measures (no-vehicle, rurality) take their score from ``tract_gap`` (jurisdictions in
    table order, then the state); the others from the jurisdiction columns (the same
    values: their weights are constant within a jurisdiction)."""
    ranking.check_gap_measure(measure)
    is_state = (table["fips"] == MARYLAND_STATE_FIPS).to_numpy()
    status = leave_behind.set_index("fips")["status"]
    table["leave_behind_status"] = table["fips"].map(status).astype(object)
    table.loc[is_state, "leave_behind_status"] = None
    svi = (
        context.set_index("fips")["svi_overall"] if context is not None else pd.Series(dtype=float)
    )
    table["svi_overall"] = table["fips"].map(svi).astype(float)
    if measure == "svi" and context is None:
        raise InputError("the SVI gap measure needs the county context layer")
    rows = table.loc[~is_state]
    table["gap_measure"] = measure
    table["gap_score"] = np.nan
    table["gap_unknown_residents"] = np.round(tract_gap[1]).astype(np.int64)
    if measure in ranking.TRACT_MEASURES:
        scores = tract_gap[0][: len(rows)]
        table.loc[~is_state, "gap_score"] = scores
        rank = ranking.ranks_descending(scores)
        low, high = rank.copy(), rank.copy()
    else:
        table.loc[~is_state, "gap_score"] = ranking.gap_scores(
            rows["uncovered_population"], rows["death_rate_per_100k"], rows["svi_overall"], measure
        )
        rank, low, high = ranking.rank_ranges(
            rows["uncovered_population"].to_numpy(), rows, rows["svi_overall"].to_numpy(), measure
        )
    for column, values in (("gap_rank", rank), ("gap_rank_low", low), ("gap_rank_high", high)):
        table[column] = pd.array([pd.NA] * len(table), dtype="Int64")
        table.loc[~is_state, column] = pd.array(np.round(values), dtype="Float64").astype("Int64")
    return table


def gap_ranking(metrics: pd.DataFrame) -> pd.DataFrame:
    """Jurisdictions ordered by access gap (largest first; unscored last, e.g. a missing
    SVI under the ``svi`` measure)."""
    rows = metrics[metrics["fips"] != MARYLAND_STATE_FIPS]
    return rows.sort_values(
        ["gap_rank", "uncovered_population"], ascending=[True, False], na_position="last"
    ).reset_index(drop=True)
