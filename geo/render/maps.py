"""The interactive (folium) maps of the dashboard, offline: sites, EMS leave-behind,
county context, access gaps and the finder's nearest sites.

Built on :mod:`geo.render.base_map` (vendored Leaflet, jurisdiction polygons and names,
site markers, standalone HTML; its public names are re-exported here). Text from data is
HTML-escaped before it reaches the map; distances are shown in the chosen unit.
"""

from __future__ import annotations

import itertools
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.place_names import CANDIDATE_SITE_CAVEAT, host_site_label
from geo.data.catalog import CALL_AHEAD, STOCK_CAVEAT
from geo.i18n import Translator
from geo.render import formatting
from geo.render.base_map import (
    APP_STATIC_BASE,
    SITE_POPUP_FIELDS,
    Tiles,
    add_jurisdictions,
    add_sites,
    local_update_marks,
    localise_assets,
    new_map,
    place_labels,
    standalone_html,
    tiles_from_environment,
)
from geo.render.map_controls import add_attribution, add_legend
from geo.render.map_points import (
    add_hypothetical,
    add_recommended,
    add_residents,
    add_what_if,
    site_legend_items,
)
from geo.render.palette import (
    CONTEXT_COLOURS,
    CONTEXT_UNKNOWN,
    LEAVE_BEHIND_COLOURS,
    RECOMMENDED_COLOUR,
    context_colour,
    context_edges,
    unit_of,
)
from geo.schema import LEAVE_BEHIND_STATUS_LABELS

__all__ = [
    "APP_STATIC_BASE",
    "SITE_POPUP_FIELDS",
    "Tiles",
    "access_gap_map",
    "add_jurisdictions",
    "add_sites",
    "context_map",
    "finder_map",
    "leave_behind_map",
    "local_update_marks",
    "localise_assets",
    "new_map",
    "place_labels",
    "site_legend_items",
    "sites_map",
    "standalone_html",
    "tiles_from_environment",
]


def finder_map(
    jurisdictions: gpd.GeoDataFrame,
    results: pd.DataFrame,
    query_lat: float,
    query_lon: float,
    query_label: str,
    *,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
    unit: str = "mi",
    _: Translator = str,
) -> folium.Map:
    """The searched point and the nearest sites (``results``: the finder's columns,
    ``name`` numbered as in the list), zoomed to them; distances in ``unit``, every label,
    popup and legend in the language of ``_`` (a :mod:`geo.i18n` translator; data as it
    is)."""
    fmap = new_map(
        tiles=tiles,
        asset_base=asset_base,
        unit=unit,
        title=_("Map of the naloxone sites nearest {place} (list above)").format(place=query_label),
    )
    add_jurisdictions(
        fmap,
        jurisdictions,
        focus_fips=focus_fips,
        tooltip_fields=(("name", _("Jurisdiction")),),
        _=_,
    )
    searched = pd.DataFrame(
        {
            "lon": [query_lon],
            "lat": [query_lat],
            "label": [_("Searched: {place}").format(place=query_label)],
        }
    )
    add_hypothetical(  # first, so the results are drawn over it (issue 28: it hid no. 1)
        fmap,
        searched,
        "searched",
        RECOMMENDED_COLOUR,
        (("label", _("Point")),),
        stroke="#000000",
        weight=2.0,
        name="Searched point",
    )
    add_sites(
        fmap,
        gpd.GeoDataFrame(results.rename(columns={"as_of": "source_date"})),
        name="Nearest sites",
        radius_px=7.0,
        unit=unit,
        _=_,
    )
    lats = [query_lat, *results["lat"].dropna()]
    lons = [query_lon, *results["lon"].dropna()]
    for name in [n for n in fmap._children if n.startswith("fit_bounds")]:
        del fmap._children[name]  # open on the searched area, not the whole state
    span = max(max(lons) - min(lons), 1.3 * (max(lats) - min(lats)), 0.01)
    fmap.location = [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]
    fmap.options["zoom"] = int(min(max(math.floor(math.log2(250 / span)), 7), 14))
    items = [*site_legend_items(results, _), (RECOMMENDED_COLOUR, _("Searched point"), "circle")]
    add_legend(
        fmap,
        _("Nearest naloxone sites"),
        items,
        note=_(CALL_AHEAD),
        position="topright",
    )
    return fmap


def sites_map(
    jurisdictions: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
    unit: str = "mi",
) -> folium.Map:
    """Every mapped access point over the 24 jurisdictions, with a legend by type."""
    fmap = new_map(
        tiles=tiles,
        asset_base=asset_base,
        unit=unit,
        title="Map of naloxone access points in Maryland (table below)",
    )
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    add_sites(fmap, sites, unit=unit)
    add_legend(fmap, "Naloxone access points", site_legend_items(sites), note=STOCK_CAVEAT)
    return fmap


def leave_behind_map(
    jurisdictions: gpd.GeoDataFrame,
    leave_behind: pd.DataFrame,
    sites: gpd.GeoDataFrame | None = None,
    *,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
    unit: str = "mi",
) -> folium.Map:
    """Choropleth of EMS leave-behind status; unknown is drawn as unknown (grey)."""
    status = leave_behind.set_index("fips")["status"]
    frame = jurisdictions.copy()
    frame["status_label"] = frame["fips"].map(status).map(LEAVE_BEHIND_STATUS_LABELS)
    frame["earliest"] = frame["fips"].map(leave_behind.set_index("fips")["earliest_date"])
    fmap = new_map(
        tiles=tiles,
        asset_base=asset_base,
        unit=unit,
        title="Map of EMS naloxone leave-behind status by jurisdiction",
    )
    add_jurisdictions(
        fmap,
        frame,
        fill_colours={f: LEAVE_BEHIND_COLOURS[s] for f, s in status.items()},
        focus_fips=focus_fips,
        tooltip_fields=(
            ("name", "Jurisdiction"),
            ("status_label", "EMS leave-behind"),
            ("earliest", "Earliest evidence"),
        ),
        name="EMS leave-behind status",
    )
    items = [
        (LEAVE_BEHIND_COLOURS[s], LEAVE_BEHIND_STATUS_LABELS[s], "square")
        for s in LEAVE_BEHIND_COLOURS
    ]
    if sites is not None:
        add_sites(fmap, sites, radius_px=3.5, unit=unit)
        items += site_legend_items(sites)
    add_legend(
        fmap,
        "EMS naloxone leave-behind",
        items,
        note="Grey = no public evidence found, which is not evidence of no program. "
        + STOCK_CAVEAT,
    )
    return fmap


def context_map(
    jurisdictions: gpd.GeoDataFrame,
    context: pd.DataFrame,
    column: str,
    label: str,
    source: str,
    *,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
) -> folium.Map:
    """Choropleth of one county context column (SVI 2022 or opioid prescribing) in five
    fixed classes; an unknown value is grey and says so."""
    values = context.set_index("fips")[column]
    frame = jurisdictions.copy()
    frame["value_text"] = (
        frame["fips"].map(values).map(lambda v: "unknown" if pd.isna(v) else f"{v:g}")
    )
    fmap = new_map(tiles=tiles, asset_base=asset_base)
    add_jurisdictions(
        fmap,
        frame,
        fill_colours={f: context_colour(v, column) for f, v in values.items()},
        focus_fips=focus_fips,
        tooltip_fields=(("name", "Jurisdiction"), ("value_text", label)),
        name=label,
    )
    edges = context_edges(column)
    bounds = [
        "below " + f"{edges[0]:g}",
        *(f"{lo:g} to {hi:g}" for lo, hi in itertools.pairwise(edges)),
        f"{edges[-1]:g} and above",
    ]
    items = [(colour, text, "square") for colour, text in zip(CONTEXT_COLOURS, bounds, strict=True)]
    add_legend(fmap, label, [*items, (CONTEXT_UNKNOWN, "unknown", "square")], note=source)
    add_attribution(fmap, "County context: OEPS (healthyregions/oeps)")
    return fmap


def recommended_points(recommended: pd.DataFrame) -> pd.DataFrame:
    """``recommended`` (the ranking's rows) with its popup text: ``label`` (its rank),
    ``gain`` (residents newly within reach), ``where`` (the host site, or the tract centre)
    and a ``note`` that it is a candidate, not a naloxone site today."""
    host = recommended.get("kind", pd.Series("tract", index=recommended.index)).ne("tract")
    places = recommended.reindex(columns=["site_name", "address", "city"], fill_value="")
    return recommended.assign(
        label="Recommended #" + recommended["rank"].astype(str),
        gain=recommended["newly_covered_population"].map(formatting.count),
        where=[
            host_site_label(n, a, c) if is_host else f"tract centre {t}"
            for is_host, (n, a, c), t in zip(
                host, places.itertuples(index=False), recommended["candidate_id"], strict=True
            )
        ],
        note=np.where(host, CANDIDATE_SITE_CAVEAT, "a tract centre, not a site"),
    )


def access_gap_map(
    jurisdictions: gpd.GeoDataFrame,
    nearest: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    radius_m: float,
    radius_label: str,
    *,
    recommended: pd.DataFrame | None = None,
    what_if: pd.DataFrame | None = None,
    focus_fips: str | None = None,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
    unit: str | None = None,
) -> folium.Map:
    """Tract centres of population shaded by straight-line distance to the nearest site
    (bands in ``unit``, default the unit ``radius_label`` is written in), with the listed
    ``sites`` (rows of the sites layer), recommended new locations and what-if sites
    (``what_if``, drawn apart: hypothetical) on top."""
    unit = unit or unit_of(radius_label)
    fmap = new_map(
        tiles=tiles,
        asset_base=asset_base,
        unit=unit,
        title=f"Map of distance to the nearest naloxone site, radius {radius_label} "
        "(table of every tract below)",
    )
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    items = add_residents(fmap, nearest, radius_m, unit)
    add_sites(fmap, sites, radius_px=3.0, unit=unit)
    items += site_legend_items(sites)
    if recommended is not None and len(recommended):
        items += add_recommended(
            fmap,
            recommended_points(recommended),
            (
                ("label", "Suggestion"),
                ("where", "Place"),
                ("name", "Jurisdiction"),
                ("gain", "Residents newly within reach"),
                ("note", "Note"),
            ),
        )
    items += add_what_if(fmap, what_if)
    add_legend(
        fmap,
        "Distance to nearest site",
        items,
        note="Straight-line distance from 2020 tract centres of population. " + STOCK_CAVEAT,
    )
    return fmap
