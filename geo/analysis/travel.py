"""Travel time from tract centres of population to the nearest site, on a network.

The per-tract table of ``python -m geo travel`` and of the walking/driving measures: for
each tract of the area a network covers, the nearest selected site of that area, the trip
in minutes (straight-line joins to the network included, at the mode's speed), the network
metres and both join distances; the area summary (residents within T minutes); the
finder's walking minutes. Wraps :mod:`geo.network` (numpy) with data frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.metrics import AccessData
from geo.engine.coverage import grouped_weighted_quantile
from geo.engine.distance import lonlat_to_xy_m
from geo.errors import InputError
from geo.i18n import N_, Message
from geo.network.installed import CoveredNetwork
from geo.network.modes import WALK_SPEED_M_PER_MIN
from geo.network.travel import nearest_trips, trips_from_origin

#: The columns of the per-tract travel table, in order.
TRAVEL_COLUMNS = (
    "geoid",
    "population",
    "nearest_site_id",
    "minutes",
    "network_m",
    "origin_snap_m",
    "site_snap_m",
    "far_from_network",
)


def sites_in_area(selected: pd.DataFrame, covered: CoveredNetwork) -> pd.DataFrame:
    """The selected sites inside the area the network covers."""
    xy = lonlat_to_xy_m(selected["lon"].to_numpy(float), selected["lat"].to_numpy(float))
    return selected.loc[covered.inside(xy, selected["jurisdiction_fips"].to_numpy())]


def travel_table(data: AccessData, selected: pd.DataFrame, covered: CoveredNetwork) -> pd.DataFrame:
    """One row per tract of the covered area: its quickest trip to a selected site of the
    same area (see :data:`TRAVEL_COLUMNS`); minutes in minutes, distances in metres;
    ``far_from_network`` flags a join longer than 500 m (kept, never dropped)."""
    inside = covered.inside(data.population_xy_m, data.population["fips"].to_numpy())
    tracts = data.population.loc[inside]
    sites = sites_in_area(selected, covered)
    if sites.empty:
        raise InputError(
            f"no mapped sites of the chosen types in {covered.area_name}, the area the "
            f"{covered.measure} network covers: choose more site types"
        )
    site_xy = lonlat_to_xy_m(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    trips = nearest_trips(covered.network, data.population_xy_m[inside], site_xy)
    ids = sites["id"].to_numpy()
    return pd.DataFrame(
        {
            "geoid": tracts["geoid"].to_numpy(),
            "population": tracts["population"].to_numpy(),
            "nearest_site_id": np.where(trips.site >= 0, ids[np.maximum(trips.site, 0)], None),
            "minutes": trips.minutes,
            "network_m": trips.network_m,
            "origin_snap_m": trips.origin_snap_m,
            "site_snap_m": trips.site_snap_m,
            "far_from_network": trips.far_from_network,
        },
        columns=list(TRAVEL_COLUMNS),
    )


def travel_summary(
    table: pd.DataFrame, minutes: float, covered: CoveredNetwork, n_sites: int
) -> pd.DataFrame:
    """One row for the covered area: residents, sites, residents and share within
    ``minutes``, population-weighted mean, median and 90th-percentile minutes, tracts
    flagged far from the network, the measure and its method."""
    population = table["population"].to_numpy(float)
    trip = table["minutes"].to_numpy(float)
    total = population.sum()
    within = population[trip <= minutes].sum()
    group = np.zeros(len(table), dtype=np.int64)
    median, p90 = (
        float(grouped_weighted_quantile(trip, population, group, 1, q)[0]) for q in (0.5, 0.9)
    )
    return pd.DataFrame(
        [
            {
                "area": covered.area_name,
                "fips": covered.area_fips or "",
                "measure": covered.network.mode.label,
                "minutes": float(minutes),
                "population": int(total),
                "sites": int(n_sites),
                "population_within_minutes": int(within),
                "share_within_minutes": within / total if total else np.nan,
                "mean_minutes": float((population * trip).sum() / total) if total else np.nan,
                "median_minutes": median,
                "p90_minutes": p90,
                "tracts": len(table),
                "tracts_far_from_network": int(table["far_from_network"].sum()),
                "method": covered.method,
            }
        ]
    )


def trips_to_sites(
    covered: CoveredNetwork, lat: float, lon: float, sites: pd.DataFrame
) -> pd.DataFrame:
    """From one point (EPSG:4326) to each site of ``sites`` (columns ``lat``, ``lon``):
    ``minutes``, ``network_m``, ``origin_snap_m``, ``site_snap_m``, ``far_from_network``."""
    origin = lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]
    site_xy = lonlat_to_xy_m(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    trips = trips_from_origin(covered.network, origin, site_xy)
    from geo.network.modes import FAR_FROM_NETWORK_M

    return pd.DataFrame(
        {
            "minutes": trips.minutes,
            "network_m": trips.network_m,
            "origin_snap_m": trips.origin_snap_m,
            "site_snap_m": trips.site_snap_m,
            "far_from_network": (trips.site_snap_m > FAR_FROM_NETWORK_M)
            | (trips.origin_snap_m > FAR_FROM_NETWORK_M),
        },
        index=sites.index,
    )


#: The finder's columns for a network measure, after the straight-line ones.
FINDER_TRAVEL_COLUMNS = (
    "travel_minutes",
    "travel_mode",
    "network_m",
    "origin_snap_m",
    "site_snap_m",
    "far_from_network",
)


#: The finder's notes by network mode (catalogue msgids, :mod:`geo.i18n`): outside the
#: network's area, and the answer ordered by its minutes (``{speed}``: walking m/min).
OUTSIDE_NOTES = {
    "walk": N_(
        "Walking minutes are available in {area} only; this search is outside it, so these "
        "distances are straight-line."
    ),
    "drive": N_(
        "Driving minutes are available in {area} only; this search is outside it, so these "
        "distances are straight-line."
    ),
}
ORDERED_NOTES = {
    "walk": N_(
        "Ordered by walking minutes on {area} streets ({speed} m/min; the straight line from "
        "the search point and from each site to the nearest street is included); only sites "
        "in {area} are listed. Straight-line distances are shown too."
    ),
    "drive": N_(
        "Ordered by driving minutes on {area} roads (posted speed limits, else assumed "
        "speeds by road class; one-way streets honoured; no traffic; the straight line from "
        "the search point and from each site to the nearest road is included); only sites "
        "in {area} are listed. Straight-line distances are shown too."
    ),
}


def travel_note(result) -> Message | None:
    """The note :func:`travel_find` put on ``result`` (a
    :class:`geo.analysis.finder.FinderResult`): ordered by network minutes, or why this
    search stays straight-line; None for a straight-line answer."""
    kept = {*OUTSIDE_NOTES.values(), *ORDERED_NOTES.values()}
    for note in result.notes:
        if isinstance(note, Message) and note.template in kept:
            return note
    return None


def travel_find(finder, point, n: int, types, covered: CoveredNetwork):
    """The finder's answer by network minutes: inside the covered area, the ``n`` sites of
    ``types`` in that area with the quickest trips (``travel_minutes`` …, quickest first;
    the straight-line distance kept); outside it, the straight-line answer with a note
    saying so. ``finder`` is a :class:`geo.analysis.finder.Finder`."""
    from dataclasses import replace

    from geo.analysis.finder import CALL_AHEAD, RESULT_COLUMNS
    from geo.data.catalog import PLACE_NAMES_ATTRIBUTION

    result = finder.nearest(point, n, types)
    point = result.query
    label = covered.network.mode.label
    origin = lonlat_to_xy_m(np.array([point.lon]), np.array([point.lat]))
    if not covered.inside(origin, np.array([point.fips]))[0]:
        outside = OUTSIDE_NOTES.get(covered.network.mode.name)
        note = (
            Message.of(outside, area=covered.area_name)
            if outside
            else f"{label.capitalize()} are available in {covered.area_name} only; this "
            "search is outside it, so these distances are straight-line."
        )
        return replace(result, notes=(note, *result.notes))
    chosen = finder.check_types(types)
    pool = finder.mapped.loc[finder.mapped["type"].isin(chosen)]
    pool = sites_in_area(pool, covered)
    trips = trips_to_sites(covered, point.lat, point.lon, pool)
    order = np.lexsort((np.arange(len(pool)), np.round(trips["minutes"].to_numpy(), 3)))
    order = order[: int(n)]
    results = pool.iloc[order].reset_index(drop=True)
    site_xy = lonlat_to_xy_m(results["lon"].to_numpy(float), results["lat"].to_numpy(float))
    straight_m = np.hypot(*(site_xy - origin[0]).T) if len(results) else np.empty(0)
    results.insert(3, "distance_m", straight_m)
    results.insert(4, "distance_miles", straight_m / 1609.344)
    results = results[list(RESULT_COLUMNS)]
    chosen_trips = trips.iloc[order].reset_index(drop=True)
    results["travel_minutes"] = chosen_trips["minutes"].to_numpy()
    results["travel_mode"] = covered.network.mode.trip
    for column in FINDER_TRAVEL_COLUMNS[2:]:
        results[column] = chosen_trips[column].to_numpy()
    ordered = ORDERED_NOTES.get(covered.network.mode.name)
    note = (
        Message.of(ordered, area=covered.area_name, speed=f"{WALK_SPEED_M_PER_MIN:g}")
        if ordered
        else f"Ordered by {label} on {covered.area_name} streets ({covered.network.mode.basis}"
        "; the straight line from the search point and from each site to the nearest street "
        f"is included); only sites in {covered.area_name} are listed. Straight-line "
        "distances are shown too."
    )
    return replace(result, results=results, notes=(note, CALL_AHEAD, PLACE_NAMES_ATTRIBUTION))
