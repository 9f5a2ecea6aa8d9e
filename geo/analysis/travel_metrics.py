"""Access per jurisdiction in travel minutes, over the area a network covers.

The travel-time counterpart of :func:`geo.analysis.metrics.jurisdiction_metrics`: one row
per jurisdiction with tracts in the network's area (walking: Baltimore City; driving: the
jurisdictions with tract centres inside the installed network's outline), then one row for
the whole covered area (fips ``area``). Only tracts of the area count, and only sites of
the area are reached (:func:`geo.analysis.travel.travel_table`). Minutes are network
minutes with both straight-line joins at the mode's speed; 2SFCA uses a catchment of the
same threshold in minutes (:func:`geo.network.travel.two_step_fca_minutes`). The gap and
its rank follow :mod:`geo.analysis.ranking` with "beyond reach" meaning a trip longer than
the threshold; the measure is named in every row (``measure``, ``method``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis import ranking
from geo.analysis.access_data import DEATH_RATE_COLUMNS, PER_100K, AccessData
from geo.analysis.selection import decay_function, demand_for
from geo.analysis.travel import sites_in_area
from geo.engine.coverage import coverage_by_group, grouped_weighted_quantile
from geo.engine.distance import lonlat_to_xy_m
from geo.network.installed import CoveredNetwork
from geo.network.travel import pairs_within_minutes, two_step_fca_minutes

#: The fips of the covered-area row (the straight-line table's statewide row is ``24``).
AREA_FIPS = "area"
TRAVEL_METRIC_COLUMNS = (
    "fips",
    "name",
    "measure",
    "minutes",
    "population",
    "jurisdiction_population",
    "pct_jurisdiction_in_area",
    "tracts",
    "sites",
    "sites_per_100k",
    "pop_within_minutes",
    "pct_pop_within_minutes",
    "uncovered_population",
    "mean_minutes",
    "median_minutes",
    "p90_minutes",
    "access_2sfca_per_100k",
    "tracts_far_from_network",
    "deaths_2022_2023",
    "death_rate_per_100k",
    "death_rate_lcl95",
    "death_rate_ucl95",
    "rate_source",
    "svi_overall",
    "leave_behind_status",
    "gap_measure",
    "gap_score",
    "gap_unknown_residents",
    "gap_rank",
    "gap_rank_low",
    "gap_rank_high",
    "area",
    "method",
)


def inside_area(data: AccessData, covered: CoveredNetwork) -> np.ndarray:
    """True per population point whose tract centre lies in the network's area."""
    return covered.inside(data.population_xy_m, data.population["fips"].to_numpy())


def minutes_by_point(data: AccessData, travel: pd.DataFrame) -> np.ndarray:
    """Each population point's trip in minutes (NaN outside the network's area)."""
    position = {g: i for i, g in enumerate(data.population["geoid"])}
    out = np.full(len(position), np.nan)
    out[travel["geoid"].map(position).to_numpy(dtype=np.int64)] = travel["minutes"].to_numpy(
        dtype=float
    )
    return out


def access_minutes(
    data: AccessData,
    selected: pd.DataFrame,
    covered: CoveredNetwork,
    minutes: float,
    decay: str = "none",
) -> np.ndarray:
    """2SFCA / E2SFCA accessibility per population point with a catchment of ``minutes``
    on the network (sites per 100,000; capacity 1 per site; NaN outside the area). Decay
    as :func:`geo.analysis.selection.decay_function` with the catchment in minutes (step:
    zones at T/3, 2T/3, T; gaussian σ = T/2). Demand: the area's tracts; supply: its sites."""
    inside = inside_area(data, covered)
    sites = sites_in_area(selected, covered)
    out = np.full(len(inside), np.nan)
    if sites.empty:
        return out
    site_xy = lonlat_to_xy_m(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    pairs = pairs_within_minutes(covered.network, data.population_xy_m[inside], site_xy, minutes)
    values = two_step_fca_minutes(
        data.population["population"].to_numpy(dtype=float)[inside],
        np.ones(len(sites)),
        pairs,
        minutes,
        decay_function(decay, minutes),
    )
    out[inside] = values * PER_100K
    return out


def _coverage(
    data: AccessData, selected: pd.DataFrame, covered: CoveredNetwork, trip: np.ndarray, t: float
) -> tuple[pd.DataFrame, np.ndarray]:
    """Residents, sites, residents within ``t`` minutes and trip quantiles per covered
    jurisdiction and for the area (last row); the jurisdictions' positions."""
    inside = np.isfinite(trip)
    n = len(data.jurisdictions)
    population = data.population["population"].to_numpy(dtype=float)
    groups = np.unique(data.group[inside])
    by_group = coverage_by_group(trip[inside], population[inside], data.group[inside], n, t)
    area = coverage_by_group(
        trip[inside], population[inside], np.zeros(int(inside.sum()), dtype=np.int64), 1, t
    )
    sites = sites_in_area(selected, covered)
    counts = sites["jurisdiction_fips"].value_counts()
    tracts = np.bincount(data.group[inside], minlength=n)
    jur = data.jurisdictions.iloc[groups]
    table = pd.DataFrame(
        {
            "fips": [*jur["fips"], AREA_FIPS],
            "name": [*jur["name"], f"Area covered: {covered.area_name}"],
            "population": [*by_group["population"][groups], area["population"][0]],
            "jurisdiction_population": [*jur["pop_2020"].astype(float), jur["pop_2020"].sum()],
            "tracts": [*tracts[groups], int(inside.sum())],
            "sites": [*(int(counts.get(f, 0)) for f in jur["fips"]), len(sites)],
            "pop_within_minutes": [*by_group["covered"][groups], area["covered"][0]],
            "mean_minutes": [*by_group["mean_distance_m"][groups], area["mean_distance_m"][0]],
            "p90_minutes": [
                *by_group["quantile_distance_m"][groups],
                area["quantile_distance_m"][0],
            ],
        }
    )
    median = coverage_by_group(trip[inside], population[inside], data.group[inside], n, t, 0.5)
    whole = grouped_weighted_quantile(
        trip[inside], population[inside], np.zeros(int(inside.sum()), dtype=np.int64), 1, 0.5
    )
    table["median_minutes"] = [*median["quantile_distance_m"][groups], float(whole[0])]
    for column in ("population", "jurisdiction_population", "pop_within_minutes"):
        table[column] = table[column].round().astype(np.int64)
    return table, groups


def _gap(
    data: AccessData, trip: np.ndarray, minutes: float, measure: str, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per covered jurisdiction then the area: the gap (the measure's weights of tracts
    whose trip is longer than ``minutes``; rurality: residents, its straight-line reaches
    do not apply to minutes) and the residents whose measure input is unknown."""
    found = demand_for(data, measure, 1.0)
    inside = np.isfinite(trip)
    with np.errstate(invalid="ignore"):
        beyond = inside & ~found.unknown & (trip > minutes)
    n = len(data.jurisdictions)
    gap = np.bincount(data.group, weights=np.where(beyond, found.weight, 0.0), minlength=n)
    unknown = np.bincount(
        data.group, weights=np.where(inside & found.unknown, found.residents, 0.0), minlength=n
    )
    return np.append(gap[groups], gap[groups].sum()), np.append(
        unknown[groups], unknown[groups].sum()
    )


def _with_rank(table: pd.DataFrame, measure: str, tract_gap: tuple) -> pd.DataFrame:
    """The gap score, its rank and plausible range among the covered jurisdictions (the
    area row unranked), as :func:`geo.analysis.metrics.jurisdiction_metrics` does."""
    is_area = (table["fips"] == AREA_FIPS).to_numpy()
    rows = table.loc[~is_area]
    table["gap_measure"] = measure
    table["gap_score"] = tract_gap[0]
    table["gap_unknown_residents"] = np.round(tract_gap[1]).astype(np.int64)
    if measure in ranking.TRACT_MEASURES:
        rank = ranking.ranks_descending(tract_gap[0][: len(rows)])
        low, high = rank.copy(), rank.copy()
    else:
        rank, low, high = ranking.rank_ranges(
            rows["uncovered_population"].to_numpy(), rows, rows["svi_overall"].to_numpy(), measure
        )
    for column, values in (("gap_rank", rank), ("gap_rank_low", low), ("gap_rank_high", high)):
        table[column] = pd.array([pd.NA] * len(table), dtype="Int64")
        table.loc[~is_area, column] = pd.array(np.round(values), dtype="Float64").astype("Int64")
    return table


def travel_metrics(
    data: AccessData,
    selected: pd.DataFrame,
    covered: CoveredNetwork,
    travel: pd.DataFrame,
    minutes: float,
    *,
    gap_measure: str = ranking.DEFAULT_GAP_MEASURE,
    access_per_100k: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per jurisdiction with tracts in the network's area, then the area row
    (:data:`TRAVEL_METRIC_COLUMNS`). ``population`` is the residents of the jurisdiction's
    tracts in the area (``jurisdiction_population`` its 2020 census total);
    ``pop_within_minutes`` those whose trip to a site of the area is at most ``minutes``;
    mean and 90th-percentile minutes are population-weighted; ``access_2sfca_per_100k``
    the population-weighted mean of :func:`access_minutes` (catchment ``minutes``). Death
    rates as in the straight-line table; the area row has none unless one jurisdiction."""
    trip = minutes_by_point(data, travel)
    if access_per_100k is None:
        access_per_100k = access_minutes(data, selected, covered, minutes)
    table, groups = _coverage(data, selected, covered, trip, minutes)
    inside = np.isfinite(trip)
    weights = data.population["population"].to_numpy(dtype=float) * np.nan_to_num(access_per_100k)
    n = len(data.jurisdictions)
    access = np.bincount(data.group[inside], weights=weights[inside], minlength=n)
    table["access_2sfca_per_100k"] = [*access[groups], access[groups].sum()]
    table["access_2sfca_per_100k"] /= table["population"].where(table["population"] > 0)
    table["sites_per_100k"] = table["sites"] / table["population"] * PER_100K
    table["pct_pop_within_minutes"] = 100.0 * table["pop_within_minutes"] / table["population"]
    table["uncovered_population"] = table["population"] - table["pop_within_minutes"]
    table["pct_jurisdiction_in_area"] = (
        100.0 * table["population"] / table["jurisdiction_population"]
    )
    far = np.zeros(len(data.group))
    position = {g: i for i, g in enumerate(data.population["geoid"])}
    far[travel["geoid"].map(position).to_numpy(dtype=np.int64)] = travel[
        "far_from_network"
    ].to_numpy(dtype=float)
    far_count = np.bincount(data.group, weights=far, minlength=n)[groups]
    table["tracts_far_from_network"] = [*far_count.astype(int), int(far_count.sum())]
    table = _with_context(table, data)
    table = _with_rank(table, gap_measure, _gap(data, trip, minutes, gap_measure, groups))
    table["measure"] = covered.network.mode.label
    table["minutes"] = float(minutes)
    table["area"] = covered.area_name
    table["method"] = covered.method
    return table[list(TRAVEL_METRIC_COLUMNS)]


def _with_context(table: pd.DataFrame, data: AccessData) -> pd.DataFrame:
    """Deaths and death rate (with interval and source), SVI and leave-behind status by
    jurisdiction; the area row takes them only when the area is one jurisdiction."""
    deaths = data.death_rates[0]
    columns = list(DEATH_RATE_COLUMNS)
    single = table["fips"].iloc[0] if len(table) == 2 else None
    key = table["fips"].replace({AREA_FIPS: single}) if single else table["fips"]
    for column in columns:
        table[column] = key.map(deaths[column]).to_numpy()
    table["deaths_2022_2023"] = table["deaths_2022_2023"].astype("Int64")
    svi = (
        data.context.set_index("fips")["svi_overall"]
        if data.context is not None
        else pd.Series(dtype=float)
    )
    table["svi_overall"] = key.map(svi).astype(float)
    status = data.leave_behind.set_index("fips")["status"]
    table["leave_behind_status"] = key.map(status).astype(object)
    return table
