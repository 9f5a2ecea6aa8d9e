"""Ways to get to a finder result: a walking-directions link and a ``tel:`` link.

Both are plain links the person follows: the dashboard never fetches them. The
directions link opens OpenStreetMap's own directions page (the OSRM foot engine of
FOSSGIS) from the searched point to the site, so following it leaves the dashboard.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import pandas as pd

from geo.errors import InputError

OSM_DIRECTIONS = "https://www.openstreetmap.org/directions"
#: OpenStreetMap's walking engine (the FOSSGIS OSRM "foot" profile).
WALKING_ENGINE = "fossgis_osrm_foot"
#: Decimal places of a coordinate in a link: 5 is about 1 m.
COORDINATE_PLACES = 5
_NOT_DIGITS = re.compile(r"\D")


def _coordinate(value: float, low: float, high: float) -> str:
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise InputError(f"{value!r} is not a coordinate in [{low}, {high}] degrees")
    return f"{number:.{COORDINATE_PLACES}f}"


def directions_url(from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> str:
    """OpenStreetMap walking directions from (``from_lat``, ``from_lon``) to (``to_lat``,
    ``to_lon``), EPSG:4326 degrees rounded to 5 decimals: ``route=lat,lon;lat,lon``."""
    route = ";".join(
        f"{_coordinate(lat, -90, 90)},{_coordinate(lon, -180, 180)}"
        for lat, lon in ((from_lat, from_lon), (to_lat, to_lon))
    )
    return f"{OSM_DIRECTIONS}?{urlencode({'engine': WALKING_ENGINE, 'route': route})}"


def site_directions_url(origin_lat: float, origin_lon: float, row: pd.Series) -> str | None:
    """The directions link to a result row (None for a site without coordinates)."""
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
        return None
    return directions_url(origin_lat, origin_lon, float(lat), float(lon))


def tel_href(phone: object) -> str | None:
    """``tel:+1NNNNNNNNNN`` for a US phone written with 10 digits (an 11th leading 1
    allowed; an extension after them is dropped); None when no such number is there."""
    if phone is None or (not isinstance(phone, str) and pd.isna(phone)):  # type: ignore[call-overload]  # pandas-stubs: isna(object) is valid
        return None
    text = str(phone).split("x")[0].split("ext")[0]
    digits = _NOT_DIGITS.sub("", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return f"tel:+1{digits}"
