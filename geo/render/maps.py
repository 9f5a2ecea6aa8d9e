"""Folium maps that work offline: vendored Leaflet, no CDN, escaped text.

Every JS/CSS asset a map needs is served by the app itself (``static/vendor``,
Streamlit static serving at ``/app/static``) or inlined for standalone HTML.
Basemap tiles are off unless configured (``NALOXONE_TILES_URL`` and
``NALOXONE_TILES_ATTRIBUTION``). Text from data is HTML-escaped before it
reaches the map. Coordinates are EPSG:4326; polygons are simplified in metres
(EPSG:26985) and rounded to keep the payload small.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.config import MARYLAND_STATE_PLANE_M, REPO_ROOT, WGS84
from geo.data.catalog import OSM_ATTRIBUTION, STOCK_CAVEAT
from geo.schema import SITE_TYPE_COLOURS, SITE_TYPE_LABELS

LEAFLET_DIR = "vendor/leaflet-1.9.3"
STATIC_DIR = REPO_ROOT / "static"
APP_STATIC_BASE = "/app/static"
MARYLAND_BOUNDS = ((37.88, -79.49), (39.73, -75.04))
COORDINATE_DECIMALS = 5
SIMPLIFY_TOLERANCE_M = 200.0
_URL = re.compile(r"""(?:src|href)\s*=\s*["'](https?:)?//[^"']+""", re.IGNORECASE)
_RESOURCE = re.compile(
    r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']((?:https?:)?//[^"']+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^)"']+)|@import\s+["']((?:https?:)?//[^"']+)""",
    re.IGNORECASE)


@dataclass(frozen=True)
class Tiles:
    """An optional basemap: a URL template and its attribution."""

    url: str
    attribution: str


def tiles_from_environment() -> Tiles | None:
    """Basemap configured by ``NALOXONE_TILES_URL`` / ``NALOXONE_TILES_ATTRIBUTION``, or None."""
    url = os.environ.get("NALOXONE_TILES_URL", "").strip()
    if not url:
        return None
    attribution = os.environ.get("NALOXONE_TILES_ATTRIBUTION", "").strip() or OSM_ATTRIBUTION
    return Tiles(url, attribution)


def escape_text(value: object) -> str:
    """Data text made safe for HTML (missing values become an empty string)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _js_string(text: str) -> str:
    """A JavaScript string literal for already-escaped text."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'"


def new_map(*, tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE,
            height: str = "100%") -> folium.Map:
    """An empty map of Maryland using only locally served Leaflet assets."""
    fmap = folium.Map(location=[38.95, -77.0], zoom_start=8, tiles=None, control_scale=True,
                      prefer_canvas=False, height=height)
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=escape_text(tiles.attribution),
                         name="Basemap").add_to(fmap)
    fmap.fit_bounds([list(MARYLAND_BOUNDS[0]), list(MARYLAND_BOUNDS[1])])
    fmap.add_child(_Attribution("Leaflet (BSD-2-Clause)", "setPrefix"),
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


def external_urls(document: str) -> list[str]:
    """Every ``src``/``href`` in ``document`` that points at another host."""
    return [match.group(0) for match in _URL.finditer(document)]


def external_resources(document: str) -> list[str]:
    """Every resource ``document`` would load from another host: scripts, images,
    frames, stylesheets, CSS ``url()`` and ``@import`` (plain links are not loads)."""
    return [next(g for g in match.groups() if g) for match in _RESOURCE.finditer(document)]


def _simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    projected = frame.geometry.to_crs(MARYLAND_STATE_PLANE_M)
    simple = projected.simplify(tolerance_m, preserve_topology=True).to_crs(WGS84)
    return gpd.GeoSeries(shapely.set_precision(simple.values, 10.0 ** -COORDINATE_DECIMALS),
                         crs=WGS84)


def _feature_collection(frame: pd.DataFrame, geometry: Iterable, properties: Sequence[str]
                        ) -> dict[str, object]:
    features = []
    for geom, (_, row) in zip(geometry, frame[list(properties)].iterrows(), strict=True):
        props = {}
        for key, value in row.items():
            if isinstance(value, (int, np.integer)):
                props[key] = int(value)
            elif isinstance(value, (float, np.floating)):
                props[key] = None if np.isnan(value) else float(value)
            else:
                props[key] = escape_text(value)
        features.append({"type": "Feature", "properties": props,
                         "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


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
        return {"fillColor": colours.get(fips, "#f2f2f2"),
                "fillOpacity": 0.75 if colours else 0.5,
                "color": "#000000" if focused else "#555555",
                "weight": 3.5 if focused else 0.8}

    layer = folium.GeoJson(
        collection, name=name, style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=fields,
                                      aliases=[alias for _, alias in tooltip_fields]),
    )
    layer.add_to(fmap)
    return layer


_POINTS = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var colours = {{ this.colours|tojson }};
  var fields = {{ this.fields|tojson }};
  function table(properties) {
    var node = document.createElement("table");
    node.className = "md-popup";
    fields.forEach(function (field) {
      var value = properties[field[0]];
      if (value === null || value === undefined || value === "") { return; }
      var row = node.insertRow();
      var head = document.createElement("th");
      head.textContent = field[1];
      head.style.textAlign = "left";
      head.style.paddingRight = "8px";
      row.appendChild(head);
      row.insertCell().textContent = String(value);
    });
    if ({{ this.footer|tojson }}) {
      var note = node.createCaption();
      note.textContent = {{ this.footer|tojson }};
      note.style.captionSide = "bottom";
      note.style.fontStyle = "italic";
      note.style.textAlign = "left";
    }
    return node;
  }
  return L.geoJson({{ this.data|tojson }}, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: {{ this.radius }}, color: "{{ this.stroke }}", weight: {{ this.weight }},
        fill: true, fillOpacity: {{ this.fill_opacity }},
        fillColor: colours[feature.properties[{{ this.colour_key|tojson }}]] || "#777777"
      });
    },
    onEachFeature: function (feature, layer) {
      layer.bindPopup(function () { return table(feature.properties); });
      var tip = document.createElement("span");
      tip.textContent = String(feature.properties[{{ this.tooltip_key|tojson }}]);
      layer.bindTooltip(tip);
    }
  }).addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")


class PointLayer(MacroElement):
    """Many points drawn as one Leaflet GeoJSON layer of circle markers.

    Colours come from ``colours[properties[colour_key]]``. Popups and tooltips
    are built with ``textContent``, so text from data can never run as HTML.
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray, properties: pd.DataFrame, *,
                 colour_key: str, colours: Mapping[str, str],
                 popup_fields: Sequence[tuple[str, str]], tooltip_key: str,
                 radius_px: float = 4.5, stroke: str = "#222222", weight: float = 0.6,
                 fill_opacity: float = 0.9, name: str = "Points", footer: str = "") -> None:
        super().__init__()
        self._name = "PointLayer"
        self._template = _POINTS
        self.layer_name = name
        self.colours = dict(colours)
        self.fields = [list(field) for field in popup_fields]
        self.colour_key = colour_key
        self.tooltip_key = tooltip_key
        self.radius = float(radius_px)
        self.stroke = stroke
        self.weight = float(weight)
        self.fill_opacity = float(fill_opacity)
        self.footer = footer
        keys = list(dict.fromkeys([colour_key, tooltip_key, *(f for f, _ in popup_fields)]))
        lon = np.round(np.asarray(lon, dtype=float), COORDINATE_DECIMALS)
        lat = np.round(np.asarray(lat, dtype=float), COORDINATE_DECIMALS)
        records = properties[keys].astype(object).where(properties[keys].notna(), None)
        self.data = {"type": "FeatureCollection", "features": [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
             "properties": {k: (v if isinstance(v, (int, float, type(None))) else str(v))
                            for k, v in zip(keys, row, strict=True)}}
            for x, y, row in zip(lon, lat, records.itertuples(index=False), strict=True)]}


SITE_POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("type_label", "Type"), ("address", "Address"),
    ("location", "Location"), ("source", "Source"), ("source_date", "As of"),
)


def add_sites(fmap: folium.Map, sites: gpd.GeoDataFrame, *, name: str = "Naloxone sites",
              radius_px: float = 4.5) -> PointLayer | None:
    """Mapped sites as one layer of circle markers coloured by type, with popups."""
    mapped = sites[sites["lat"].notna()].copy()
    if mapped.empty:
        return None
    mapped["type_label"] = mapped["type"].map(SITE_TYPE_LABELS)
    mapped["location"] = mapped["location_precision"].map(
        {"exact": "address / point", "zip_centroid": "approximate (ZIP centroid)"})
    layer = PointLayer(mapped["lon"].to_numpy(), mapped["lat"].to_numpy(), mapped,
                       colour_key="type", colours=SITE_TYPE_COLOURS,
                       popup_fields=SITE_POPUP_FIELDS, tooltip_key="name",
                       radius_px=radius_px, name=name,
                       footer="Listed, not confirmed stock: call ahead.")
    fmap.add_child(layer)
    add_attribution(fmap, OSM_ATTRIBUTION + " (pharmacies, ODbL)")
    return layer


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div class="md-legend" style="position:absolute; z-index:9999; {{ this.position_css }};
  background:rgba(255,255,255,0.94); padding:8px 10px; border:1px solid #999;
  border-radius:4px; font:12px/1.35 sans-serif; max-width:260px; color:#111;">
  <div style="font-weight:bold; margin-bottom:4px;">{{ this.title }}</div>
  {% for colour, label, shape in this.items %}
  <div><span style="display:inline-block; width:12px; height:12px; margin-right:6px;
    vertical-align:middle; background:{{ colour }}; border:1px solid #333;
    {% if shape == 'circle' %}border-radius:50%;{% endif %}"></span>{{ label }}</div>
  {% endfor %}
  {% if this.note %}<div style="margin-top:4px; font-style:italic;">{{ this.note }}</div>
  {% endif %}
</div>
{% endmacro %}
""")


class Legend(MacroElement):
    """A fixed legend box; labels are escaped here."""

    def __init__(self, title: str, items: Sequence[tuple[str, str, str]], *,
                 note: str = "", position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "Legend"
        self._template = _LEGEND
        self.title = escape_text(title)
        self.items = [(colour, escape_text(label), shape) for colour, label, shape in items]
        self.note = escape_text(note)
        vertical, horizontal = ("bottom" if "bottom" in position else "top",
                                "right" if "right" in position else "left")
        self.position_css = f"{vertical}:{48 if vertical == 'bottom' else 10}px; {horizontal}:10px"


def add_legend(fmap: folium.Map, title: str, items: Sequence[tuple[str, str, str]], *,
               note: str = "", position: str = "bottomleft") -> None:
    """Add a legend: ``items`` are (colour, label, 'circle' | 'square')."""
    fmap.add_child(Legend(title, items, note=note, position=position))


def site_legend_items(sites: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Legend rows for the types of the mapped sites in ``sites``, in the usual order."""
    present = set(sites.loc[sites["lat"].notna(), "type"])
    return [(SITE_TYPE_COLOURS[t], SITE_TYPE_LABELS[t], "circle")
            for t in SITE_TYPE_LABELS if t in present]


_ATTRIBUTION = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.{{ this.method }}({{ this.text }});
{% endmacro %}
""")


class _Attribution(MacroElement):
    """Call the map's attribution control: ``addAttribution`` (a source line) or
    ``setPrefix`` (replaces Leaflet's linked prefix with plain text: no outside link)."""

    def __init__(self, text: str, method: str = "addAttribution") -> None:
        super().__init__()
        self._name = "Attribution"
        self._template = _ATTRIBUTION
        self.method = method
        self.text = _js_string(escape_text(text))


def add_attribution(fmap: folium.Map, text: str) -> None:
    """Add an attribution line (e.g. © OpenStreetMap contributors) to the map."""
    key = "attribution_" + re.sub(r"\W", "_", text)[:40]
    if key not in fmap._children:
        fmap.add_child(_Attribution(text), name=key)


def sites_map(jurisdictions: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *,
              focus_fips: str | None = None, tiles: Tiles | None = None,
              asset_base: str = APP_STATIC_BASE) -> folium.Map:
    """Every mapped access point over the 24 jurisdictions, with a legend by type."""
    fmap = new_map(tiles=tiles, asset_base=asset_base)
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    add_sites(fmap, sites)
    add_legend(fmap, "Naloxone access points", site_legend_items(sites), note=STOCK_CAVEAT)
    return fmap


LEAVE_BEHIND_COLOURS: dict[str, str] = {
    "documented": "#56B4E9",
    "announced": "#F0E442",
    "no public evidence found": "#D9D9D9",
}


def leave_behind_map(jurisdictions: gpd.GeoDataFrame, leave_behind: pd.DataFrame,
                     sites: gpd.GeoDataFrame | None = None, *, focus_fips: str | None = None,
                     tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE
                     ) -> folium.Map:
    """Choropleth of EMS leave-behind status; unknown is drawn as unknown (grey)."""
    from geo.schema import LEAVE_BEHIND_STATUS_LABELS

    status = leave_behind.set_index("fips")["status"]
    frame = jurisdictions.copy()
    frame["status_label"] = frame["fips"].map(status).map(LEAVE_BEHIND_STATUS_LABELS)
    frame["earliest"] = frame["fips"].map(leave_behind.set_index("fips")["earliest_date"])
    fmap = new_map(tiles=tiles, asset_base=asset_base)
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


DISTANCE_CLASS_COLOURS = ("#FEF0D9", "#FDCC8A", "#FC8D59", "#D7301F")


def distance_class_labels(radius_label: str) -> tuple[str, ...]:
    """Legend labels of the four distance classes for a radius shown as ``radius_label``."""
    return (f"within {radius_label} (covered)", f"1-2 × {radius_label}",
            f"2-3 × {radius_label}", f"over 3 × {radius_label}")


def distance_class(distance_m: np.ndarray, radius_m: float) -> np.ndarray:
    """Class 0..3 of each distance: ≤ r, ≤ 2r, ≤ 3r, > 3r."""
    return np.searchsorted(np.array([radius_m, 2 * radius_m, 3 * radius_m]),
                           np.asarray(distance_m, dtype=float), side="left")


def access_gap_map(jurisdictions: gpd.GeoDataFrame, nearest: pd.DataFrame,
                   sites: gpd.GeoDataFrame, radius_m: float, radius_label: str, *,
                   recommended: pd.DataFrame | None = None,
                   what_if: pd.DataFrame | None = None, focus_fips: str | None = None,
                   tiles: Tiles | None = None, asset_base: str = APP_STATIC_BASE
                   ) -> folium.Map:
    """Tract centres of population shaded by straight-line distance to the nearest site,
    with the listed ``sites`` (rows of the sites layer), recommended new locations and
    what-if sites (``what_if``, drawn apart: hypothetical) on top."""
    from geo.render import formatting

    fmap = new_map(tiles=tiles, asset_base=asset_base)
    add_jurisdictions(fmap, jurisdictions, focus_fips=focus_fips)
    labels = distance_class_labels(radius_label)
    points = nearest.copy()
    points["class"] = distance_class(points["distance_m"].to_numpy(), radius_m).astype(str)
    points["people"] = points["population"].map(formatting.count)
    points["distance"] = points["distance_miles"].map(formatting.miles)
    fmap.add_child(PointLayer(
        points["lon"].to_numpy(), points["lat"].to_numpy(), points, colour_key="class",
        colours={str(i): c for i, c in enumerate(DISTANCE_CLASS_COLOURS)},
        popup_fields=(("geoid", "Census tract"), ("people", "Residents (2020)"),
                      ("distance", "Nearest site (straight line)")),
        tooltip_key="distance", radius_px=4.0, stroke="#555555", weight=0.4,
        name="Population"))
    add_sites(fmap, sites, radius_px=3.0)
    items = [(c, label, "circle") for c, label in zip(DISTANCE_CLASS_COLOURS, labels,
                                                        strict=True)]
    items += site_legend_items(sites)
    if recommended is not None and len(recommended):
        rec = recommended.copy()
        rec["label"] = "Recommended #" + rec["rank"].astype(str)
        rec["gain"] = rec["newly_covered_population"].map(formatting.count)
        rec["kind"] = "recommended"
        fmap.add_child(PointLayer(
            rec["lon"].to_numpy(), rec["lat"].to_numpy(), rec, colour_key="kind",
            colours={"recommended": "#000000"},
            popup_fields=(("label", "Suggestion"), ("name", "Jurisdiction"),
                          ("gain", "Residents newly within radius")),
            tooltip_key="label", radius_px=7.0, stroke="#FFFFFF", weight=2.0,
            name="Recommended locations"))
        items.append(("#000000", "Recommended new location (hypothetical)", "circle"))
    if what_if is not None and len(what_if):
        added = what_if.copy()
        added["kind"] = "what_if"
        added["label"] = added["name"].astype(str) + " (what-if)"
        fmap.add_child(PointLayer(
            added["lon"].to_numpy(), added["lat"].to_numpy(), added, colour_key="kind",
            colours={"what_if": "#56B4E9"}, popup_fields=(("label", "What-if site"),),
            tooltip_key="label", radius_px=7.0, stroke="#000000", weight=1.5,
            name="What-if sites"))
        items.append(("#56B4E9", "What-if site you added (hypothetical)", "circle"))
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
