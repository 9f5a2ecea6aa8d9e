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
left; towns :data:`~geo.render.label_layout.TOWN_SPACING` apart, and a larger town's
ground never goes to a smaller neighbour), then small jurisdictions (Baltimore City)
where their name still fits (the layout: :mod:`geo.render.label_layout`). Coordinates:
EPSG:26985 metres for layout, EPSG:4326 for Leaflet. Everything is computed once per
process (the data never changes).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.config import MARYLAND_STATE_PLANE_M, WGS84
from geo.render.label_layout import FONT, STATIC_FONT, MapLabel, label_box, place

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
_METRES_PER_PX_Z0 = 156543.03392 * math.cos(math.radians(39.0))  # web Mercator at 39°N


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
        shapely.box(*label_box(MapLabel(name, "town", float(x[i]), float(y[i]), 0, 0), scale, FONT))
        for i, name in enumerate(towns["name"])
    ]
    ground = shapely.union_all(
        [*shapely.buffer(shapely.points(x, y), MAIN_TOWN_CLEARANCE_M), *boxes]
    )
    points = shapely.point_on_surface(shapes)
    names = [
        shapely.box(
            *label_box(
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
        new = place(
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
    towns = place(towns, metres_per_pt, STATIC_FONT, names, limit, view=view_m)
    return (*names, *towns, *place(small_names, metres_per_pt, STATIC_FONT, [*names, *towns]))
