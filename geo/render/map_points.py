"""The point layers the folium maps share: tract centres of population (one builder for
the straight-line and travel-time access-gap maps), large markers for hypothetical sites
(recommended, what-if, the searched point) and the legend rows for the sites drawn.

Popups and tooltips are filled by :class:`geo.render.map_layers.PointLayer` with
``textContent``; distances are shown in the chosen unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import numpy as np
import pandas as pd

from geo.analysis.completeness import LIST_GAP_LEGEND
from geo.i18n import Translator
from geo.render import formatting
from geo.render.map_layers import PointLayer
from geo.render.palette import (
    APPROXIMATE_LEGEND,
    DISTANCE_CLASS_COLOURS,
    LIST_GAP_OUTLINE,
    RECOMMENDED_COLOUR,
    RESIDENT_OUTLINE,
    SITE_TYPE_COLOURS,
    WHAT_IF_COLOUR,
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

#: The tract context a tract's popup shows, where the tracts carry it (ACS, RUCA).
TRACT_CONTEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("no_vehicle", "Households with no vehicle (ACS 2019-23)"),
    ("commute", "Workers commuting"),
    ("rural", "Rurality (RUCA 2020)"),
)


def _tract_context(points: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Add the popup text of the tract context to ``points`` (where it has the columns of
    :data:`geo.analysis.equity.CONTEXT_COLUMNS`); return the popup fields it fills."""
    if "no_vehicle_pct" not in points:
        return ()
    share = formatting.share_or_unknown
    points["no_vehicle"] = points["no_vehicle_pct"].map(share)
    points["commute"] = [
        f"{share(t)} transit, {share(w)} on foot"
        for t, w in zip(points["transit_commute_pct"], points["walk_commute_pct"], strict=True)
    ]
    points["rural"] = [
        formatting.rurality_text(code, label)
        for code, label in zip(points["ruca_code"], points["rurality"], strict=True)
    ]
    return TRACT_CONTEXT_FIELDS


def add_tracts(
    fmap: folium.Map,
    tracts: pd.DataFrame,
    classes: np.ndarray,
    measure: Sequence[str],
    measure_label: str,
    *,
    radius_px: float = 4.0,
    colours: Mapping[str, str] | None = None,
    name: str = "Population",
) -> list[tuple[str, str, str]]:
    """Tract centres of population (``tracts``: geoid, lat, lon, population) coloured by
    ``classes`` (keys of ``colours``, default 0..3 of the distance-band colours). Each
    popup names the tract, its residents, its ``measure`` (text, under ``measure_label``,
    also the tooltip), the tract context and the ``list_gap`` flag where ``tracts`` has
    them. Returns the legend row of the flagged ring (none when no tract is flagged)."""
    points = tracts.copy()
    points["class"] = np.asarray(classes).astype(str)
    points["people"] = points["population"].map(formatting.count)
    points["measure"] = list(measure)
    context_fields = _tract_context(points)
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
            colours=colours or {str(i): c for i, c in enumerate(DISTANCE_CLASS_COLOURS)},
            popup_fields=(
                ("geoid", "Census tract"),
                ("people", "Residents (2020)"),
                ("measure", measure_label),
                *context_fields,
                ("completeness", "Our pharmacy list"),
            ),
            tooltip_key="measure",
            radius_px=radius_px,
            stroke=RESIDENT_OUTLINE,
            weight=0.4,
            name=name,
            ring_key="completeness",
            ring_style="outline",
        )
    )
    return (
        [(LIST_GAP_OUTLINE, LIST_GAP_LEGEND, "ring")]
        if flagged is not None and flagged.any()
        else []
    )


def add_residents(
    fmap: folium.Map, nearest: pd.DataFrame, radius_m: float, unit: str
) -> list[tuple[str, str, str]]:
    """Tract centres coloured by straight-line distance band (in ``unit``); returns their
    legend rows."""
    ring = add_tracts(
        fmap,
        nearest,
        distance_class(nearest["distance_m"].to_numpy(), radius_m),
        [formatting.distance(miles, unit) for miles in nearest["distance_miles"]],
        "Nearest site (straight line)",
    )
    bands = zip(DISTANCE_CLASS_COLOURS, distance_class_labels(radius_m, unit), strict=True)
    return [(c, label, "circle") for c, label in bands] + ring


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


def add_what_if(fmap: folium.Map, what_if: pd.DataFrame | None) -> list[tuple[str, str, str]]:
    """The what-if sites someone added (hypothetical), drawn apart; their legend row."""
    if what_if is None or not len(what_if):
        return []
    add_hypothetical(
        fmap,
        what_if.assign(label=what_if["name"].astype(str) + " (what-if)"),
        "what_if",
        WHAT_IF_COLOUR,
        (("label", "What-if site"),),
        stroke="#000000",
        weight=1.5,
        name="What-if sites",
    )
    return [(WHAT_IF_COLOUR, "What-if site you added (hypothetical)", "circle")]


def add_recommended(
    fmap: folium.Map, points: pd.DataFrame, popup_fields: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Recommended new locations (hypothetical; ``points`` with lon, lat, ``label`` and the
    ``popup_fields``); their legend row."""
    add_hypothetical(
        fmap,
        points,
        "recommended",
        RECOMMENDED_COLOUR,
        popup_fields,
        stroke="#FFFFFF",
        weight=2.0,
        name="Recommended locations",
    )
    return [(RECOMMENDED_COLOUR, "Recommended new location (hypothetical)", "circle")]
