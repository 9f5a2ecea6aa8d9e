"""The Leaflet controls and overlays of the folium maps: legend, attribution, keyboard
order and title, place names, exported-map title, scale bar, the fit clear of the legend.

Each is a branca ``MacroElement`` rendering a little JavaScript or HTML. Text from data
never runs as HTML: labels are filled with ``textContent``, legend labels, titles and
attribution lines are escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.render.map_layers import COORDINATE_DECIMALS, escape_text, js_string

_LEGEND = Template("""
{% macro html(this, kwargs) %}
<style>
  /* issue 28: on a phone the credits wrapped over the scale bar, and the legend (drawn
     over everything) hid a tapped popup's close button. The credits keep clear of the
     scale bar's corner; the legend sits under popups (Leaflet's popup pane: 700). */
  .leaflet-container .leaflet-control-attribution { max-width: calc(100vw - 130px); }
  @media (max-width: 600px) {
    .leaflet-popup-content { margin: 8px 10px; max-height: 35vh; overflow-y: auto; }
  }
</style>
<details class="md-legend" open style="position:absolute; z-index:650;
  {{ this.position_css }}; background:rgba(255,255,255,0.94); padding:6px 10px;
  border:1px solid #999; border-radius:4px; font:12px/1.35 sans-serif; max-width:260px;
  max-height:calc(100% - 70px); overflow:auto; color:#111;">
  <summary style="font-weight:bold; cursor:pointer;">{{ this.title }}</summary>
  <div style="margin-top:4px;">
  {% for colour, label, shape in this.items %}
  <div><span style="display:inline-block; width:12px; height:12px; margin-right:6px;
    vertical-align:middle; box-sizing:border-box;
    {% if shape == 'ring' %}background:transparent; border:2.5px solid {{ colour }};
    border-radius:50%;{% else %}background:{{ colour }}; border:1px solid #333;
    {% if shape == 'circle' %}border-radius:50%;{% endif %}{% endif %}"></span>{{ label }}</div>
  {% endfor %}
  {% if this.note %}<div style="margin-top:4px; font-style:italic;">{{ this.note }}</div>
  {% endif %}
  </div>
</details>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {  // on a small screen the legend starts collapsed: its title opens it
  if (window.innerWidth < {{ this.collapse_below_px }}) {
    document.querySelectorAll("details.md-legend").forEach(function (legend) {
      legend.removeAttribute("open");
    });
  }
})();
{% endmacro %}
""")

LEGEND_COLLAPSED_BELOW_PX = 600
"""Maps narrower than this (a phone) open with the legend collapsed to its title."""


class Legend(MacroElement):
    """A fixed legend box that folds to its title (``<details>``), collapsed at first on
    small screens; labels are escaped here."""

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str, str, str]],
        *,
        note: str = "",
        position: str = "bottomleft",
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self._template = _LEGEND
        self.title = escape_text(title)
        self.items = [(colour, escape_text(label), shape) for colour, label, shape in items]
        self.note = escape_text(note)
        vertical, horizontal = (
            "bottom" if "bottom" in position else "top",
            "right" if "right" in position else "left",
        )
        self.position_css = f"{vertical}:{48 if vertical == 'bottom' else 10}px; {horizontal}:10px"
        self.collapse_below_px = LEGEND_COLLAPSED_BELOW_PX


def add_legend(
    fmap: folium.Map,
    title: str,
    items: Sequence[tuple[str, str, str]],
    *,
    note: str = "",
    position: str = "bottomleft",
) -> None:
    """Add a legend: ``items`` are (colour, label, 'circle' | 'square' | 'ring'); a ring
    is drawn hollow in its colour."""
    fmap.add_child(Legend(title, items, note=note, position=position))


_ATTRIBUTION = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.{{ this.method }}({{ this.text }});
{% endmacro %}
""")


class Attribution(MacroElement):
    """Call the map's attribution control: ``addAttribution`` (a source line) or
    ``setPrefix`` (replaces Leaflet's linked prefix with plain text: no outside link)."""

    def __init__(self, text: str, method: str = "addAttribution") -> None:
        super().__init__()
        self._name = "Attribution"
        self._template = _ATTRIBUTION
        self.method = method
        self.text = js_string(escape_text(text))


def add_attribution(fmap: folium.Map, text: str) -> None:
    """Add an attribution line (e.g. © OpenStreetMap contributors) to the map."""
    key = "attribution_" + re.sub(r"\W", "_", text)[:40]
    if key not in fmap._children:
        fmap.add_child(Attribution(text), name=key)


_KEYBOARD = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  function untab(layer) {  // markers and shapes leave the Tab order (the table is the way)
    var element = layer.getElement && layer.getElement();
    if (element) { element.setAttribute("tabindex", "-1"); }
  }
  map.eachLayer(untab);
  map.on("layeradd", function (event) { untab(event.layer); });
  // Leaflet focuses the map on mousedown (for its keyboard handler); in a frame that
  // runs past the window, that focus scrolled the page between mousedown and click, so
  // the click was recorded where the map had moved to. Focus without scrolling.
  var container = map.getContainer();
  var focus = container.focus.bind(container);
  container.focus = function (options) {
    focus(Object.assign({preventScroll: true}, options || {}));
  };
  var title = {{ this.title }};
  map.getContainer().setAttribute("aria-label", title);
  try {  // the frame the map is shown in (the dashboard's) is announced by this title
    if (window.frameElement) { window.frameElement.setAttribute("title", title); }
  } catch (error) { /* a frame of another origin: nothing to name */ }
})();
{% endmacro %}
""")


class KeyboardAndTitle(MacroElement):
    """Keep the map's markers and shapes out of the Tab order (a map of 2,000 points would
    otherwise take 2,000 presses to get past; each page has a table alternative), name
    the map and the frame it is shown in for screen readers, and let a click focus the
    map without scrolling the page (so the click lands where it was made). Add it first:
    it catches the layers added after it."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "KeyboardAndTitle"
        self._template = _KEYBOARD
        self.title = js_string(title)


_LABELS = Template("""
{% macro header(this, kwargs) %}
<style>
  .md-label { background: none; border: none; pointer-events: none; }
  .md-label span { position: absolute; white-space: nowrap; font-family: sans-serif;
    color: #111; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
  .md-label-town span { left: 0; top: 0; transform: translate(-3px, -50%); font-size: 11px; }
  .md-label-town span::before { content: ""; display: inline-block; width: 5px; height: 5px;
    margin-right: 4px; border-radius: 50%; background: #111; vertical-align: middle; }
  .md-label-town.left span { transform: translate(calc(-100% + 3px), -50%); }
  .md-label-town.left span::before { display: none; }
  .md-label-town.left span::after { content: ""; display: inline-block; width: 5px;
    height: 5px; margin-left: 4px; border-radius: 50%; background: #111;
    vertical-align: middle; }
  .md-label-jurisdiction span { transform: translate(-50%, -50%); font-size: 11px;
    font-style: italic; color: #333; }
  .md-label-focus span { transform: translate(-50%, -50%); font-size: 14px;
    font-weight: bold; }
  /* the source credits stay on one or two small lines, clear of legend and scale */
  .leaflet-container .leaflet-control-attribution { font: 10px/1.3 sans-serif; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var group = L.layerGroup();
  var labels = {{ this.labels|tojson }}.map(function (label) {
    var text = document.createElement("span");
    text.textContent = label[0];  // data text never runs as HTML
    var marker = L.marker([label[2], label[3]], {
      icon: L.divIcon({className: "md-label md-label-" + label[1], html: text,
                       iconSize: [0, 0]}),
      interactive: false, keyboard: false, zIndexOffset: -1000
    });
    return {marker: marker, minZoom: label[4]};
  });
  function show() {  // smaller towns appear as the map zooms in, so names never crowd
    var zoom = map.getZoom();
    labels.forEach(function (label) {
      if (zoom >= label.minZoom) { group.addLayer(label.marker); }
      else { group.removeLayer(label.marker); }
    });
  }
  map.whenReady(function () { show(); group.addTo(map); });
  map.on("zoomend", show);
})();
{% endmacro %}
""")


class MapLabels(MacroElement):
    """Names on the map (jurisdictions, towns): one Leaflet layer of non-interactive
    ``DivIcon`` markers, filled with ``textContent``, out of the Tab order, each shown
    from its zoom. ``labels`` are (text, kind, lat, lon, min_zoom) with kind ``focus``,
    ``jurisdiction``, ``town`` (name right of the dot) or ``town left``."""

    def __init__(self, labels: Sequence[tuple[str, str, float, float, int]]) -> None:
        super().__init__()
        self._name = "MapLabels"
        self._template = _LABELS
        self.labels = [
            [
                str(text),
                kind,
                round(float(lat), COORDINATE_DECIMALS),
                round(float(lon), COORDINATE_DECIMALS),
                int(zoom),
            ]
            for text, kind, lat, lon, zoom in labels
        ]


_TITLE = Template("""
{% macro html(this, kwargs) %}
<div class="md-map-title" style="position:absolute; z-index:9998; top:10px; left:54px;
  right:10px; max-width:640px; background:rgba(255,255,255,0.94); padding:6px 10px;
  border:1px solid #999; border-radius:4px; font:12px/1.35 sans-serif; color:#111;">
  <div style="font-weight:bold; font-size:15px;">{{ this.title }}</div>
  {% if this.subtitle %}<div>{{ this.subtitle }}</div>{% endif %}
  {% if this.source %}<div style="font-size:10px; margin-top:3px;">{{ this.source }}</div>
  {% endif %}
</div>
{% endmacro %}
""")


class MapTitle(MacroElement):
    """The title, subtitle and source line of an exported map, in a box at its top;
    text escaped here."""

    def __init__(self, title: str, subtitle: str = "", source: str = "") -> None:
        super().__init__()
        self._name = "MapTitle"
        self._template = _TITLE
        self.title = escape_text(title)
        self.subtitle = escape_text(subtitle)
        self.source = escape_text(source)


_SCALE = Template("""
{% macro script(this, kwargs) %}
L.control.scale({metric: {{ this.metric|tojson }}, imperial: {{ this.imperial|tojson }}})
  .addTo({{ this._parent.get_name() }});
{% endmacro %}
""")


class ScaleControl(MacroElement):
    """Leaflet's scale bar in one unit: kilometres (``km``) or miles (``mi``), so a map in
    km never shows miles."""

    def __init__(self, unit: str = "mi") -> None:
        super().__init__()
        self._name = "ScaleControl"
        self._template = _SCALE
        self.metric = unit == "km"
        self.imperial = unit != "km"


_FIT_CLEAR = Template("""
{% macro script(this, kwargs) %}
(function () {  // open on the focus clear of the legend (issue 28: it hid "Oakland")
  var map = {{ this._parent.get_name() }};
  var bounds = L.latLngBounds({{ this.bounds }});
  function fit() {
    var size = map.getSize();
    if (!size.x || !size.y) { return; }
    if (map._animatingZoom) { map.once("zoomend", fit); return; }
    var legend = document.querySelector("details.md-legend");
    if (!legend) { return; }
    var style = getComputedStyle(legend);  // its box, from the map's bottom-left corner
    var w = (parseFloat(style.left) || 0) + legend.offsetWidth + 8;
    var tall = Math.min(Math.max(legend.offsetHeight, legend.scrollHeight + 2), size.y - 70);
    var h = (parseFloat(style.bottom) || 0) + tall + 8;  // its own height, not its frame's
    var options = (size.x - w) / size.x >= (size.y - h) / size.y
      ? {paddingTopLeft: [w, 8], paddingBottomRight: [8, 8], animate: false}
      : {paddingTopLeft: [8, 8], paddingBottomRight: [8, h], animate: false};
    map.fitBounds(bounds, options);
  }
  map.fitBounds(bounds, {animate: false});  // at once, then clear of the legend
  var touched = false;  // refit as the frame settles its size, until someone moves the map
  ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { touched = true; });
  });
  map.on("resize", function () { if (!touched) { fit(); } });
  setTimeout(fit, 0);  // after the legend has folded on a phone
})();
{% endmacro %}
""")


class FitClearOfLegend(MacroElement):
    """Fit the map to ``bounds`` ([[south, west], [north, east]], EPSG:4326) with the
    bottom-left legend's corner kept clear: padded on the side (left or bottom) that
    costs the map less, measured in the browser after the legend has folded."""

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()
        self._name = "FitClearOfLegend"
        self._template = _FIT_CLEAR
        self.bounds = [[float(v) for v in corner] for corner in bounds]
