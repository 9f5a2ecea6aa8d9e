"""Points named by place for people: "near Oakland, Garrett County (2.1 mi)".

Each point gets its nearest GeoNames town (the bundled cities500 list of 612 Maryland
places of 500 or more people, :func:`geo.data.gazetteer.load_naming_gazetteer`), the
straight-line distance to it (metres in NAD83 / Maryland State Plane, EPSG:26985, by
:meth:`geo.data.gazetteer.Gazetteer.nearest_index`, the look-up that names the site
list's places too) and the ``full_name`` of the jurisdiction it lies in. When the
nearest town lies in another county, that county is named with the town: "near
Frostburg (Allegany County), Garrett County (9.8 mi)". Show
:data:`PLACE_NAMES_ATTRIBUTION` with the names.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.config import DISTANCE_SUFFIX as SUFFIX
from geo.config import METRES_PER_MILE
from geo.data.catalog import PLACE_NAMES_ATTRIBUTION
from geo.data.gazetteer import Gazetteer, load_naming_gazetteer, normalise_name
from geo.engine.distance import lonlat_to_xy_m
from geo.errors import InputError

UNITS = ("mi", "km")
#: A point farther than this from its nearest town (metres, straight line) is described
#: by direction and distance from it: "north-east of Oakland, Garrett County (9.0 mi)".
FAR_FROM_TOWN_M = 3 * METRES_PER_MILE
COMPASS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)
#: GeoNames writes Baltimore City as a county name of its own.
_COUNTY_ALIASES = {"city of baltimore": "baltimore city"}

__all__ = ["PLACE_NAMES_ATTRIBUTION", "UNITS", "name_points", "name_recommendations", "place_label"]


def check_unit(unit: str) -> str:
    """``unit`` when it is ``mi`` or ``km`` (else a one-line ``ValueError``)."""
    if unit not in UNITS:
        raise InputError(f"unknown distance unit {unit!r}; choose mi or km")
    return unit


def _county_key(name: object) -> str:
    key = normalise_name(str(name))
    return _COUNTY_ALIASES.get(key, key)


def far_text(unit: str = "mi") -> str:
    """:data:`FAR_FROM_TOWN_M` for people in ``unit``: ``3 miles`` or ``4.8 km``."""
    return "3 miles" if check_unit(unit) == "mi" else f"{FAR_FROM_TOWN_M / 1000:.1f} km"


def compass_point(dx_m: float, dy_m: float) -> str:
    """One of the 8 compass points of the direction (dx east, dy north, metres in
    EPSG:26985, whose grid north is within a degree of true north in Maryland)."""
    bearing = np.degrees(np.arctan2(dx_m, dy_m)) % 360.0
    return COMPASS[int((bearing + 22.5) // 45.0) % 8]


def place_label(
    town: str,
    town_county: str,
    jurisdiction: str,
    distance_m: float,
    unit: str = "mi",
    direction: str = "",
) -> str:
    """``near Oakland, Garrett County (2.1 mi)``; the town's county is added when it is
    not ``jurisdiction``; the distance (metres) is shown in ``unit`` to 0.1. A point
    farther than :data:`FAR_FROM_TOWN_M` with a ``direction`` (from the town to the point)
    reads ``north-east of Oakland, Garrett County (9.0 mi)``."""
    value = distance_m / (1000.0 if check_unit(unit) == "km" else METRES_PER_MILE)
    where = (
        town
        if _county_key(town_county) == _county_key(jurisdiction) or not town_county
        else f"{town} ({town_county})"
    )
    if direction and distance_m > FAR_FROM_TOWN_M:
        return f"{direction} of {where}, {jurisdiction} ({value:.1f} {unit})"
    return f"near {where}, {jurisdiction} ({value:.1f} {unit})"


def name_points(
    lon: Sequence[float] | np.ndarray | pd.Series,
    lat: Sequence[float] | np.ndarray | pd.Series,
    fips: Sequence[str] | np.ndarray | pd.Series,
    jurisdictions: pd.DataFrame,
    *,
    unit: str = "mi",
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """For points in EPSG:4326 lying in the jurisdictions ``fips``: ``place`` (the label),
    ``nearest_town``, ``nearest_town_county``, ``nearest_town_distance_miles`` (or ``_km``),
    ``jurisdiction`` (``full_name``) and ``place_source`` (the GeoNames attribution),
    one row per point in order. Distances are straight lines in EPSG:26985."""
    check_unit(unit)
    gazetteer = gazetteer or load_naming_gazetteer()
    towns = gazetteer.places
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    full_names = dict(zip(jurisdictions["fips"], jurisdictions["full_name"], strict=True))
    columns = [
        "place",
        "nearest_town",
        "nearest_town_county",
        f"nearest_town_distance_{SUFFIX[unit]}",
        "jurisdiction",
        "place_source",
    ]
    if len(lon) == 0:
        return pd.DataFrame(columns=columns)
    xy = lonlat_to_xy_m(lon, lat)
    index, distance_m = gazetteer.nearest_index(xy)
    offsets = xy - gazetteer.xy[index]
    directions = [compass_point(dx, dy) for dx, dy in offsets]
    names = towns["name"].to_numpy()[index]
    # GeoNames' county names in our spelling ("Saint Mary's County" → "St. Mary's County"),
    # so one row never spells one county two ways (issue 28)
    ours = {_county_key(name): name for name in full_names.values()}
    counties = np.array(
        [ours.get(_county_key(c), c) for c in towns["county"].fillna("").to_numpy()[index]],
        dtype=object,
    )
    where = [full_names.get(str(f), "") for f in fips]
    per_unit = 1000.0 if unit == "km" else METRES_PER_MILE
    return pd.DataFrame(
        {
            "place": [
                place_label(t, c, j, d, unit, direction)
                for t, c, j, d, direction in zip(
                    names, counties, where, distance_m, directions, strict=True
                )
            ],
            "nearest_town": names,
            "nearest_town_county": counties,
            f"nearest_town_distance_{SUFFIX[unit]}": np.round(distance_m / per_unit, 2),
            "jurisdiction": where,
            "place_source": PLACE_NAMES_ATTRIBUTION,
        },
        columns=columns,
    )


#: Said of every recommended real host site (one home: geo.analysis.metrics).
CANDIDATE_SITE_CAVEAT = "a candidate host site, not a naloxone site today"


def host_site_label(name: object, address: object, city: object) -> str:
    """``Brunswick MARC Station, 100 South Maple Ave, Brunswick``: a real candidate host
    site by its own name and address (empty parts left out)."""
    parts = [str(p).strip() for p in (name, address, city) if isinstance(p, str) and p.strip()]
    return ", ".join(dict.fromkeys(parts))


def name_recommendations(
    recommended: pd.DataFrame,
    jurisdictions: pd.DataFrame,
    *,
    unit: str = "mi",
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """Recommended locations (``Scenario.recommend``: rank, candidate_id, lat, lon, fips,
    name, newly/cumulative covered population) with the place columns of
    :func:`name_points` after ``rank``; the original columns are kept, coordinates and
    the tract code last."""
    named = name_points(
        recommended["lon"],
        recommended["lat"],
        recommended["fips"],
        jurisdictions,
        unit=unit,
        gazetteer=gazetteer,
    )
    named.index = recommended.index
    if "kind" in recommended:
        host = recommended["kind"].fillna("tract").ne("tract")
        named.loc[host, "place"] = [
            host_site_label(n, a, c)
            for n, a, c in zip(
                recommended.loc[host, "site_name"],
                recommended.loc[host, "address"],
                recommended.loc[host, "city"],
                strict=True,
            )
        ]
        named["candidate_note"] = np.where(
            host, CANDIDATE_SITE_CAVEAT, "a tract centre, not a site"
        )
    front = ["rank", "place", "newly_covered_population", "cumulative_covered_population"]
    rest = [c for c in recommended.columns if c not in front]
    out = pd.concat([recommended, named], axis=1)
    places = [c for c in named.columns if c != "place"]
    return out[
        front
        + places
        + [c for c in rest if c not in ("lat", "lon", "candidate_id")]
        + ["lat", "lon", "candidate_id"]
    ]
