"""The access-gaps map by travel time: tract centres of population shaded by network minutes
to the nearest site (walking in Baltimore City, or driving on an installed network), with
the sites of that area; offline (folium, vendored Leaflet).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.catalog import STOCK_CAVEAT
from geo.render import formatting
from geo.render.base_map import APP_STATIC_BASE, Tiles, add_jurisdictions, add_sites, new_map
from geo.render.map_controls import add_attribution, add_legend
from geo.render.map_points import add_recommended, add_tracts, add_what_if, site_legend_items
from geo.render.palette import DISTANCE_CLASS_COLOURS


def minutes_class(minutes: np.ndarray, threshold: float) -> np.ndarray:
    """Class 0..3 of each trip: ≤ T, ≤ 2T, ≤ 3T, > 3T minutes."""
    edges = np.array([threshold, 2 * threshold, 3 * threshold])
    return np.searchsorted(edges, np.asarray(minutes, dtype=float), side="left")


def minutes_class_labels(threshold: float, trip: str) -> tuple[str, ...]:
    """Legend rows: ``within a 15-minute walk (covered)``, ``15–30 min`` …"""
    one, two, three = (round(threshold * k, 3) for k in (1, 2, 3))
    return (
        f"within a {one:g}-minute {trip} (covered)",
        f"{one:g}–{two:g} min",
        f"{two:g}–{three:g} min",
        f"over {three:g} min",
    )


def travel_gap_map(
    jurisdictions: gpd.GeoDataFrame,
    tracts: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    threshold_minutes: float,
    *,
    trip: str,
    label: str,
    method_note: str,
    what_if: pd.DataFrame | None = None,
    recommended: pd.DataFrame | None = None,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
) -> folium.Map:
    """``tracts`` (``geoid``, ``lat``, ``lon``, ``population``, ``minutes``,
    ``far_from_network``; the tract context and ``list_gap`` shown where present)
    coloured by minutes in bands of ``threshold_minutes``; ``sites`` (rows of the sites
    layer) on top; the map zooms to the tracts."""
    fmap = new_map(
        tiles=tiles,
        asset_base=asset_base,
        title=f"Map of {label} to the nearest naloxone site (table of every tract below)",
    )
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    trips = [
        f"{m:.0f} min {trip}" + (" (over 500 m from a street: approximate)" if far else "")
        for m, far in zip(tracts["minutes"], tracts["far_from_network"], strict=True)
    ]
    classes = minutes_class(tracts["minutes"].to_numpy(), threshold_minutes)
    ring = add_tracts(fmap, tracts, classes, trips, f"Nearest site ({label})", radius_px=5.0)
    bands = zip(DISTANCE_CLASS_COLOURS, minutes_class_labels(threshold_minutes, trip), strict=True)
    items = [(colour, text, "circle") for colour, text in bands] + ring
    add_sites(fmap, sites, radius_px=3.5)
    items += site_legend_items(sites)
    if recommended is not None and len(recommended):
        gain = f"Residents newly within a {threshold_minutes:g}-minute {trip}"
        items += add_recommended(
            fmap,
            recommended.assign(
                label="Recommended #" + recommended["rank"].astype(str),
                gain=recommended["newly_covered_population"].map(formatting.count),
            ),
            (("label", "Suggestion"), ("gain", gain)),
        )
    items += add_what_if(fmap, what_if)
    add_legend(
        fmap, f"{label.capitalize()} to nearest site", items, note=f"{method_note} {STOCK_CAVEAT}"
    )
    streets = "Streets: Baltimore City DOT" if trip == "walk" else "© OpenStreetMap contributors"
    add_attribution(fmap, streets)
    if len(tracts):
        fmap.fit_bounds(
            [
                [float(tracts["lat"].min()), float(tracts["lon"].min())],
                [float(tracts["lat"].max()), float(tracts["lon"].max())],
            ]
        )
    return fmap


#: Band edges (minutes) of the OEPS outside layer.
OEPS_EDGES = (5.0, 10.0, 20.0)
OEPS_UNKNOWN = "#BDBDBD"
OEPS_TITLE = "OEPS 2025: drive minutes to the nearest pharmacy (outside layer)"
OEPS_NOTE = (
    "Not our figures: OEPS's own method and pharmacy list (Overture Maps places 2025, a "
    "larger list than ours), tract geometric centres, OpenStreetMap drive times capped at "
    "90 minutes. Shown for context only, never mixed into this dashboard's measures."
)


def oeps_drive_map(
    jurisdictions: gpd.GeoDataFrame,
    tracts: pd.DataFrame,
    *,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
) -> folium.Map:
    """Tract centres (``geoid``, ``lat``, ``lon``, ``population``, ``drive_minutes``; NaN
    unknown) coloured by OEPS's drive minutes in bands of :data:`OEPS_EDGES`."""
    fmap = new_map(tiles=tiles, asset_base=asset_base, title=f"Map of {OEPS_TITLE}")
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    minutes = tracts["drive_minutes"].to_numpy(float)
    band = np.searchsorted(np.array(OEPS_EDGES), minutes, side="left").astype(str)
    add_tracts(
        fmap,
        tracts,
        np.where(np.isnan(minutes), "unknown", band),
        ["not published" if np.isnan(m) else f"{m:.1f} min drive (OEPS)" for m in minutes],
        "Nearest pharmacy, OEPS drive time",
        colours={str(i): c for i, c in enumerate(DISTANCE_CLASS_COLOURS)}
        | {"unknown": OEPS_UNKNOWN},
        name="OEPS drive minutes",
    )
    low, mid, high = OEPS_EDGES
    labels = (
        f"{low:g} min or less",
        f"{low:g}–{mid:g} min",
        f"{mid:g}–{high:g} min",
        f"over {high:g} min",
    )
    items = [
        (c, text, "circle") for c, text in zip(DISTANCE_CLASS_COLOURS, labels, strict=True)
    ] + [(OEPS_UNKNOWN, "not published", "circle")]
    add_legend(fmap, OEPS_TITLE, items, note=OEPS_NOTE)
    add_attribution(fmap, "OEPS Data Warehouse v2.0; road network © OpenStreetMap contributors")
    return fmap
