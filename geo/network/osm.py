"""A drive network from an OpenStreetMap extract (``.osm.pbf``, ``.osm``), read with
pyosmium.

Every way whose ``highway`` class has a speed in :data:`geo.network.modes.DRIVE_SPEED_KMH`
becomes one segment per pair of consecutive nodes (lengths in metres in EPSG:26985), unless
it is closed to cars (``access``/``motor_vehicle``/``motorcar`` = ``no`` or ``private``,
``area=yes``) or its direction changes by time (``oneway=reversible``/``alternating``).
Direction: ``oneway=yes|true|1`` forward only, ``oneway=-1|reverse`` backward only,
``oneway=no`` both ways; otherwise motorways, motorway links and roundabouts
(``junction=roundabout``) are one-way and everything else two-way. Speed: the way's
``maxspeed`` when it is a number (``25 mph``; a bare number is km/h, as OpenStreetMap
defines it), else the class speed. Segments then go through
:func:`geo.network.graph.build_network` (end points within 0.5 m joined, largest strongly
connected component).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.errors import InputError
from geo.network.graph import Network, build_network
from geo.network.modes import DRIVE, DRIVE_SPEED_KMH, IMPLIED_ONEWAY

KMH_TO_M_PER_MIN = 1000.0 / 60.0
MPH_TO_KMH = 1.609344
_SPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)
CLOSED_TO_CARS = ("no", "private")


def maxspeed_kmh(value: str | None) -> float | None:
    """A ``maxspeed`` tag in km/h (``"25 mph"`` → 40.2336, ``"50"`` → 50.0); None when it
    is missing or not a plain number (``"signals"``, ``"none"``, ``"25;35"``)."""
    if not value:
        return None
    found = _SPEED.match(value)
    if not found:
        return None
    speed = float(found.group(1))
    if speed <= 0:
        return None
    return speed * MPH_TO_KMH if (found.group(2) or "").lower() == "mph" else speed


def directions(tags: dict[str, str]) -> tuple[bool, bool] | None:
    """(forward, backward) travel allowed on a way, or None when the way is left out
    (its direction changes by time)."""
    oneway = (tags.get("oneway") or "").strip().lower()
    if oneway in ("reversible", "alternating"):
        return None
    if oneway in ("yes", "true", "1"):
        return True, False
    if oneway in ("-1", "reverse"):
        return False, True
    if oneway == "no":
        return True, True
    implied = tags.get("highway") in IMPLIED_ONEWAY or tags.get("junction") == "roundabout"
    return (True, False) if implied else (True, True)


def drivable(tags: dict[str, str]) -> bool:
    """True for a way cars may use: a class in the speed table, not closed to cars."""
    if tags.get("highway") not in DRIVE_SPEED_KMH or tags.get("area") == "yes":
        return False
    keys = ("access", "motor_vehicle", "motorcar")
    return all(tags.get(key) not in CLOSED_TO_CARS for key in keys)


@dataclass(frozen=True)
class DriveSegments:
    """Segments of the drivable ways: end points (lon, lat degrees), speed (km/h) and the
    directions allowed; counts of ways read and used."""

    start_lonlat: np.ndarray
    end_lonlat: np.ndarray
    speed_kmh: np.ndarray
    forward: np.ndarray
    backward: np.ndarray
    ways_used: int
    ways_with_maxspeed: int


def read_drive_segments(path: Path) -> DriveSegments:
    """The drivable segments of an OpenStreetMap file; ``ValueError`` (one sentence) when
    the file cannot be read as OpenStreetMap data (missing, truncated, another format)
    or holds no drivable way."""
    import osmium

    path = Path(path)
    if not path.is_file():
        raise InputError(f"cannot read {str(path)!r}: no such file; nothing written")
    coordinates: list[float] = []
    speeds: list[float] = []
    forward: list[bool] = []
    backward: list[bool] = []
    sizes: list[int] = []
    used = with_maxspeed = 0
    try:
        highways = osmium.filter.KeyFilter("highway")
        highways.enable_for(osmium.osm.WAY)
        processor = osmium.FileProcessor(str(path)).with_locations().with_filter(highways)
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = {tag.k: tag.v for tag in way.tags}
            if not drivable(tags):
                continue
            allowed = directions(tags)
            if allowed is None:
                continue
            points = [
                (node.location.lon, node.location.lat)
                for node in way.nodes
                if node.location.valid()
            ]
            if len(points) < 2:
                continue
            posted = maxspeed_kmh(tags.get("maxspeed"))
            with_maxspeed += posted is not None
            speed = posted if posted is not None else DRIVE_SPEED_KMH[tags["highway"]]
            used += 1
            for point in points:
                coordinates.extend(point)
            sizes.append(len(points))
            speeds.append(speed)
            forward.append(allowed[0])
            backward.append(allowed[1])
    except RuntimeError as exc:  # osmium: bad header, unexpected end of file, not OSM
        raise InputError(
            f"cannot read {str(path)!r} as an OpenStreetMap extract ({exc}); nothing written"
        ) from None
    if not used:
        raise InputError(f"{str(path)!r} holds no drivable road (highway=*); nothing written")
    lonlat = np.asarray(coordinates, dtype=float).reshape(-1, 2)
    sizes_array = np.asarray(sizes)
    way_of_point = np.repeat(np.arange(len(sizes_array)), sizes_array)
    same_way = way_of_point[1:] == way_of_point[:-1]
    start, end = lonlat[:-1][same_way], lonlat[1:][same_way]
    per_segment = way_of_point[:-1][same_way]
    return DriveSegments(
        start,
        end,
        np.asarray(speeds)[per_segment],
        np.asarray(forward)[per_segment],
        np.asarray(backward)[per_segment],
        used,
        with_maxspeed,
    )


def drive_network(segments: DriveSegments) -> Network:
    """The drive network of the segments: lengths are straight lines between consecutive
    OpenStreetMap nodes in EPSG:26985 (metres), cost = length / speed (minutes)."""
    from geo.engine.distance import lonlat_to_xy_m

    start = lonlat_to_xy_m(segments.start_lonlat[:, 0], segments.start_lonlat[:, 1])
    end = lonlat_to_xy_m(segments.end_lonlat[:, 0], segments.end_lonlat[:, 1])
    return build_network(
        start,
        end,
        np.hypot(*(end - start).T),
        segments.speed_kmh * KMH_TO_M_PER_MIN,
        DRIVE,
        forward=segments.forward,
        backward=segments.backward,
    )
