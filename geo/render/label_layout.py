"""How map labels are laid out: each label's box (estimated from its length and font
size, in metres at the map's scale), and the greedy placement that keeps a label when its
box overlaps no label kept before it (a town's name right of its dot, else left; towns
:data:`TOWN_SPACING` apart). Which labels are candidates, and in what order, is
:mod:`geo.render.map_labels`. Coordinates: EPSG:26985 metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

#: Font sizes (CSS px for Leaflet, points for printed maps).
FONT = {"focus": 14.0, "jurisdiction": 11.0, "town": 11.0}
STATIC_FONT = {"focus": 10.0, "jurisdiction": 7.5, "town": 7.0}
_CHAR_WIDTH = 0.55  # average glyph width of a sans-serif font, in font sizes
_LINE_HEIGHT = 1.3
_DOT_GAP = 5.0  # a town's name starts this many px/pt right of its dot
#: Towns named at least this many px/pt apart, so the names spread over the map instead
#: of filling one metropolitan area.
TOWN_SPACING = 36.0
#: Two of a focus map's own towns of about the same population (the smaller at least
#: :data:`FOCUS_PEER_SHARE` of the larger) need only be this far apart (px/pt), so a
#: county map names its seat beside a slightly larger neighbour (Oakland, 1,875 people by
#: GeoNames, 2.4 km from Mountain Lake Park, 2,111).
FOCUS_TOWN_SPACING = 8.0
FOCUS_PEER_SHARE = 0.8


@dataclass(frozen=True)
class MapLabel:
    """One name on a map: ``kind`` is ``focus``, ``jurisdiction`` or ``town`` (a town is
    drawn as a dot with its name to its ``side``, right or left; the others centred);
    ``x_m``/``y_m`` in EPSG:26985, ``lon``/``lat`` in EPSG:4326; ``min_zoom``: the Leaflet
    zoom it shows from."""

    text: str
    kind: str
    x_m: float
    y_m: float
    lon: float
    lat: float
    min_zoom: int = 0
    side: str = "right"
    own: bool = False  # a town of the focus jurisdiction
    population: float = math.nan  # a town's GeoNames population, to rank it only

    @property
    def key(self) -> tuple[str, str, float, float]:
        """The label whatever its zoom and side."""
        return (self.text, self.kind, self.x_m, self.y_m)


def label_box(
    label: MapLabel, scale: float, fonts: dict[str, float]
) -> tuple[float, float, float, float]:
    """The label's extent in metres at ``scale`` metres per px (or per pt)."""
    x, y = label.x_m, label.y_m
    size = fonts[label.kind]
    width, height = len(label.text) * _CHAR_WIDTH * size * scale, _LINE_HEIGHT * size * scale
    if label.kind != "town":
        return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
    if label.side == "left":
        return (x - _DOT_GAP * scale - width, y - height / 2, x + 3 * scale, y + height / 2)
    return (x - 3 * scale, y - height / 2, x + _DOT_GAP * scale + width, y + height / 2)


def overlaps(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def near(town: MapLabel, dots: list[MapLabel], scale: float) -> bool:
    """Whether ``town`` lies within :data:`TOWN_SPACING` of a dot (two towns of the focus
    of about the same population, :data:`FOCUS_PEER_SHARE`: within
    :data:`FOCUS_TOWN_SPACING`)."""

    def gap(dot: MapLabel) -> float:
        small, big = sorted((town.population, dot.population))
        peers = town.own and dot.own and small >= FOCUS_PEER_SHARE * big  # False if NaN
        return (FOCUS_TOWN_SPACING if peers else TOWN_SPACING) * scale

    widest = max(TOWN_SPACING, FOCUS_TOWN_SPACING) * scale  # no gap is wider
    for dot in dots:
        distance = math.hypot(town.x_m - dot.x_m, town.y_m - dot.y_m)
        if distance < widest and distance < gap(dot):
            return True
    return False


def fitting(
    label: MapLabel,
    scale: float,
    fonts: dict[str, float],
    boxes: list[tuple[float, ...]],
    held: list[tuple[float, ...]],
    view: tuple[float, ...] | None = None,
) -> MapLabel | None:
    """The label as placed: a focus label as it is; another one if its box overlaps no
    ``boxes`` (a town's name tried right of its dot, then left, clear of ``held`` and
    inside ``view``)."""
    if label.kind == "focus":
        return label
    sides = ("right", "left") if label.kind == "town" else (label.side,)
    for side in sides:
        placed = replace(label, side=side)
        box = label_box(placed, scale, fonts)
        inside = view is None or (
            view[0] <= box[0] and view[1] <= box[1] and box[2] <= view[2] and box[3] <= view[3]
        )
        if (
            inside
            and not overlaps(box, boxes)
            and not (label.kind == "town" and overlaps(box, held))
        ):
            return placed
    return None


def place(
    candidates: list[MapLabel],
    scale: float,
    fonts: dict[str, float],
    kept: list[MapLabel],
    town_limit: int | None = None,
    reserved: list[MapLabel] = (),
    view: tuple[float, ...] | None = None,
) -> list[MapLabel]:
    """``candidates`` (in priority order) whose boxes overlap neither ``kept`` nor each
    other, towns at most ``town_limit`` (counting the kept ones), clear of the
    ``reserved`` labels too and :data:`TOWN_SPACING` apart; focus labels always."""
    boxes = [label_box(k, scale, fonts) for k in kept]
    held = [label_box(k, scale, fonts) for k in reserved]
    dots = [k for k in kept if k.kind == "town"]
    towns = len(dots)
    chosen = []
    for label in candidates:
        if label.kind == "town" and town_limit is not None and towns >= town_limit:
            continue
        if label.kind == "town":
            if near(label, dots, scale):
                continue
            # a larger town keeps its ground even when its name does not fit yet, so a
            # smaller neighbour never stands in for it
            dots.append(label)
        fits = fitting(label, scale, fonts, boxes, held, view)
        if fits is None:
            continue
        boxes.append(label_box(fits, scale, fonts))
        chosen.append(fits)
        towns += label.kind == "town"
    return chosen
