"""Access metrics per jurisdiction and statewide, for any subset of sites.

Thin DataFrame wrappers over the array code in :mod:`geo.engine.distance`,
:mod:`geo.engine.coverage`, :mod:`geo.engine.catchment` and :mod:`geo.engine.siting`.
Distances are straight lines in metres in EPSG:26985 from the 2020 tract centres of
population; tables report miles for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from geo.analysis import equity, ranking
from geo.config import MARYLAND_STATE_FIPS, METRES_PER_MILE, WGS84
from geo.data import layers
from geo.data.places import jurisdiction_of
from geo.engine.catchment import WeightFunction, gaussian_weights, step_weights, two_step_fca
from geo.engine.coverage import coverage_by_group
from geo.engine.distance import (
    check_radius_m,
    lonlat_to_xy_m,
    m_to_miles,
    nearest_m,
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
from geo.schema import SITE_TYPES

STATE_NAME = "Maryland"
PER_100K = 100_000.0
DEFAULT_CATCHMENT_MILES = 10.0
#: Luo & Qi (2009) enhanced 2SFCA weights for three equal sub-zones of the catchment.
E2SFCA_ZONE_WEIGHTS = (1.0, 0.68, 0.22)
DECAYS = ("none", "step", "gaussian")


@dataclass(frozen=True)
class AccessData:
    """The real inputs of every metric (see :func:`load_access_data`)."""

    jurisdictions: gpd.GeoDataFrame
    population: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    burden: pd.DataFrame
    leave_behind: pd.DataFrame
    population_xy_m: np.ndarray = field(repr=False)
    group: np.ndarray = field(repr=False)
    #: SVI 2022, opioid prescribing, OEPS mortality per jurisdiction (None: not loaded).
    context: pd.DataFrame | None = field(default=None, repr=False)
    #: OEPS 2025 drive minutes per tract to the nearest pharmacy (None: not loaded).
    drive_times: pd.DataFrame | None = field(default=None, repr=False)

    #: Tract no-vehicle and commute shares, RUCA 2020 (``layers.load_tract_context``).
    tract_context_layer: pd.DataFrame | None = field(default=None, repr=False)
    #: Modelled overdose mortality 2014-2021 (``layers.load_overdose_trend``).
    trend: pd.DataFrame | None = field(default=None, repr=False)
    #: Candidate host sites for new points (``layers.load_candidate_sites``).
    candidate_sites: pd.DataFrame | None = field(default=None, repr=False)

    @cached_property
    def list_gaps(self) -> pd.DataFrame | None:
        """Per tract (population order): the completeness check of our pharmacy list
        (:func:`geo.analysis.completeness.tract_list_gaps`); None without drive times."""
        from geo.analysis import completeness

        return None if self.drive_times is None else completeness.data_list_gaps(self)

    @cached_property
    def tracts(self) -> pd.DataFrame:
        """Tract context per population point, in ``population`` order
        (:func:`geo.analysis.equity.tract_context`)."""
        return equity.tract_context(self.population, self.tract_context_layer)

    @cached_property
    def death_rates(self) -> tuple[pd.DataFrame, dict[str, float | str]]:
        """:func:`geo.analysis.ranking.death_rates` of ``burden``, computed once."""
        return ranking.death_rates(self.burden)


def load_access_data(
    *, include_local: bool = False, drafts: bool = False, store_location: str | None = None
) -> AccessData:
    """Load the bundled layers and project the population points (EPSG:26985).

    With ``include_local`` the local updates in the store (``geo.local.store``) are applied:
    corrected, closed and added sites, and locally entered leave-behind records: the
    published ones, or with ``drafts`` (editors only) the unpublished ones too.
    """
    from geo.local import merge

    jurisdictions = layers.load_jurisdictions()
    population = layers.load_population()
    local_sites, local_leave_behind = pd.DataFrame(), pd.DataFrame()
    if include_local:
        local_sites, local_leave_behind, _ = merge.load_local(store_location, drafts=drafts)
    sites = merge.merge_sites(layers.load_sites(), local_sites)
    leave_behind = merge.merge_leave_behind(layers.load_leave_behind(), local_leave_behind)
    return make_access_data(
        jurisdictions,
        population,
        sites,
        layers.load_burden(),
        leave_behind,
        context=layers.load_context(),
        drive_times=layers.load_drive_times(),
        tract_context=layers.load_tract_context(),
        trend=layers.load_overdose_trend(),
        candidate_sites=layers.load_candidate_sites(),
    )


def make_access_data(
    jurisdictions: gpd.GeoDataFrame,
    population: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    burden: pd.DataFrame,
    leave_behind: pd.DataFrame,
    *,
    context: pd.DataFrame | None = None,
    drive_times: pd.DataFrame | None = None,
    tract_context: pd.DataFrame | None = None,
    trend: pd.DataFrame | None = None,
    candidate_sites: pd.DataFrame | None = None,
) -> AccessData:
    """Bundle inputs, projecting population lon/lat to metres and coding jurisdictions."""
    codes = {fips: i for i, fips in enumerate(jurisdictions["fips"])}
    group = population["fips"].map(codes)
    if group.isna().any():
        raise ValueError("a population point has a jurisdiction not in the boundary layer")
    return AccessData(
        jurisdictions,
        population,
        sites,
        burden,
        leave_behind,
        lonlat_to_xy_m(population["lon"], population["lat"]),
        group.to_numpy(dtype=np.int64),
        context,
        drive_times,
        tract_context,
        trend,
        candidate_sites,
    )


def parse_site_types(types: Iterable[str] | str | None) -> tuple[str, ...]:
    """Validated site types (all when None); a comma-separated string is accepted."""
    if types is None:
        return SITE_TYPES
    if isinstance(types, str):
        types = [t.strip() for t in types.split(",") if t.strip()]
    chosen = tuple(dict.fromkeys(types))
    unknown = [t for t in chosen if t not in SITE_TYPES]
    if unknown:
        raise InputError(f"unknown site type {unknown[0]!r}; choose from " + ", ".join(SITE_TYPES))
    if not chosen:
        raise InputError("choose at least one site type")
    return chosen


def radius_m_from(*, miles: float | None = None, km: float | None = None) -> float:
    """A radius in metres from miles or kilometres; must be positive and finite."""
    if miles is not None and km is None:
        return check_radius_m(miles, unit="miles") * METRES_PER_MILE
    if km is not None and miles is None:
        return check_radius_m(km, unit="km") * 1000.0
    raise InputError("give the radius in miles or in km (exactly one)")


def select_sites(
    data: AccessData,
    types: Iterable[str] | str | None = None,
    *,
    removed_ids: Sequence[str] = (),
    added: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The mapped sites a scenario uses: chosen types, minus ``removed_ids``, plus
    ``added`` what-if sites (columns ``lat``, ``lon``, optional ``name``).

    Unmapped and closed sites are never used in distances. Added sites get ids ``whatif-N``
    and ``is_what_if = True``; they are hypothetical and never shown as real.
    """
    chosen = parse_site_types(types)
    sites = data.sites
    unknown = sorted(set(removed_ids) - set(sites["id"]))
    if unknown:
        raise InputError(f"cannot remove unknown site id {unknown[0]!r}")
    open_sites = ~sites["closed"].astype(bool) if "closed" in sites else True
    keep = (
        sites["type"].isin(chosen)
        & sites["lat"].notna()
        & ~sites["id"].isin(removed_ids)
        & open_sites
    )
    selected = sites.loc[
        keep, ["id", "name", "type", "jurisdiction_fips", "lat", "lon", "geometry"]
    ].copy()
    selected["is_what_if"] = False
    if added is not None and len(added):
        selected = pd.concat([selected, what_if_sites(data, added)], ignore_index=True)
    return gpd.GeoDataFrame(selected.reset_index(drop=True), geometry="geometry", crs=WGS84)


def what_if_sites(data: AccessData, added: pd.DataFrame) -> gpd.GeoDataFrame:
    """Validate hypothetical sites (lat, lon in EPSG:4326) and place them in a jurisdiction.
    A problem names the site by its ``name`` when given, else as "added site N"."""
    for column in ("lat", "lon"):
        if column not in added:
            raise InputError(f"added sites need a '{column}' column")
    names = (
        added["name"].astype(str).to_numpy()
        if "name" in added
        else [f"added site {i + 1}" for i in range(len(added))]
    )
    lat = pd.to_numeric(added["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(added["lon"], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(lat) & np.isfinite(lon))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{names[row]}: latitude and longitude must be numbers")
    fips = jurisdiction_of(lon, lat, data.jurisdictions)
    outside = pd.isna(fips)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise InputError(f"{names[row]} ({lat[row]:.5f}, {lon[row]:.5f}) is outside Maryland")
    if "name" not in added:
        names = [f"What-if site {i + 1}" for i in range(len(added))]
    return gpd.GeoDataFrame(
        {
            "id": [f"whatif-{i + 1}" for i in range(len(added))],
            "name": names,
            "type": "what_if",
            "jurisdiction_fips": fips,
            "lat": lat,
            "lon": lon,
            "is_what_if": True,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=WGS84,
    )


def nearest_sites(data: AccessData, selected: pd.DataFrame) -> pd.DataFrame:
    """Per population point: nearest selected site id and distance (metres, EPSG:26985),
    with the tract context (:data:`geo.analysis.equity.CONTEXT_COLUMNS`)."""
    if selected.empty:
        raise InputError("no sites selected: choose at least one site type with mapped sites")
    sites_xy = lonlat_to_xy_m(selected["lon"], selected["lat"])
    distance_m, index = nearest_m(data.population_xy_m, sites_xy)
    out = pd.DataFrame(
        {
            "geoid": data.population["geoid"].to_numpy(),
            "fips": data.population["fips"].to_numpy(),
            "population": data.population["population"].to_numpy(),
            "lat": data.population["lat"].to_numpy(),
            "lon": data.population["lon"].to_numpy(),
            "nearest_site_id": selected["id"].to_numpy()[index],
            "distance_m": distance_m,
        }
    )
    out["distance_miles"] = out["distance_m"] / METRES_PER_MILE
    for column in equity.CONTEXT_COLUMNS:  # tract context (missing stays missing)
        out[column] = data.tracts[column].to_numpy()
    return out


def decay_function(
    decay: str, catchment_m: float, sigma_m: float | None = None
) -> WeightFunction | None:
    """The E2SFCA weight function: ``none`` (plain 2SFCA), ``step`` (three equal zones
    weighted 1, 0.68, 0.22) or ``gaussian`` (σ = ``sigma_m``, default catchment / 2)."""
    if decay not in DECAYS:
        raise InputError(f"unknown distance decay {decay!r}; choose from " + ", ".join(DECAYS))
    if decay == "none":
        return None
    if decay == "step":
        return step_weights(
            {catchment_m * (k + 1) / 3: w for k, w in enumerate(E2SFCA_ZONE_WEIGHTS)}
        )
    return gaussian_weights(sigma_m if sigma_m is not None else catchment_m / 2)


def catchment_access(
    data: AccessData,
    selected: pd.DataFrame,
    catchment_m: float,
    decay: str = "none",
    sigma_m: float | None = None,
) -> np.ndarray:
    """2SFCA / E2SFCA accessibility per population point, in sites per 100,000 residents
    (each site has capacity 1: stock is unknown)."""
    sites_xy = lonlat_to_xy_m(selected["lon"], selected["lat"])
    pairs = pairs_within_m(data.population_xy_m, sites_xy, catchment_m)
    values = two_step_fca(
        data.population["population"].to_numpy(dtype=float),
        np.ones(len(selected)),
        pairs,
        catchment_m,
        decay_function(decay, catchment_m, sigma_m),
    )
    return values * PER_100K


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


def demand_for(data: AccessData, measure: str, radius_m: float) -> equity.Demand:
    """The weights and reaches of gap ``measure`` per population point
    (:func:`geo.analysis.equity.demand`): each point takes its jurisdiction's death rate
    and SVI, and its own tract's no-vehicle share and rurality class."""
    ranking.check_gap_measure(measure)
    fips = data.population["fips"]
    rates = data.death_rates[0]["death_rate_per_100k"]
    svi = (
        data.context.set_index("fips")["svi_overall"]
        if data.context is not None
        else pd.Series(dtype=float)
    )
    context = data.tracts if measure in ("no-vehicle", "rurality") else None
    if measure in ("no-vehicle", "rurality") and data.tract_context_layer is None:
        raise InputError(f"the {measure} gap measure needs the tract context layer")
    return equity.demand(
        measure,
        data.population["population"].to_numpy(dtype=float),
        radius_m,
        rate_per_100k=fips.map(rates).to_numpy(dtype=float),
        svi=fips.map(svi).to_numpy(dtype=float),
        context=context,
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
    columns = [
        "deaths_2022_2023",
        "death_rate_per_100k",
        "death_rate_lcl95",
        "death_rate_ucl95",
        "rate_source",
        "rate_deaths",
        "rate_population",
    ]
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


#: Candidate kinds for new sites: tract centres, or real host sites by kind.
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
