"""The point layers the folium maps share: tract centres of population (the access-gap
map), large markers for hypothetical sites (recommended, what-if, the searched point) and
the legend rows for the sites drawn.

Popups and tooltips are filled by :class:`geo.render.map_layers.PointLayer` with
``textContent``; distances are shown in the chosen unit.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import pandas as pd

from geo.analysis.completeness import LIST_GAP_LEGEND
from geo.i18n import Translator
from geo.render import formatting
from geo.render.map_layers import PointLayer
from geo.render.palette import (
    APPROXIMATE_LEGEND,
    DISTANCE_CLASS_COLOURS,
    LIST_GAP_OUTLINE,
    RESIDENT_OUTLINE,
    SITE_TYPE_COLOURS,
    distance_class,
    distance_class_labels,
)
from geo.schema import SITE_TYPE_LABELS


def site_legend_items(sites: pd.DataFrame, _: Translator = str) -> list[tuple[str, str, str]]:
    """Legend rows for the types of the mapped sites in ``sites``, in the usual order (in
    the language of ``_``)."""
    mapped = sites[sites["lat"].notna()]
    present = set(mapped["type"])
    items = [
        (SITE_TYPE_COLOURS[t], _(SITE_TYPE_LABELS[t]), "circle")
        for t in SITE_TYPE_LABELS
        if t in present
    ]
    if "location_precision" in mapped and mapped["location_precision"].eq("zip_centroid").any():
        items.append(("#555555", _(APPROXIMATE_LEGEND), "ring"))
    return items


#: A flagged tract's popup line.
LIST_GAP_TEXT = (
    "likely incomplete here: farther from a listed pharmacy than OEPS's drive time allows"
)


def add_residents(
    fmap: folium.Map, nearest: pd.DataFrame, radius_m: float, unit: str
) -> list[tuple[str, str, str]]:
    """Tract centres coloured by distance band (in ``unit``); returns their legend rows."""
    points = nearest.copy()
    points["class"] = distance_class(points["distance_m"].to_numpy(), radius_m).astype(str)
    points["people"] = points["population"].map(formatting.count)
    points["distance"] = points["distance_miles"].map(
        lambda miles: formatting.distance(miles, unit)
    )
    context_fields: tuple[tuple[str, str], ...] = ()
    if "no_vehicle_pct" in points:
        points["no_vehicle"] = points["no_vehicle_pct"].map(formatting.share_or_unknown)
        points["commute"] = [
            f"{formatting.share_or_unknown(t)} transit, {formatting.share_or_unknown(w)} on foot"
            for t, w in zip(points["transit_commute_pct"], points["walk_commute_pct"], strict=True)
        ]
        points["rural"] = [
            formatting.rurality_text(code, label)
            for code, label in zip(points["ruca_code"], points["rurality"], strict=True)
        ]
        context_fields = (
            ("no_vehicle", "Households with no vehicle (ACS 2019-23)"),
            ("commute", "Workers commuting"),
            ("rural", "Rurality (RUCA 2020)"),
        )
    flagged = points["list_gap"].astype(bool) if "list_gap" in points else None
    points["completeness"] = (
        None if flagged is None else flagged.map({True: LIST_GAP_TEXT, False: None})
    )
    fmap.add_child(
        PointLayer(
            points["lon"].to_numpy(),
            points["lat"].to_numpy(),
            points,
            colour_key="class",
            colours={str(i): c for i, c in enumerate(DISTANCE_CLASS_COLOURS)},
            popup_fields=(
                ("geoid", "Census tract"),
                ("people", "Residents (2020)"),
                ("distance", "Nearest site (straight line)"),
                *context_fields,
                ("completeness", "Our pharmacy list"),
            ),
            tooltip_key="distance",
            radius_px=4.0,
            stroke=RESIDENT_OUTLINE,
            weight=0.4,
            name="Population",
            ring_key="completeness",
            ring_style="outline",
        )
    )
    items = [
        (c, label, "circle")
        for c, label in zip(
            DISTANCE_CLASS_COLOURS, distance_class_labels(radius_m, unit), strict=True
        )
    ]
    if flagged is not None and flagged.any():
        items.append((LIST_GAP_OUTLINE, LIST_GAP_LEGEND, "ring"))
    return items


def add_hypothetical(
    fmap: folium.Map,
    points: pd.DataFrame,
    kind: str,
    colour: str,
    popup_fields: Sequence[tuple[str, str]],
    *,
    stroke: str,
    weight: float,
    name: str,
) -> None:
    """Large markers for hypothetical sites; ``points`` has lon, lat and a ``label``."""
    fmap.add_child(
        PointLayer(
            points["lon"].to_numpy(),
            points["lat"].to_numpy(),
            points.assign(kind=kind),
            colour_key="kind",
            colours={kind: colour},
            popup_fields=popup_fields,
            tooltip_key="label",
            radius_px=7.0,
            stroke=stroke,
            weight=weight,
            name=name,
        )
    )
