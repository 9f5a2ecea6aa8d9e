"""The Leaflet controls and overlays of the folium maps: legend, attribution, keyboard
order and title, place names, exported-map title, scale bar, the fit clear of the legend.

Each is a branca ``MacroElement`` rendering a little HTML and a call of its JavaScript
(``geo/render/assets/*.js``, with its CSS inlined at render time: a map requests nothing);
the values passed are written as HTML-safe JSON. Text from data never runs as HTML:
labels are filled with ``textContent``, legend labels, titles and attribution lines are
escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.render.map_layers import COORDINATE_DECIMALS, asset, escape_text, js_string

_LEGEND = Template("""
{% macro html(this, kwargs) %}
<style>{{ this.css }}</style>
<details class="md-legend" open style="{{ this.position_css }};">
  <summary>{{ this.title }}</summary>
  <div class="md-legend-body">
  {% for colour, label, shape in this.items %}
  <div><span class="md-legend-swatch {{ shape }}" style="{% if shape == 'ring' %}border-color:
    {{ colour }};{% else %}background:{{ colour }};{% endif %}"></span>{{ label }}</div>
  {% endfor %}
  {% if this.note %}<div class="md-legend-note">{{ this.note }}</div>{% endif %}
  </div>
</details>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
{{ this.code }}
mdFoldLegends({{ this.collapse_below_px|tojson }});
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
        self.css = asset("legend.css")
        self.code = asset("legend.js")


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
{{ this.code }}
mdKeyboardAndTitle({{ this._parent.get_name() }}, {{ this.title|tojson }});
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
        self.title = title
        self.code = asset("keyboard.js")


_LABELS = Template("""
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
{{ this.code }}
mdMapLabels({{ this._parent.get_name() }}, {{ this.labels|tojson }});
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
        self.css = asset("labels.css")
        self.code = asset("labels.js")
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
<style>{{ this.css }}</style>
<div class="md-map-title">
  <div class="md-map-title-main">{{ this.title }}</div>
  {% if this.subtitle %}<div>{{ this.subtitle }}</div>{% endif %}
  {% if this.source %}<div class="md-map-title-source">{{ this.source }}</div>{% endif %}
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
        self.css = asset("title.css")
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
(function () {
{{ this.code }}
mdFitClearOfLegend({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
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
        self.code = asset("fit_clear.js")


_POPUP_CLEAR = Template("""
{% macro script(this, kwargs) %}
(function () {
{{ this.code }}
mdPopupClear({{ this._parent.get_name() }}, {{ this.options|tojson }});
})();
{% endmacro %}
""")

POPUP_HEIGHT_SHARE = 0.35
"""On a map narrower than :data:`LEGEND_COLLAPSED_BELOW_PX` (a phone), a popup's content
is at most this share of the map's height; it scrolls inside."""


class PopupClear(MacroElement):
    """Keep an opened popup whole and readable: on a phone-wide map the legend folds, the
    content is held to :data:`POPUP_HEIGHT_SHARE` of the map's height (and to the room
    left), and Leaflet's autoPan pans it clear of the map's edges, the legend box and an
    exported map's title box (padding measured in the browser)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupClear"
        self._template = _POPUP_CLEAR
        self.options = {
            "narrowBelowPx": LEGEND_COLLAPSED_BELOW_PX,
            "heightShare": POPUP_HEIGHT_SHARE,
        }
        self.code = asset("popup_clear.js")
