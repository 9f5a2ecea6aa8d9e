"""Colours of every map, interactive (folium) and printed (matplotlib), and the distance
classes they encode. Okabe-Ito and ColorBrewer colours: colour-blind safe."""

from __future__ import annotations

import numpy as np

from geo.config import METRES_PER_MILE

#: Okabe-Ito colours, one per site type.
SITE_TYPE_COLOURS: dict[str, str] = {
    "pharmacy": "#0072B2",
    "opioid_treatment_program": "#D55E00",
    "health_department": "#009E73",
    "harm_reduction": "#CC79A7",
    "vending_machine": "#E69F00",
}
#: EMS leave-behind status fills; unknown is grey, never a "no" colour.
LEAVE_BEHIND_COLOURS: dict[str, str] = {
    "documented": "#56B4E9",
    "announced": "#F0E442",
    "no public evidence found": "#D9D9D9",
}
#: ColorBrewer OrRd, one per distance class (see :func:`distance_class`).
DISTANCE_CLASS_COLOURS = ("#FEF0D9", "#FDCC8A", "#FC8D59", "#D7301F")
RECOMMENDED_COLOUR = "#000000"  # recommended new locations (hypothetical)
WHAT_IF_COLOUR = "#56B4E9"  # what-if sites a visitor added (hypothetical)

#: County context choropleths (SVI, opioid prescribing): ColorBrewer YlGnBu, 5 classes;
#: an unknown value is grey.
CONTEXT_COLOURS = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
CONTEXT_UNKNOWN = "#BDBDBD"
#: Inner class edges of each context column (SVI ranks 0-1; prescriptions per 100 persons).
CONTEXT_EDGES: dict[str, tuple[float, ...]] = {
    "svi": (0.2, 0.4, 0.6, 0.8),
    "opioid_rx_per_100": (20.0, 40.0, 60.0, 80.0),
}


def context_edges(column: str) -> tuple[float, ...]:
    """The class edges of a context column (``svi_*`` columns share the SVI edges)."""
    return CONTEXT_EDGES["svi" if column.startswith("svi_") else column]


def context_colour(value: float, column: str) -> str:
    """The fill of one context value; grey when it is unknown."""
    if value is None or not np.isfinite(value):
        return CONTEXT_UNKNOWN
    return CONTEXT_COLOURS[int(np.searchsorted(context_edges(column), value, side="right"))]


#: Jurisdictions: fill without data, boundaries, and the focus jurisdiction's outline.
EMPTY_FILL = "#F2F2F2"
BOUNDARY = "#555555"
FOCUS_OUTLINE = "#000000"
#: Outline of site markers and of residents' (tract centre) markers.
SITE_OUTLINE = "#222222"
RESIDENT_OUTLINE = "#555555"


def distance_class(distance_m: np.ndarray, radius_m: float) -> np.ndarray:
    """Class 0..3 of each distance: ≤ r, ≤ 2r, ≤ 3r, > 3r."""
    return np.searchsorted(
        np.array([radius_m, 2 * radius_m, 3 * radius_m]),
        np.asarray(distance_m, dtype=float),
        side="left",
    )


def unit_of(radius_label: str) -> str:
    """The unit a radius label is written in: ``km`` for ``8 km``, else ``mi``."""
    return "km" if radius_label.strip().endswith("km") else "mi"


def distance_class_labels(radius_m: float, unit: str = "mi") -> tuple[str, ...]:
    """Legend labels of the four distance classes as plain bands in ``unit`` (``mi`` or
    ``km``): radius 5 miles → ``within 5 miles (covered)``, ``5–10 miles``,
    ``10–15 miles``, ``over 15 miles``; 8 km → ``within 8 km (covered)``, ``8–16 km`` …"""
    step = radius_m / (METRES_PER_MILE if unit == "mi" else 1000.0)
    name = "km" if unit == "km" else ("mile" if round(step, 3) == 1 else "miles")
    plural = "km" if unit == "km" else "miles"
    one, two, three = (round(step * k, 3) for k in (1, 2, 3))
    return (
        f"within {one:g} {name} (covered)",
        f"{one:g}–{two:g} {plural}",
        f"{two:g}–{three:g} {plural}",
        f"over {three:g} {plural}",
    )


#: What a site placed at its ZIP centre (not its address) says in a popup or a list.
APPROXIMATE_LOCATION = "location approximate: ZIP centre"
#: The legend row of a site drawn hollow (placed at its ZIP centre, not its address).
APPROXIMATE_LEGEND = "Hollow ring: " + APPROXIMATE_LOCATION
#: The outline of a tract where our pharmacy list is likely incomplete (access gaps map).
LIST_GAP_OUTLINE = "#000000"
