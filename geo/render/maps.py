"""Folium maps that work offline: vendored Leaflet, no CDN, escaped text.

Every JS/CSS asset a map needs is served by the app itself (``static/vendor``,
Streamlit static serving at ``/app/static``) or inlined for standalone HTML.
Basemap tiles are off unless configured (``NALOXONE_TILES_URL`` and
``NALOXONE_TILES_ATTRIBUTION``, see :mod:`geo.config`). Text from data is HTML-escaped
before it reaches the map. Coordinates are EPSG:4326; polygons are simplified in metres
(EPSG:26985) and rounded to keep the payload small. The layers, legends and attribution
lines are built in :mod:`geo.render.map_layers`; colours come from :mod:`geo.render.palette`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from geo import config
from geo.config import MARYLAND_MAP_BOUNDS, REPO_ROOT, WGS84
from geo.data.catalog import (
    GEONAMES_ATTRIBUTION,
    OSM_ATTRIBUTION,
    PLACE_NAMES_ATTRIBUTION,
    STOCK_CAVEAT,
)
from geo.render import formatting
from geo.render.boundaries import SIMPLIFY_TOLERANCE_M
from geo.render.boundaries import simplified as _simplified
from geo.render.map_layers import (
    Attribution,
    BoundaryLayer,
    KeyboardAndTitle,
    PointLayer,
    add_attribution,
    add_legend,
    escape_text,
)
from geo.render.palette import (
    BOUNDARY,
    CONTEXT_COLOURS,
    CONTEXT_UNKNOWN,
    DISTANCE_CLASS_COLOURS,
    EMPTY_FILL,
    FOCUS_OUTLINE,
    LEAVE_BEHIND_COLOURS,
    RECOMMENDED_COLOUR,
    RESIDENT_OUTLINE,
    SITE_TYPE_COLOURS,
    WHAT_IF_COLOUR,
    context_colour,
    context_edges,
    distance_class,
    distance_class_labels,
)
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_LABELS

LEAFLET_DIR = "vendor/leaflet-1.9.3"
STATIC_DIR = REPO_ROOT / "static"
APP_STATIC_BASE = "/app/static"


@dataclass(frozen=True)
class Tiles:
    """An optional basemap: a URL template and its attribution."""

    url: str
    attribution: str


def tiles_from_environment() -> Tiles | None:
    """The basemap configured in the environment (:func:`geo.config.tiles_url`), credited
    to OpenStreetMap unless an attribution is configured; None: no basemap."""
    url = config.tiles_url()
    if not url:
        return None
    return Tiles(url, config.tiles_attribution() or OSM_ATTRIBUTION)


def new_map(*, tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE,
            height: str = "100%", title: str = "Map of Maryland") -> folium.Map:
    """An empty map of Maryland using only locally served Leaflet assets, named ``title``
    for screen readers, its markers out of the Tab order."""
    fmap = folium.Map(location=[38.95, -77.0], zoom_start=8, tiles=None, control_scale=True,
                      prefer_canvas=False, height=height)
    fmap.add_child(KeyboardAndTitle(escape_text(title)), name="keyboard_and_title")
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=escape_text(tiles.attribution),
                         name="Basemap").add_to(fmap)
    fmap.fit_bounds([list(MARYLAND_MAP_BOUNDS[0]), list(MARYLAND_MAP_BOUNDS[1])])
    fmap.add_child(Attribution("Leaflet (BSD-2-Clause)", "setPrefix"),
                   name="attribution_prefix")
    localise_assets(fmap, asset_base)
    return fmap


def localise_assets(fmap: folium.Map, asset_base: str = APP_STATIC_BASE) -> None:
    """Point every JS/CSS asset of the map at the vendored Leaflet; drop the rest.

    Folium's default assets (jQuery, Bootstrap, Font Awesome, awesome-markers)
    are not used by these maps, so they are not loaded at all.
    """
    base = f"{asset_base.rstrip('/')}/{LEAFLET_DIR}"
    fmap.default_js = [("leaflet", f"{base}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{base}/leaflet.css")]


def _feature_collection(frame: pd.DataFrame, geometry: gpd.GeoSeries,
                        properties: Sequence[str]) -> dict[str, object]:
    """A GeoJSON FeatureCollection of ``geometry`` with the ``properties`` columns: text
    is HTML-escaped (missing text becomes ""), missing numbers become null."""
    table = frame[list(properties)].copy()
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(escape_text).astype(object)
    return gpd.GeoDataFrame(table.reset_index(drop=True), geometry=geometry.values,
                            crs=WGS84).to_geo_dict(na="null", drop_id=True)


def add_jurisdictions(fmap: folium.Map, jurisdictions: gpd.GeoDataFrame, *,
                      fill_colours: Mapping[str, str] | None = None,
                      focus_fips: str | None = None,
                      tooltip_fields: Sequence[tuple[str, str]] = (("name", "Jurisdiction"),),
                      name: str = "Jurisdictions") -> folium.GeoJson:
    """Jurisdiction polygons, optionally filled per FIPS; the focus one outlined thick."""
    fields = [field for field, _ in tooltip_fields]
    collection = _feature_collection(jurisdictions, _simplified(jurisdictions,
                                                                SIMPLIFY_TOLERANCE_M),
                                     sorted({"fips", *fields}))
    colours = dict(fill_colours or {})

    def style(feature: dict) -> dict:
        fips = feature["properties"]["fips"]
        focused = fips == focus_fips
        return {"fillColor": colours.get(fips, EMPTY_FILL),
                "fillOpacity": 0.75 if colours else 0.5,
                "color": FOCUS_OUTLINE if focused else BOUNDARY,
                "weight": 3.5 if focused else 0.8}

    layer = BoundaryLayer(
        collection, name=name, style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=fields,
                                      aliases=[alias for _, alias in tooltip_fields]),
    )
    layer.add_to(fmap)
    return layer


SITE_POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("type_label", "Type"), ("address", "Address"),
    ("place_label", "Nearest town"), ("location", "Location"), ("source", "Source"),
    ("source_date", "As of"), ("local_update", "Local update"),
)


def add_sites(fmap: folium.Map, sites: gpd.GeoDataFrame, *, name: str = "Naloxone sites",
              radius_px: float = 4.5) -> PointLayer | None:
    """Mapped sites as one layer of circle markers coloured by type, with popups."""
    mapped = sites[sites["lat"].notna()].copy()
    if mapped.empty:
        return None
    mapped["type_label"] = mapped["type"].map(SITE_TYPE_LABELS)
    mapped["place_label"] = place_labels(mapped)
    mapped["location"] = mapped["location_precision"].map(
        {"exact": "address / point", "zip_centroid": "approximate (ZIP centroid)"})
    mapped["local_update"] = local_update_marks(mapped)
    layer = PointLayer(mapped["lon"].to_numpy(), mapped["lat"].to_numpy(), mapped,
                       colour_key="type", colours=SITE_TYPE_COLOURS,
                       popup_fields=SITE_POPUP_FIELDS, tooltip_key="name",
                       radius_px=radius_px, name=name,
                       footer="Listed, not confirmed stock: call ahead.")
    fmap.add_child(layer)
    add_attribution(fmap, OSM_ATTRIBUTION + " (pharmacies, ODbL)")
    if mapped["location_precision"].eq("zip_centroid").any():
        add_attribution(fmap, GEONAMES_ATTRIBUTION)
    if mapped["place_label"].notna().any():
        add_attribution(fmap, PLACE_NAMES_ATTRIBUTION)
    return layer


def local_update_marks(sites: pd.DataFrame) -> pd.Series:
    """"updated 2026-11-22" (a draft: "draft, updated …") for a local update, else NA."""
    origin = sites.get("origin", pd.Series("public", index=sites.index)).astype("string")
    updated = sites.get("updated", pd.Series(pd.NA, index=sites.index)).astype("string")
    mark = ("updated " + updated.fillna("(date unknown)")).where(origin.ne("public"))
    return mark.where(~origin.str.contains("draft", na=False), "draft, " + mark)


def place_labels(sites: pd.DataFrame) -> pd.Series:
    """``Oakland (0.4 mi)``: each site's nearest town and its straight-line distance
    (missing where the site has no place, e.g. a local addition not yet placed)."""
    if "place" not in sites:
        return pd.Series(None, index=sites.index, dtype=object)
    metres = pd.to_numeric(sites.get("place_distance_m", pd.Series(
        float("nan"), index=sites.index)), errors="coerce")
    labels = [None if pd.isna(place) else
              f"{place} ({m / 1609.344:.1f} mi)" if pd.notna(m) else str(place)
              for place, m in zip(sites["place"], metres, strict=True)]
    return pd.Series(labels, index=sites.index, dtype=object)


def finder_map(jurisdictions: gpd.GeoDataFrame, results: pd.DataFrame, query_lat: float,
               query_lon: float, query_label: str, *, focus_fips: str | None = None,
               tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE) -> folium.Map:
    """The searched point and the nearest sites (``results``: the finder's columns,
    ``name`` numbered as in the list), zoomed to them."""
    fmap = new_map(tiles=tiles, asset_base=asset_base)
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    add_sites(fmap, gpd.GeoDataFrame(results.rename(columns={"as_of": "source_date"})),
              name="Nearest sites", radius_px=7.0)
    searched = pd.DataFrame({"lon": [query_lon], "lat": [query_lat],
                             "label": [f"Searched: {query_label}"]})
    _add_hypothetical(fmap, searched, "searched", RECOMMENDED_COLOUR, (("label", "Point"),),
                      stroke="#000000", weight=2.0, name="Searched point")
    lats = [query_lat, *results["lat"].dropna()]
    lons = [query_lon, *results["lon"].dropna()]
    for name in [n for n in fmap._children if n.startswith("fit_bounds")]:
        del fmap._children[name]  # open on the searched area, not the whole state
    span = max(max(lons) - min(lons), 1.3 * (max(lats) - min(lats)), 0.01)
    fmap.location = [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]
    fmap.options["zoom"] = int(min(max(math.floor(math.log2(250 / span)), 7), 14))
    items = [*site_legend_items(results), (RECOMMENDED_COLOUR, "Searched point", "circle")]
    add_legend(fmap, "Nearest naloxone sites", items, note="Call ahead: not confirmed stock.",
               position="topright")
    return fmap


def site_legend_items(sites: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Legend rows for the types of the mapped sites in ``sites``, in the usual order."""
    present = set(sites.loc[sites["lat"].notna(), "type"])
    return [(SITE_TYPE_COLOURS[t], SITE_TYPE_LABELS[t], "circle")
            for t in SITE_TYPE_LABELS if t in present]


def sites_map(jurisdictions: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *,
              focus_fips: str | None = None, tiles: Tiles | None = None,
              asset_base: str = APP_STATIC_BASE) -> folium.Map:
    """Every mapped access point over the 24 jurisdictions, with a legend by type."""
    fmap = new_map(tiles=tiles, asset_base=asset_base,
                   title="Map of naloxone access points in Maryland (table below)")
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    add_sites(fmap, sites)
    add_legend(fmap, "Naloxone access points", site_legend_items(sites), note=STOCK_CAVEAT)
    return fmap


def leave_behind_map(jurisdictions: gpd.GeoDataFrame, leave_behind: pd.DataFrame,
                     sites: gpd.GeoDataFrame | None = None, *, focus_fips: str | None = None,
                     tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE
                     ) -> folium.Map:
    """Choropleth of EMS leave-behind status; unknown is drawn as unknown (grey)."""
    status = leave_behind.set_index("fips")["status"]
    frame = jurisdictions.copy()
    frame["status_label"] = frame["fips"].map(status).map(LEAVE_BEHIND_STATUS_LABELS)
    frame["earliest"] = frame["fips"].map(leave_behind.set_index("fips")["earliest_date"])
    fmap = new_map(tiles=tiles, asset_base=asset_base,
                   title="Map of EMS naloxone leave-behind status by jurisdiction")
    add_jurisdictions(fmap, frame, fill_colours={f: LEAVE_BEHIND_COLOURS[s]
                                                 for f, s in status.items()},
                      focus_fips=focus_fips,
                      tooltip_fields=(("name", "Jurisdiction"),
                                      ("status_label", "EMS leave-behind"),
                                      ("earliest", "Earliest evidence")),
                      name="EMS leave-behind status")
    items = [(LEAVE_BEHIND_COLOURS[s], LEAVE_BEHIND_STATUS_LABELS[s], "square")
             for s in LEAVE_BEHIND_COLOURS]
    if sites is not None:
        add_sites(fmap, sites, radius_px=3.5)
        items += site_legend_items(sites)
    add_legend(fmap, "EMS naloxone leave-behind", items,
               note="Grey = no public evidence found, which is not evidence of no program. "
               + STOCK_CAVEAT)
    return fmap


def context_map(jurisdictions: gpd.GeoDataFrame, context: pd.DataFrame, column: str,
                label: str, source: str, *, focus_fips: str | None = None,
                tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE) -> folium.Map:
    """Choropleth of one county context column (SVI 2022 or opioid prescribing) in five
    fixed classes; an unknown value is grey and says so."""
    values = context.set_index("fips")[column]
    frame = jurisdictions.copy()
    frame["value_text"] = frame["fips"].map(values).map(
        lambda v: "unknown" if pd.isna(v) else f"{v:g}")
    fmap = new_map(tiles=tiles, asset_base=asset_base)
    add_jurisdictions(fmap, frame, fill_colours={f: context_colour(v, column)
                                                 for f, v in values.items()},
                      focus_fips=focus_fips,
                      tooltip_fields=(("name", "Jurisdiction"), ("value_text", label)),
                      name=label)
    edges = context_edges(column)
    bounds = ["below " + f"{edges[0]:g}",
              *(f"{lo:g} to {hi:g}" for lo, hi in itertools.pairwise(edges)),
              f"{edges[-1]:g} and above"]
    items = [(colour, text, "square") for colour, text in zip(CONTEXT_COLOURS, bounds,
                                                              strict=True)]
    add_legend(fmap, label, [*items, (CONTEXT_UNKNOWN, "unknown", "square")], note=source)
    add_attribution(fmap, "County context: OEPS (healthyregions/oeps)")
    return fmap


def _add_residents(fmap: folium.Map, nearest: pd.DataFrame, radius_m: float,
                   radius_label: str) -> list[tuple[str, str, str]]:
    """Tract centres coloured by distance class; returns their legend rows."""
    points = nearest.copy()
    points["class"] = distance_class(points["distance_m"].to_numpy(), radius_m).astype(str)
    points["people"] = points["population"].map(formatting.count)
    points["distance"] = points["distance_miles"].map(formatting.miles)
    fmap.add_child(PointLayer(
        points["lon"].to_numpy(), points["lat"].to_numpy(), points, colour_key="class",
        colours={str(i): c for i, c in enumerate(DISTANCE_CLASS_COLOURS)},
        popup_fields=(("geoid", "Census tract"), ("people", "Residents (2020)"),
                      ("distance", "Nearest site (straight line)")),
        tooltip_key="distance", radius_px=4.0, stroke=RESIDENT_OUTLINE, weight=0.4,
        name="Population"))
    return [(c, label, "circle") for c, label in zip(DISTANCE_CLASS_COLOURS,
                                                     distance_class_labels(radius_label),
                                                     strict=True)]


def _add_hypothetical(fmap: folium.Map, points: pd.DataFrame, kind: str, colour: str,
                      popup_fields: Sequence[tuple[str, str]], *, stroke: str,
                      weight: float, name: str) -> None:
    """Large markers for hypothetical sites; ``points`` has lon, lat and a ``label``."""
    fmap.add_child(PointLayer(
        points["lon"].to_numpy(), points["lat"].to_numpy(), points.assign(kind=kind),
        colour_key="kind", colours={kind: colour}, popup_fields=popup_fields,
        tooltip_key="label", radius_px=7.0, stroke=stroke, weight=weight, name=name))


def access_gap_map(jurisdictions: gpd.GeoDataFrame, nearest: pd.DataFrame,
                   sites: gpd.GeoDataFrame, radius_m: float, radius_label: str, *,
                   recommended: pd.DataFrame | None = None,
                   what_if: pd.DataFrame | None = None, focus_fips: str | None = None,
                   tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE
                   ) -> folium.Map:
    """Tract centres of population shaded by straight-line distance to the nearest site,
    with the listed ``sites`` (rows of the sites layer), recommended new locations and
    what-if sites (``what_if``, drawn apart: hypothetical) on top."""
    fmap = new_map(tiles=tiles, asset_base=asset_base,
                   title=f"Map of distance to the nearest naloxone site, radius {radius_label} "
                   "(table of every tract below)")
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    items = _add_residents(fmap, nearest, radius_m, radius_label)
    add_sites(fmap, sites, radius_px=3.0)
    items += site_legend_items(sites)
    if recommended is not None and len(recommended):
        rec = recommended.assign(
            label="Recommended #" + recommended["rank"].astype(str),
            gain=recommended["newly_covered_population"].map(formatting.count))
        _add_hypothetical(fmap, rec, "recommended", RECOMMENDED_COLOUR,
                          (("label", "Suggestion"), ("name", "Jurisdiction"),
                           ("gain", "Residents newly within radius")),
                          stroke="#FFFFFF", weight=2.0, name="Recommended locations")
        items.append((RECOMMENDED_COLOUR, "Recommended new location (hypothetical)", "circle"))
    if what_if is not None and len(what_if):
        added = what_if.assign(label=what_if["name"].astype(str) + " (what-if)")
        _add_hypothetical(fmap, added, "what_if", WHAT_IF_COLOUR,
                          (("label", "What-if site"),),
                          stroke="#000000", weight=1.5, name="What-if sites")
        items.append((WHAT_IF_COLOUR, "What-if site you added (hypothetical)", "circle"))
    add_legend(fmap, "Distance to nearest site", items,
               note="Straight-line distance from 2020 tract centres of population. "
               + STOCK_CAVEAT)
    return fmap


def standalone_html(fmap: folium.Map) -> str:
    """The map as one self-contained HTML file: Leaflet's JS and CSS (with its images as
    data URIs) are inlined, so it opens offline and requests nothing from any host."""
    import base64

    localise_assets(fmap, "__LOCAL__")
    document = fmap.get_root().render()
    leaflet = STATIC_DIR / LEAFLET_DIR
    # The maps replace Leaflet's linked attribution prefix with plain text; drop the
    # unused default link from the inlined copy so the file names no outside host.
    script = (leaflet / "leaflet.js").read_text(encoding="utf-8").replace(
        '<a href="https://leafletjs.com" ', '<a ')
    style = (leaflet / "leaflet.css").read_text(encoding="utf-8")
    for image in (leaflet / "images").glob("*.png"):
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        style = style.replace(f"images/{image.name}", f"data:image/png;base64,{encoded}")
    base = f"__LOCAL__/{LEAFLET_DIR}"
    document = re.sub(rf'<script[^>]*src="{re.escape(base)}/leaflet\.js"[^>]*></script>',
                      lambda _: f"<script>{script}</script>", document)
    document = re.sub(rf'<link[^>]*href="{re.escape(base)}/leaflet\.css"[^>]*/?>',
                      lambda _: f"<style>{style}</style>", document)
    if "__LOCAL__" in document:
        raise RuntimeError("a map asset could not be inlined")
    return document
