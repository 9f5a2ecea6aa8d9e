"""Straight-line distances in metres on NAD83 / Maryland State Plane (EPSG:26985).

Everything here works on numpy arrays of projected coordinates, shape (n, 2),
in metres. :func:`lonlat_to_xy_m` projects EPSG:4326 longitude/latitude.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from pyproj import Transformer
from scipy.spatial import cKDTree

from geo.config import MARYLAND_STATE_PLANE_M, METRES_PER_MILE, WGS84
from geo.errors import InputError


@lru_cache(maxsize=1)
def _to_state_plane() -> Transformer:
    return Transformer.from_crs(WGS84, MARYLAND_STATE_PLANE_M, always_xy=True)


def lonlat_to_xy_m(lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
    """Project EPSG:4326 lon/lat (degrees; arrays, Series or lists) to EPSG:26985 x/y
    (metres), shape (n, 2).

    Raises ``ValueError`` if any coordinate is NaN or infinite.
    """
    lon_deg = np.asarray(lon, dtype=float)
    lat_deg = np.asarray(lat, dtype=float)
    if lon_deg.shape != lat_deg.shape:
        raise ValueError("longitude and latitude arrays differ in length")
    finite = np.isfinite(lon_deg) & np.isfinite(lat_deg)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise InputError(
            f"coordinate {bad} is NaN or infinite (lon={lon_deg[bad]}, lat={lat_deg[bad]})"
        )
    x, y = _to_state_plane().transform(lon_deg, lat_deg)
    return np.column_stack([x, y])


def check_radius_m(radius_m: float, what: str = "radius", unit: str = "metres") -> float:
    """``radius_m`` as a float when it is a positive, finite number; else a ``ValueError``
    naming ``what`` and the ``unit`` it was given in."""
    try:
        value = float(radius_m)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number of {unit}, got {radius_m!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise InputError(f"{what} must be a positive number of {unit}, got {value:g}")
    return value


def m_to_miles(metres: np.ndarray | float) -> np.ndarray | float:
    """Metres to statute miles."""
    return np.asarray(metres) / METRES_PER_MILE if np.ndim(metres) else metres / METRES_PER_MILE


def _check_points(xy: np.ndarray, what: str) -> np.ndarray:
    xy = np.asarray(xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError(f"{what} must have shape (n, 2), got {xy.shape}")
    if not np.isfinite(xy).all():
        raise InputError(f"{what} contain NaN or infinite coordinates")
    return xy


def nearest_m(
    origins_xy: np.ndarray, destinations_xy: np.ndarray, *, workers: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (metres) from each origin to its nearest destination, and that index.

    ``d_i = min_j ||o_i - s_j||``, Euclidean in the projected plane, with a
    k-d tree queried on ``workers`` threads (-1: all cores).

    Parameters
    ----------
    origins_xy, destinations_xy : numpy.ndarray
        Points, shape (n, 2), in metres (EPSG:26985).
    workers : int
        Threads for the k-d tree query; -1 uses every core.

    Returns
    -------
    tuple of numpy.ndarray
        Distance in metres and index of the nearest destination, one per origin.

    Raises
    ------
    InputError
        When there is no destination.

    Examples
    --------
    >>> import numpy as np
    >>> d_m, j = nearest_m(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([[3.0, 4.0], [10.0, 1.0]]))
    >>> d_m.tolist(), j.tolist()
    ([5.0, 1.0], [0, 1])
    """
    origins_xy = _check_points(origins_xy, "origins")
    destinations_xy = _check_points(destinations_xy, "destinations")
    if len(destinations_xy) == 0:
        raise InputError("there are no sites to measure distance to (empty site set)")
    tree = cKDTree(destinations_xy, balanced_tree=False, compact_nodes=False)
    distance_m, index = tree.query(origins_xy, k=1, workers=workers)
    return np.asarray(distance_m, dtype=float), np.asarray(index, dtype=np.int64)


@dataclass(frozen=True)
class Pairs:
    """Origin-destination pairs within a radius: parallel arrays, distances in metres."""

    origin: np.ndarray
    destination: np.ndarray
    distance_m: np.ndarray
    n_origins: int
    n_destinations: int


def pairs_within_m(origins_xy: np.ndarray, destinations_xy: np.ndarray, radius_m: float) -> Pairs:
    """Every (origin, destination) pair no more than ``radius_m`` metres apart, in no
    particular order."""
    radius_m = check_radius_m(radius_m)
    origins_xy = _check_points(origins_xy, "origins")
    destinations_xy = _check_points(destinations_xy, "destinations")
    if len(origins_xy) == 0 or len(destinations_xy) == 0:
        empty = np.empty(0, dtype=np.int64)
        return Pairs(empty, empty, np.empty(0), len(origins_xy), len(destinations_xy))
    found = cKDTree(origins_xy).sparse_distance_matrix(
        cKDTree(destinations_xy), radius_m, output_type="ndarray"
    )
    return Pairs(
        found["i"].astype(np.int64),
        found["j"].astype(np.int64),
        found["v"].astype(float),
        len(origins_xy),
        len(destinations_xy),
    )
