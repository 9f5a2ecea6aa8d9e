"""Street addresses to coordinates with the US Census Geocoder (public domain).

The one network source of the library, and opt-in: only when ``NALOXONE_GEOCODER=census``
(:func:`geo.config.geocoder_name`). It lives with the data sources because it is one:
public data read through an adapter, below the analysis that uses it. Answers are
cached in memory; a request waits at most ``NALOXONE_GEOCODER_TIMEOUT`` seconds. Every
failure is a :class:`GeocoderError` with a plain sentence (no URL, no traceback).

Response format (``locations/onelineaddress``, ``format=json``)::

    {"result": {"input": {...}, "addressMatches": [{"matchedAddress": "...",
      "coordinates": {"x": lon, "y": lat}, "addressComponents": {"state": "MD", ...}}]}}
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from geo.config import geocoder_timeout_s

CENSUS_URL = "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress"
CENSUS_BENCHMARK = "Public_AR_Current"
CENSUS_ATTRIBUTION = "Address located by the U.S. Census Geocoder (public domain)"
MAX_ADDRESS_CHARS = 200
CACHE_SIZE = 512
MAX_RESPONSE_BYTES = 1_000_000

Fetch = Callable[[str, float], bytes]


class GeocoderError(Exception):
    """The geocoder could not answer; ``str()`` is a sentence for the user."""


@dataclass(frozen=True)
class AddressMatch:
    """The geocoder's best match for an address."""

    matched: str
    lat: float
    lon: float
    state: str


def fetch_url(url: str, timeout_s: float) -> bytes:
    """GET ``url`` and return at most ``MAX_RESPONSE_BYTES`` of its body."""
    request = urllib.request.Request(url, headers={"User-Agent": "md-naloxone-finder"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return response.read(MAX_RESPONSE_BYTES + 1)


def census_url(address: str) -> str:
    """The Census Geocoder request for one address."""
    query = urllib.parse.urlencode(
        {"address": address, "benchmark": CENSUS_BENCHMARK, "format": "json"}
    )
    return f"{CENSUS_URL}?{query}"


def parse_census_response(body: bytes) -> AddressMatch | None:
    """The first address match of a Census Geocoder JSON answer (None: no match).
    Raises ``GeocoderError`` when the body is not such an answer."""
    if len(body) > MAX_RESPONSE_BYTES:
        raise GeocoderError("The address geocoder sent an answer too large to read.")
    try:
        matches = json.loads(body.decode("utf-8"))["result"]["addressMatches"]
        if not matches:
            return None
        first = matches[0]
        lon = float(first["coordinates"]["x"])
        lat = float(first["coordinates"]["y"])
        state = str(first.get("addressComponents", {}).get("state", ""))
        return AddressMatch(str(first["matchedAddress"]), lat, lon, state)
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        raise GeocoderError("The address geocoder sent an answer that could not be read.") from None


class CensusGeocoder:
    """The Census Geocoder with an in-memory cache (thread safe)."""

    def __init__(self, fetch: Fetch = fetch_url, timeout_s: float | None = None) -> None:
        self._fetch = fetch
        self._timeout_s = timeout_s
        self._cache: OrderedDict[str, AddressMatch | None] = OrderedDict()
        self._lock = Lock()
        self.requests = 0

    def locate(self, address: str) -> AddressMatch | None:
        """The best match for ``address`` (None: the geocoder found none)."""
        key = " ".join(address.lower().split())[:MAX_ADDRESS_CHARS]
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        timeout = self._timeout_s if self._timeout_s is not None else geocoder_timeout_s()
        try:
            self.requests += 1
            body = self._fetch(census_url(key), timeout)
        except (OSError, ValueError):  # URLError, timeouts and HTTP errors are OSErrors
            raise GeocoderError(
                "The address geocoder could not be reached; search by ZIP code or town instead."
            ) from None
        match = parse_census_response(body)
        with self._lock:
            self._cache[key] = match
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return match


_SHARED: dict[str, CensusGeocoder] = {}


def shared_geocoder(name: str) -> CensusGeocoder:
    """The process-wide geocoder called ``name`` (one cache for every page and run)."""
    if name != "census":
        raise GeocoderError(f"Unknown address geocoder {name!r}.")
    return _SHARED.setdefault(name, CensusGeocoder())
