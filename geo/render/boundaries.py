"""Boundaries as the interactive maps draw them: simplified in metres (EPSG:26985) and
rounded, so a statewide map stays small, and within 50 m of the Census lines (a tenth
of a pixel at the statewide zoom). The same shapes are simplified once per process."""

from __future__ import annotations

import functools

import geopandas as gpd
import shapely

from geo.config import MARYLAND_STATE_PLANE_M, WGS84

#: Douglas-Peucker tolerance, metres (EPSG:26985), and the decimals of the degrees the
#: result is rounded to (1e-4°: at most ~6 m here); together within 50 m.
SIMPLIFY_TOLERANCE_M = 40.0
BOUNDARY_DECIMALS = 4


def simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """``frame``'s geometry simplified by ``tolerance_m`` metres in EPSG:26985, then in
    EPSG:4326 rounded to :data:`BOUNDARY_DECIMALS` decimals."""
    wkb = tuple(shapely.to_wkb(frame.geometry.values))
    return gpd.GeoSeries(
        shapely.from_wkb(list(_simplified_wkb(wkb, frame.crs.to_string(), tolerance_m))), crs=WGS84
    )


@functools.lru_cache(maxsize=16)
def _simplified_wkb(wkb: tuple[bytes, ...], crs: str, tolerance_m: float) -> tuple[bytes, ...]:
    projected = gpd.GeoSeries(shapely.from_wkb(list(wkb)), crs=crs).to_crs(MARYLAND_STATE_PLANE_M)
    simple = projected.simplify(tolerance_m, preserve_topology=True).to_crs(WGS84)
    return tuple(shapely.to_wkb(shapely.set_precision(simple.values, 10.0**-BOUNDARY_DECIMALS)))
