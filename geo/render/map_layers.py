"""The Leaflet layers the folium maps are built from: many points as one layer, boundaries,
and the text escaping the map pieces share (legends, attribution and the other controls
are in :mod:`geo.render.map_controls`).

Each is a branca ``MacroElement`` rendering a little JavaScript. Text from data never
runs as HTML: popups and tooltips are filled with ``textContent``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.render.palette import SITE_OUTLINE

COORDINATE_DECIMALS = 5


def escape_text(value: object) -> str:
    """Data text made safe for HTML (missing values become an empty string)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def js_string(text: str) -> str:
    """A JavaScript string literal for already-escaped text."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'"


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
  var packed = {{ this.packed|tojson }};
  var features = packed.lon.map(function (lon, i) {
    var properties = {};
    packed.columns.forEach(function (column) {
      properties[column.key] = column.codes ? column.values[column.codes[i]] : column.values[i];
    });
    return {type: "Feature", geometry: {type: "Point", coordinates: [lon, packed.lat[i]]},
            properties: properties};
  });
  return L.geoJson({type: "FeatureCollection", features: features}, {
    pointToLayer: function (feature, latlng) {
      var colour = colours[feature.properties[{{ this.colour_key|tojson }}]] || "#777777";
      var ringKey = {{ this.ring_key|tojson }};
      if (ringKey && feature.properties[ringKey]) {
        if ({{ this.ring_style|tojson }} === "hollow") {  // approximate: a hollow ring
          return L.circleMarker(latlng, {
            radius: {{ this.radius }} + 1, color: colour, weight: 2.2,
            fill: true, fillOpacity: 0.0, fillColor: "#ffffff"
          });
        }
        return L.circleMarker(latlng, {  // flagged: the usual dot in a black outline
          radius: {{ this.radius }} + 2, color: "#000000", weight: 2.5,
          fill: true, fillOpacity: {{ this.fill_opacity }}, fillColor: colour
        });
      }
      return L.circleMarker(latlng, {
        radius: {{ this.radius }}, color: "{{ this.stroke }}", weight: {{ this.weight }},
        fill: true, fillOpacity: {{ this.fill_opacity }}, fillColor: colour
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


class _Text(Element):
    """Text put into a rendered figure as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class TextMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered header, html and script go into the figure as
    text: ``MacroElement.render`` compiles each as a Jinja template first, which for a
    layer of thousands of points or boundaries costs more than rendering it."""

    def render(self, **kwargs) -> None:
        figure, macros = self.get_root(), self._template.module.__dict__
        for part in ("header", "html", "script"):
            if macros.get(part) is not None:
                getattr(figure, part).add_child(
                    _Text(macros[part](self, kwargs)), name=self.get_name()
                )
        for element in self._children.values():
            element.render(**kwargs)


class BoundaryLayer(folium.GeoJson, TextMacroElement):
    """``folium.GeoJson``, its script added to the rendered figure as text."""


class PointLayer(TextMacroElement):
    """Many points drawn as one Leaflet GeoJSON layer of circle markers.

    Colours come from ``colours[properties[colour_key]]``. Where ``ring_key`` names a
    property that is set (not null/empty), the point is drawn as a hollow ring in its
    colour (``ring_style="hollow"``: an approximate location) or as the usual dot in a
    thick black outline (``"outline"``: a flagged point). Popups and tooltips
    are built with ``textContent``, so text from data can never run as HTML. The points
    are sent column by column (:func:`packed_columns`) and made into GeoJSON features
    in the browser: a third of the bytes of the features themselves.
    """

    def __init__(
        self,
        lon: np.ndarray,
        lat: np.ndarray,
        properties: pd.DataFrame,
        *,
        colour_key: str,
        colours: Mapping[str, str],
        popup_fields: Sequence[tuple[str, str]],
        tooltip_key: str,
        radius_px: float = 4.5,
        stroke: str = SITE_OUTLINE,
        weight: float = 0.6,
        fill_opacity: float = 0.9,
        name: str = "Points",
        footer: str = "",
        ring_key: str | None = None,
        ring_style: str = "hollow",
    ) -> None:
        super().__init__()
        if ring_style not in ("hollow", "outline"):
            raise ValueError(f"unknown ring style {ring_style!r}")
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
        self.ring_key = ring_key
        self.ring_style = ring_style
        keys = list(
            dict.fromkeys(
                [
                    colour_key,
                    tooltip_key,
                    *(f for f, _ in popup_fields),
                    *([ring_key] if ring_key else []),
                ]
            )
        )
        lon = np.round(np.asarray(lon, dtype=float), COORDINATE_DECIMALS)
        lat = np.round(np.asarray(lat, dtype=float), COORDINATE_DECIMALS)
        records = properties[keys].astype(object).where(properties[keys].notna(), None)
        self.packed = {"lon": lon.tolist(), "lat": lat.tolist(), "columns": packed_columns(records)}

    @property
    def data(self) -> dict[str, object]:
        """The points as a GeoJSON FeatureCollection (what the browser builds)."""
        columns = [
            (c["key"], [c["values"][i] for i in c["codes"]] if "codes" in c else c["values"])
            for c in self.packed["columns"]
        ]
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [x, y]},
                    "properties": {key: values[i] for key, values in columns},
                }
                for i, (x, y) in enumerate(zip(self.packed["lon"], self.packed["lat"], strict=True))
            ],
        }


def packed_columns(records: pd.DataFrame) -> list[dict[str, object]]:
    """Each column as ``{"key", "values"}``, or, when values repeat (types, sources,
    dates), ``{"key", "values": distinct values, "codes": index of each row's value}``.
    Numbers and missing values (None) stay as they are; other values become text."""
    columns = []
    for key in records.columns:
        values = [v if isinstance(v, (int, float, type(None))) else str(v) for v in records[key]]
        distinct = list(dict.fromkeys(values))
        if len(distinct) * 2 <= len(values):
            index = {value: i for i, value in enumerate(distinct)}
            columns.append(
                {"key": key, "values": distinct, "codes": [index[value] for value in values]}
            )
        else:
            columns.append({"key": key, "values": values})
    return columns
