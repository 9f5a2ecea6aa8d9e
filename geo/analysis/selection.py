"""Choosing the sites of a scenario and measuring from them: site types, radii, what-if
sites, nearest sites, 2SFCA catchments and the gap measure's demand.

Distances are straight lines in metres in EPSG:26985 from the 2020 tract centres of
population.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import equity, ranking
from geo.analysis.access_data import DECAYS, E2SFCA_ZONE_WEIGHTS, PER_100K, AccessData
from geo.config import METRES_PER_MILE, WGS84
from geo.data.places import jurisdiction_of
from geo.engine.catchment import WeightFunction, gaussian_weights, step_weights, two_step_fca
from geo.engine.distance import (
    check_radius_m,
    lonlat_to_xy_m,
    nearest_m,
    pairs_within_m,
)
from geo.errors import InputError
from geo.schema import SITE_TYPES


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
