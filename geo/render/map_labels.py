"""Which names a map shows: jurisdictions and the main towns, chosen so they do not crowd.

Jurisdictions are labelled at a representative point inside their polygon (never the
centroid, which can fall outside), moved off the ground of the main towns where the name
there would cover one and the jurisdiction has room elsewhere. Towns come from the
bundled GeoNames gazetteer (:mod:`geo.data.gazetteer`, "Place names © GeoNames, CC BY
4.0") and are ranked by GeoNames' own population figure for each town (of unstated
vintage; used only to choose which names show, never shown as a figure); towns without a
matched figure rank last.
A label is kept when its box (estimated from its length and font size, in metres at the
map's scale) overlaps no label kept before it: the focus jurisdiction first, then the
other jurisdictions, then towns by population (a town's name right of its dot, else
left; towns :data:`TOWN_SPACING` apart, and a larger town's ground never goes to a
smaller neighbour), then small jurisdictions (Baltimore City) where their name still
fits. Coordinates: EPSG:26985 metres for layout, EPSG:4326 for Leaflet. Everything is
computed once per process (the data never changes).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.config import MARYLAND_STATE_PLANE_M, WGS84

#: Interactive zoom levels labels are laid out for; a label placed at a zoom stays shown
#: at every higher zoom.
ZOOMS = range(5, 15)
#: At Leaflet zoom ≤ the key (statewide: 8 on a 1400 px screen, 6.5 on a 400 px one),
#: only the towns ranked this high or higher are labelled (beyond: every town that fits).
#: Zoom 8 reaches the 40th, as the largest dozen all lie between Washington and Baltimore.
TOWN_RANKS_PER_ZOOM = {5: 3, 6: 6, 7: 12, 8: 40, 9: 80}
#: Jurisdictions smaller than this (Baltimore City) yield to the main towns' names when
#: zoomed out.
SMALL_JURISDICTION_M2 = 500e6
STATIC_TOWNS = {"state": 12, "focus": 10}
#: A jurisdiction's name that would cover a main town keeps this far (m) from it (and
#: from its name) where the jurisdiction has room, so the town's name fits beside it.
MAIN_TOWN_CLEARANCE_M = 12000.0
_CLEAR_SHARE = 0.1  # room: this share of the jurisdiction clear of the main towns
_CLEAR_ZOOM = 8  # the statewide zoom of a wide screen
#: A statewide printed map picks its towns from this many of the largest.
STATIC_STATE_RANKS = 40
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
_METRES_PER_PX_Z0 = 156543.03392 * math.cos(math.radians(39.0))  # web Mercator at 39°N


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


class _Keyed:
    """A frame hashed by a cheap fingerprint, so results about it can be cached."""

    def __init__(self, frame: gpd.GeoDataFrame) -> None:
        self.frame = frame
        bounds = np.round(frame.geometry.bounds.to_numpy(), 5)
        self.key = (
            tuple(frame["fips"]),
            tuple(frame["name"]),
            tuple(frame.get("full_name", frame["name"])),
            bounds.tobytes(),
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


def _lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=MARYLAND_STATE_PLANE_M).to_crs(WGS84)
    return points.x.to_numpy(), points.y.to_numpy()


@lru_cache(maxsize=8)
def _projected(keyed: _Keyed) -> gpd.GeoDataFrame:
    frame = keyed.frame
    names = frame.get("full_name", frame["name"])
    return gpd.GeoDataFrame(
        {
            "fips": frame["fips"].to_numpy(),
            "name": frame["name"].astype(str).to_numpy(),
            "full_name": names.astype(str).to_numpy(),
        },
        geometry=frame.geometry.to_crs(MARYLAND_STATE_PLANE_M).values,
        crs=MARYLAND_STATE_PLANE_M,
    )


@lru_cache(maxsize=1)
def town_candidates() -> pd.DataFrame:
    """Every gazetteer town: name, fips (the jurisdiction it lies in, None outside),
    x, y (m, EPSG:26985), lon, lat and ``population`` (GeoNames', missing when unmatched),
    most populous first, then the towns without a figure, each group by name."""
    from geo.data.gazetteer import load_gazetteer
    from geo.data.layers import load_jurisdictions
    from geo.data.places import jurisdiction_of

    gazetteer = load_gazetteer()
    towns = gazetteer.places[["name", "lon", "lat", "population"]].copy()
    towns["x"], towns["y"] = gazetteer.xy[:, 0], gazetteer.xy[:, 1]
    towns["fips"] = jurisdiction_of(towns["lon"], towns["lat"], load_jurisdictions())
    return towns.sort_values(
        ["population", "name"], ascending=[False, True], na_position="last", ignore_index=True
    )


def _box(
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


def _overlaps(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def _near(town: MapLabel, dots: list[MapLabel], scale: float) -> bool:
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


def _fitting(
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
        box = _box(placed, scale, fonts)
        inside = view is None or (
            view[0] <= box[0] and view[1] <= box[1] and box[2] <= view[2] and box[3] <= view[3]
        )
        if (
            inside
            and not _overlaps(box, boxes)
            and not (label.kind == "town" and _overlaps(box, held))
        ):
            return placed
    return None


def _place(
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
    boxes = [_box(k, scale, fonts) for k in kept]
    held = [_box(k, scale, fonts) for k in reserved]
    dots = [k for k in kept if k.kind == "town"]
    towns = len(dots)
    chosen = []
    for label in candidates:
        if label.kind == "town" and town_limit is not None and towns >= town_limit:
            continue
        if label.kind == "town":
            if _near(label, dots, scale):
                continue
            # a larger town keeps its ground even when its name does not fit yet, so a
            # smaller neighbour never stands in for it
            dots.append(label)
        fits = _fitting(label, scale, fonts, boxes, held, view)
        if fits is None:
            continue
        boxes.append(_box(fits, scale, fonts))
        chosen.append(fits)
        towns += label.kind == "town"
    return chosen


def _name_points(
    shapes: np.ndarray, texts: list[str], whole: np.ndarray | bool = True
) -> np.ndarray:
    """Where each jurisdiction's name (``texts``) goes (EPSG:26985 points): a point inside
    it, unless the name there covers the ground of a main town (one of the
    :data:`STATIC_STATE_RANKS` most populous: a disc of :data:`MAIN_TOWN_CLEARANCE_M` and
    the box of its name right of its dot; boxes at zoom :data:`_CLEAR_ZOOM`); then the
    centre of the widest circle inside its part clear of that ground, if that part is
    :data:`_CLEAR_SHARE` of it or more. Only ``whole`` jurisdictions move (a neighbour cut
    by a focus map's view stays at a point of its visible part)."""
    towns = town_candidates().head(STATIC_STATE_RANKS)
    x, y = towns["x"].to_numpy(), towns["y"].to_numpy()
    scale = _METRES_PER_PX_Z0 / 2**_CLEAR_ZOOM
    boxes = [
        shapely.box(*_box(MapLabel(name, "town", float(x[i]), float(y[i]), 0, 0), scale, FONT))
        for i, name in enumerate(towns["name"])
    ]
    ground = shapely.union_all(
        [*shapely.buffer(shapely.points(x, y), MAIN_TOWN_CLEARANCE_M), *boxes]
    )
    points = shapely.point_on_surface(shapes)
    names = [
        shapely.box(
            *_box(
                MapLabel(
                    text,
                    "jurisdiction",
                    float(shapely.get_x(point)),
                    float(shapely.get_y(point)),
                    0,
                    0,
                ),
                scale,
                FONT,
            )
        )
        for text, point in zip(texts, points, strict=True)
    ]
    clear = shapely.difference(shapes, ground)
    move = (
        (shapely.area(clear) >= _CLEAR_SHARE * shapely.area(shapes))
        & shapely.intersects(ground, names)
        & whole
    )
    circles = shapely.maximum_inscribed_circle(np.where(move, clear, shapes))
    return np.where(move, shapely.get_point(circles, 0), points)


def _jurisdiction_labels(
    projected: gpd.GeoDataFrame, focus_fips: str | None, view: shapely.Polygon | None = None
) -> list[MapLabel]:
    """A label per jurisdiction (inside ``view`` when given: at a point of its visible
    part, skipping slivers), the focus first and named in full."""
    full = projected.geometry.values
    shapes = full if view is None else shapely.intersection(full, view)
    area = shapely.area(shapes)
    keep = ~shapely.is_empty(shapes)
    if view is not None:  # a sliver at the edge of the view goes unnamed
        keep &= (area >= 0.01 * view.area) | (area >= 0.5 * shapely.area(full))
    focus = (projected["fips"] == focus_fips).to_numpy()
    texts = np.where(focus, projected["full_name"], projected["name"]).tolist()
    whole = area >= 0.99 * shapely.area(full)
    points = _name_points(np.where(keep, shapes, shapely.box(0, 0, 1, 1)), texts, whole)
    x, y = shapely.get_x(points), shapely.get_y(points)
    lon, lat = _lonlat(np.nan_to_num(x), np.nan_to_num(y))
    labels = [
        MapLabel(
            text,
            "focus" if focus[i] else "jurisdiction",
            float(x[i]),
            float(y[i]),
            float(lon[i]),
            float(lat[i]),
        )
        for i, text in enumerate(texts)
        if keep[i]
    ]
    order = {label.text: area[i] for i, label in zip(np.flatnonzero(keep), labels, strict=True)}
    return sorted(labels, key=lambda k: (k.kind != "focus", -order[k.text]))


def _town_labels(focus_fips: str | None, view: shapely.Polygon | None = None) -> list[MapLabel]:
    """Town labels (inside ``view`` when given) most populous first; with a focus, the
    focus's towns first (marked ``own``)."""
    towns = town_candidates()
    if view is not None:
        inside = shapely.contains_xy(view, towns["x"].to_numpy(), towns["y"].to_numpy())
        towns = towns[inside]
    towns = towns.assign(away=towns["fips"].ne(focus_fips) | (focus_fips is None))
    if focus_fips is not None:
        towns = towns.sort_values("away", kind="stable")
    return [
        MapLabel(
            t.name,
            "town",
            float(t.x),
            float(t.y),
            float(t.lon),
            float(t.lat),
            own=not t.away,
            population=float(t.population) if pd.notna(t.population) else math.nan,
        )
        for t in towns.itertuples(index=False)
    ]


def interactive_labels(
    jurisdictions: gpd.GeoDataFrame, focus_fips: str | None = None
) -> tuple[MapLabel, ...]:
    """The labels of an interactive map, each with the Leaflet zoom it shows from."""
    return _interactive_labels(_Keyed(jurisdictions), focus_fips)


@lru_cache(maxsize=64)
def _interactive_labels(keyed: _Keyed, focus_fips: str | None) -> tuple[MapLabel, ...]:
    """Zoom by zoom: jurisdiction names among themselves first; then towns (the top
    ranks only when zoomed out) clear of the names shown now or at the next zoom; then
    the small jurisdictions (Baltimore City), which yield to the main towns' names."""
    projected = _projected(keyed)
    small = set(projected.loc[projected.area < SMALL_JURISDICTION_M2, "name"])
    names = _jurisdiction_labels(projected, focus_fips)
    big = _zoomed([n for n in names if n.text not in small], [], lambda zoom, kept: None)
    rest = [*_town_labels(focus_fips), *(n for n in names if n.text in small)]

    def coming(zoom: int, shown: list[MapLabel]) -> list[MapLabel]:
        """The names that show from the next zoom: towns leave room for them."""
        now = {k.key for k in shown}
        return [b for b in big if b.min_zoom <= zoom + 1 and b.key not in now]

    return (*big, *_zoomed(rest, big, coming))


def _zoomed(
    candidates: list[MapLabel],
    shown: list[MapLabel],
    reserve: Callable[[int, list[MapLabel]], list[MapLabel] | None],
) -> list[MapLabel]:
    """The ``candidates`` placed zoom by zoom around the ``shown`` labels (each with its
    ``min_zoom``), towns clear of the labels ``reserve(zoom, visible)`` too."""
    kept: list[MapLabel] = []
    towns = [c for c in candidates if c.kind == "town"]
    for zoom in ZOOMS:
        rank = next((n for z, n in sorted(TOWN_RANKS_PER_ZOOM.items()) if zoom <= z), len(towns))
        eligible = {t.key for t in towns[:rank]}
        waiting = [c for c in candidates if c.kind != "town" or c.key in eligible]
        visible = [s for s in shown if s.min_zoom <= zoom]
        new = _place(
            waiting,
            _METRES_PER_PX_Z0 / 2**zoom,
            FONT,
            [*visible, *kept],
            reserved=reserve(zoom, visible) or [],
        )
        kept += [replace(k, min_zoom=0 if k.kind == "focus" else zoom) for k in new]
        done = {k.key for k in new}
        candidates = [c for c in candidates if c.key not in done]
        towns = [t for t in towns if t.key not in done]
    return kept


def static_labels(
    jurisdictions: gpd.GeoDataFrame,
    focus_fips: str | None,
    view_m: tuple[float, float, float, float],
    metres_per_pt: float,
) -> tuple[MapLabel, ...]:
    """The labels of a printed map showing ``view_m`` (x0, y0, x1, y1 in EPSG:26985) at
    ``metres_per_pt``: every visible jurisdiction, and the largest towns (statewide) or
    the focus's largest towns and then its neighbours' in view, as many as fit without
    overlapping a name; a small jurisdiction (Baltimore City) is named only where its
    name fits after the towns'."""
    view = tuple(round(v, -2) for v in view_m)
    return _static_labels(_Keyed(jurisdictions), focus_fips, view, round(metres_per_pt, 1))


@lru_cache(maxsize=128)
def _static_labels(
    keyed: _Keyed,
    focus_fips: str | None,
    view_m: tuple[float, float, float, float],
    metres_per_pt: float,
) -> tuple[MapLabel, ...]:
    view = shapely.box(*view_m)
    projected = _projected(keyed)
    small = set(projected.loc[projected.area < SMALL_JURISDICTION_M2, "name"])
    names = _jurisdiction_labels(projected, focus_fips, view)
    small_names = [n for n in names if n.text in small and n.kind != "focus"]
    names = [n for n in names if n not in small_names]
    towns = _town_labels(focus_fips, view)
    if focus_fips is None:
        towns = towns[:STATIC_STATE_RANKS]
    limit = STATIC_TOWNS["state" if focus_fips is None else "focus"]
    towns = _place(towns, metres_per_pt, STATIC_FONT, names, limit, view=view_m)
    return (*names, *towns, *_place(small_names, metres_per_pt, STATIC_FONT, [*names, *towns]))
