"""The Leaflet layers the folium maps are built from: many points as one layer, boundaries,
and the text escaping the map pieces share (legends, attribution and the other controls
are in :mod:`geo.render.map_controls`).

Each is a branca ``MacroElement`` rendering a little JavaScript. Text from data never
runs as HTML: popups and tooltips are filled with ``textContent``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

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


@cache
def asset(name: str) -> str:
    """The text of a JavaScript or CSS file in ``geo/render/assets`` (package data), which
    the maps inline into their HTML at render time: a map requests nothing from anywhere."""
    return resources.files("geo.render").joinpath("assets", name).read_text(encoding="utf-8")


def js_string(text: str) -> str:
    """A JavaScript string literal for already-escaped text."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'"


_POINTS = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
{{ this.code }}
return mdPointLayer({{ this._parent.get_name() }}, {{ this.options|tojson }});
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
    def code(self) -> str:
        """The layer's JavaScript (``assets/point_layer.js``)."""
        return asset("point_layer.js")

    @property
    def options(self) -> dict[str, object]:
        """What :func:`mdPointLayer` is called with (written as JSON, HTML-safe)."""
        return {
            "colours": self.colours,
            "fields": self.fields,
            "footer": self.footer,
            "packed": self.packed,
            "colourKey": self.colour_key,
            "tooltipKey": self.tooltip_key,
            "ringKey": self.ring_key,
            "ringStyle": self.ring_style,
            "radius": self.radius,
            "stroke": self.stroke,
            "weight": self.weight,
            "fillOpacity": self.fill_opacity,
        }

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
