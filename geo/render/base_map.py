"""The base of every folium map: vendored Leaflet (no CDN), optional tiles, jurisdiction
polygons with their names, site markers, standalone HTML.

Every JS/CSS asset a map needs is served by the app itself (``static/vendor``,
Streamlit static serving at ``/app/static``) or inlined for standalone HTML.
Basemap tiles are off unless configured (``NALOXONE_TILES_URL`` and
``NALOXONE_TILES_ATTRIBUTION``, see :mod:`geo.config`). Text from data is HTML-escaped
before it reaches the map. Coordinates are EPSG:4326; polygons are simplified in metres
(EPSG:26985) and rounded to keep the payload small. The layers are built in
:mod:`geo.render.map_layers`, legends, labels and attribution lines in
:mod:`geo.render.map_controls`; which names are shown comes
from :mod:`geo.render.map_labels`; colours from :mod:`geo.render.palette`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from geo import config
from geo.config import (
    MARYLAND_MAP_BOUNDS,
    METRES_PER_MILE,
    REPO_ROOT,
    WGS84,
)
from geo.data.catalog import (
    CALL_AHEAD,
    GEONAMES_ATTRIBUTION,
    OSM_ATTRIBUTION,
    PLACE_NAMES_ATTRIBUTION,
)
from geo.i18n import N_, Translator
from geo.render.boundaries import SIMPLIFY_TOLERANCE_M
from geo.render.boundaries import simplified as _simplified
from geo.render.map_controls import (
    Attribution,
    FitClearOfLegend,
    KeyboardAndTitle,
    MapLabels,
    PopupClear,
    ScaleControl,
    add_attribution,
)
from geo.render.map_labels import interactive_labels
from geo.render.map_layers import BoundaryLayer, PointLayer, escape_text
from geo.render.palette import (
    APPROXIMATE_LOCATION,
    BOUNDARY,
    EMPTY_FILL,
    FOCUS_OUTLINE,
    SITE_TYPE_COLOURS,
)
from geo.schema import SITE_TYPE_LABELS

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


def new_map(
    *,
    tiles: Tiles | None = None,
    asset_base: str = APP_STATIC_BASE,
    height: str = "100%",
    title: str = "Map of Maryland",
    unit: str = "mi",
) -> folium.Map:
    """An empty map of Maryland using only locally served Leaflet assets, named ``title``
    for screen readers, its markers out of the Tab order, its scale in ``unit`` only."""
    fmap = folium.Map(
        location=[38.95, -77.0],
        zoom_start=8,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        height=height,
        zoom_snap=0.5,
    )  # half steps: the state fills a phone-wide map better
    fmap.add_child(KeyboardAndTitle(escape_text(title)), name="keyboard_and_title")
    fmap.add_child(ScaleControl(unit), name="scale_control")
    fmap.add_child(PopupClear(), name="popup_clear")
    if tiles is not None:
        folium.TileLayer(
            tiles=tiles.url, attr=escape_text(tiles.attribution), name="Basemap"
        ).add_to(fmap)
    fmap.fit_bounds([list(MARYLAND_MAP_BOUNDS[0]), list(MARYLAND_MAP_BOUNDS[1])])
    fmap.add_child(Attribution("Leaflet (BSD-2-Clause)", "setPrefix"), name="attribution_prefix")
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


def _feature_collection(
    frame: pd.DataFrame, geometry: gpd.GeoSeries, properties: Sequence[str]
) -> dict[str, object]:
    """A GeoJSON FeatureCollection of ``geometry`` with the ``properties`` columns: text
    is HTML-escaped (missing text becomes ""), missing numbers become null."""
    table = frame[list(properties)].copy()
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(escape_text).astype(object)
    return gpd.GeoDataFrame(
        table.reset_index(drop=True), geometry=geometry.values, crs=WGS84
    ).to_geo_dict(na="null", drop_id=True)


def add_jurisdictions(
    fmap: folium.Map,
    jurisdictions: gpd.GeoDataFrame,
    *,
    fill_colours: Mapping[str, str] | None = None,
    focus_fips: str | None = None,
    tooltip_fields: Sequence[tuple[str, str]] = (("name", "Jurisdiction"),),
    name: str = "Jurisdictions",
    labels: bool = True,
    _: Translator = str,
) -> folium.GeoJson:
    """Jurisdiction polygons, optionally filled per FIPS; the focus one outlined thick and
    zoomed to; with ``labels``, the names of the jurisdictions and main towns."""
    fields = [field for field, _ in tooltip_fields]
    collection = _feature_collection(
        jurisdictions, _simplified(jurisdictions, SIMPLIFY_TOLERANCE_M), sorted({"fips", *fields})
    )
    colours = dict(fill_colours or {})

    def style(feature: dict) -> dict:
        fips = feature["properties"]["fips"]
        focused = fips == focus_fips
        return {
            "fillColor": colours.get(fips, EMPTY_FILL),
            "fillOpacity": 0.75 if colours else 0.5,
            "color": FOCUS_OUTLINE if focused else BOUNDARY,
            "weight": 3.5 if focused else 0.8,
        }

    layer = BoundaryLayer(
        collection,
        name=name,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=[alias for _, alias in tooltip_fields]
        ),
    )
    layer.add_to(fmap)
    if labels:
        add_labels(fmap, jurisdictions, focus_fips, _)
    if focus_fips is not None and jurisdictions["fips"].eq(focus_fips).any():
        zoom_to_focus(fmap, jurisdictions, focus_fips)
    return layer


def add_labels(
    fmap: folium.Map,
    jurisdictions: gpd.GeoDataFrame,
    focus_fips: str | None = None,
    _: Translator = str,
) -> None:
    """Names of the jurisdictions and the main towns (more towns as the map zooms in),
    crediting GeoNames for the town names (the credit in the language of ``_``)."""
    chosen = interactive_labels(jurisdictions, focus_fips)
    fmap.add_child(
        MapLabels(
            [
                (k.text, k.kind + (" left" if k.side == "left" else ""), k.lat, k.lon, k.min_zoom)
                for k in chosen
            ]
        ),
        name="map_labels",
    )
    if any(k.kind == "town" for k in chosen):
        add_attribution(fmap, _(PLACE_NAMES_ATTRIBUTION))


def zoom_to_focus(fmap: folium.Map, jurisdictions: gpd.GeoDataFrame, fips: str) -> None:
    """Open the map on one jurisdiction instead of the whole state."""
    west, south, east, north = jurisdictions.loc[jurisdictions["fips"] == fips].total_bounds
    for child in [n for n in fmap._children if n.startswith("fit_bounds")]:
        del fmap._children[child]
    bounds = [[float(south), float(west)], [float(north), float(east)]]
    for child in [n for n in fmap._children if n.startswith("fit_clear_of_legend")]:
        del fmap._children[child]
    fmap.add_child(FitClearOfLegend(bounds), name="fit_clear_of_legend")


#: How a site's location was obtained, as its popup says (msgids: :mod:`geo.i18n`).
LOCATION_TEXT = {
    "exact": N_("address / point"),
    "zip_centroid": APPROXIMATE_LOCATION,
}

SITE_POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Name")),
    ("type_label", N_("Type")),
    ("address", N_("Address")),
    ("place_label", N_("Nearest town")),
    ("location", N_("Location")),
    ("source", N_("Source")),
    ("source_date", N_("As of")),
    ("evidence_age", N_("Evidence")),
    ("local_update", N_("Local update")),
)


def add_sites(
    fmap: folium.Map,
    sites: gpd.GeoDataFrame,
    *,
    name: str = "Naloxone sites",
    radius_px: float = 4.5,
    unit: str = "mi",
    _: Translator = str,
) -> PointLayer | None:
    """Mapped sites as one layer of circle markers coloured by type, with popups
    (distances in ``unit``; labels in the language of ``_``, data as it is)."""
    mapped = sites[sites["lat"].notna()].copy()
    if mapped.empty:
        return None
    mapped["type_label"] = mapped["type"].map(lambda t: _(SITE_TYPE_LABELS.get(t, t)))
    mapped["place_label"] = place_labels(mapped, unit)
    mapped["evidence_age"] = evidence_ages(mapped, _)
    mapped["location"] = mapped["location_precision"].map(
        lambda p: _(LOCATION_TEXT[p]) if p in LOCATION_TEXT else None
    )
    mapped["approximate"] = (
        mapped["location_precision"].eq("zip_centroid").map({True: "yes", False: None})
    )
    mapped["local_update"] = local_update_marks(mapped, _)
    layer = PointLayer(
        mapped["lon"].to_numpy(),
        mapped["lat"].to_numpy(),
        mapped,
        colour_key="type",
        colours=SITE_TYPE_COLOURS,
        popup_fields=[(key, _(label)) for key, label in SITE_POPUP_FIELDS],
        tooltip_key="name",
        radius_px=radius_px,
        name=name,
        footer=_(CALL_AHEAD),
        ring_key="approximate",
        ring_style="hollow",
    )
    fmap.add_child(layer)
    add_attribution(fmap, _("{credit} (pharmacies, ODbL)").format(credit=OSM_ATTRIBUTION))
    if mapped["location_precision"].eq("zip_centroid").any():
        add_attribution(fmap, _(GEONAMES_ATTRIBUTION))
    if mapped["place_label"].notna().any():
        add_attribution(fmap, _(PLACE_NAMES_ATTRIBUTION))
    return layer


def evidence_ages(sites: pd.DataFrame, _: Translator = str) -> pd.Series:
    """How old each site's evidence is (:func:`geo.render.formatting.evidence_age`)."""
    from geo.render.formatting import evidence_age

    dates = sites.get("evidence_date", pd.Series(pd.NA, index=sites.index))
    return pd.Series([evidence_age(d, _=_) for d in dates], index=sites.index, dtype=object)


def local_update_marks(sites: pd.DataFrame, _: Translator = str) -> pd.Series:
    """ "updated 2026-11-22" (a draft: "draft, updated …") for a local update, else NA
    (in the language of ``_``)."""
    origin = sites.get("origin", pd.Series("public", index=sites.index)).astype("string")
    updated = sites.get("updated", pd.Series(pd.NA, index=sites.index)).astype("string")
    dates = updated.fillna(_("(date unknown)"))
    marked, drafted = _("updated {date}"), _("draft, updated {date}")
    mark = dates.map(lambda d: marked.format(date=d)).astype("string")
    draft = dates.map(lambda d: drafted.format(date=d)).astype("string")
    mark = mark.where(origin.ne("public"))
    return mark.where(~origin.str.contains("draft", na=False), draft)


def place_labels(sites: pd.DataFrame, unit: str = "mi") -> pd.Series:
    """``Oakland (0.4 mi)``: each site's nearest town and its straight-line distance in
    ``unit`` (missing where the site has no place, e.g. a local addition not yet placed)."""
    if "place" not in sites:
        return pd.Series(None, index=sites.index, dtype=object)
    metres = pd.to_numeric(
        sites.get("place_distance_m", pd.Series(float("nan"), index=sites.index)), errors="coerce"
    )
    per_unit = METRES_PER_MILE if unit == "mi" else 1000.0
    labels = [
        None
        if pd.isna(place)
        else f"{place} ({m / per_unit:.1f} {unit})"
        if pd.notna(m)
        else str(place)
        for place, m in zip(sites["place"], metres, strict=True)
    ]
    return pd.Series(labels, index=sites.index, dtype=object)


def standalone_html(fmap: folium.Map) -> str:
    """The map as one self-contained HTML file: Leaflet's JS and CSS (with its images as
    data URIs) are inlined, so it opens offline and requests nothing from any host."""
    import base64

    localise_assets(fmap, "__LOCAL__")
    document = fmap.get_root().render()
    leaflet = STATIC_DIR / LEAFLET_DIR
    # The maps replace Leaflet's linked attribution prefix with plain text; drop the
    # unused default link from the inlined copy so the file names no outside host.
    script = (
        (leaflet / "leaflet.js")
        .read_text(encoding="utf-8")
        .replace('<a href="https://leafletjs.com" ', "<a ")
    )
    style = (leaflet / "leaflet.css").read_text(encoding="utf-8")
    for image in (leaflet / "images").glob("*.png"):
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        style = style.replace(f"images/{image.name}", f"data:image/png;base64,{encoded}")
    base = f"__LOCAL__/{LEAFLET_DIR}"
    document = re.sub(
        rf'<script[^>]*src="{re.escape(base)}/leaflet\.js"[^>]*></script>',
        lambda _: f"<script>{script}</script>",
        document,
    )
    document = re.sub(
        rf'<link[^>]*href="{re.escape(base)}/leaflet\.css"[^>]*/?>',
        lambda _: f"<style>{style}</style>",
        document,
    )
    if "__LOCAL__" in document:
        raise RuntimeError("a map asset could not be inlined")
    return document
