"""Street addresses to coordinates with the US Census Geocoder (public domain).

The one network source of the library, and opt-in: only when ``NALOXONE_GEOCODER=census``
(:func:`geo.config.geocoder_name`). It lives with the data sources because it is one:
public data read through an adapter, below the analysis that uses it. Answers are
cached in memory. The service address is ``NALOXONE_GEOCODER_URL`` (default the Census
endpoint).

An answer is treated as hostile until read: one request waits at most
``NALOXONE_GEOCODER_TIMEOUT`` seconds IN TOTAL (connecting, headers and body: a
server that drips bytes is cut off at the deadline), reads at most
``MAX_RESPONSE_BYTES``, follows no redirect, and is parsed defensively (nesting deeper
than ``MAX_JSON_DEPTH`` is refused before decoding; the matched address is at most
``MAX_MATCHED_CHARS`` characters without control characters; coordinates are finite
degrees). One session may send ``NALOXONE_GEOCODER_PER_MINUTE`` look-ups a minute
(:meth:`CensusGeocoder.for_client`). Every failure is a :class:`GeocoderError` with one
plain sentence (no URL, no traceback, nothing from the answer), and one log line.

Response format (``locations/onelineaddress``, ``format=json``)::

    {"result": {"input": {...}, "addressMatches": [{"matchedAddress": "...",
      "coordinates": {"x": lon, "y": lat}, "addressComponents": {"state": "MD", ...}}]}}
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import math
import re
import socket
import threading
import time
import unicodedata
import urllib.parse
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from geo.config import (
    CENSUS_GEOCODER_URL,
    geocoder_per_minute,
    geocoder_timeout_s,
    geocoder_url,
)

LOGGER = logging.getLogger(__name__)

CENSUS_URL = CENSUS_GEOCODER_URL
CENSUS_BENCHMARK = "Public_AR_Current"
CENSUS_ATTRIBUTION = "Address located by the U.S. Census Geocoder (public domain)"
MAX_ADDRESS_CHARS = 200
CACHE_SIZE = 512
MAX_RESPONSE_BYTES = 1_000_000
#: Deepest JSON nesting read (the Census answer is 6 deep); deeper is refused unparsed.
MAX_JSON_DEPTH = 32
#: Longest matched address shown (characters); a longer one is a bad answer.
MAX_MATCHED_CHARS = 200
#: Look-ups all sessions of one process may send a minute (protects the service).
PROCESS_PER_MINUTE = 120
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))

Fetch = Callable[[str, float], bytes]

UNREACHABLE = "The address geocoder could not be reached; search by ZIP code or town instead."
UNREADABLE = "The address geocoder sent an answer that could not be read."


class GeocoderError(Exception):
    """The geocoder could not answer; ``str()`` is a sentence for the user."""


@dataclass(frozen=True)
class AddressMatch:
    """The geocoder's best match for an address."""

    matched: str
    lat: float
    lon: float
    state: str


def _bad(sentence: str, reason: str) -> GeocoderError:
    """The user's sentence, with one log line naming what was wrong."""
    LOGGER.warning("Address geocoder: %s", reason)
    return GeocoderError(sentence)


def fetch_url(url: str, timeout_s: float) -> bytes:
    """GET ``url`` (http or https) and return its body, within ``timeout_s`` seconds in
    total and at most ``MAX_RESPONSE_BYTES + 1`` bytes; no redirects. Raises
    ``TimeoutError`` at the deadline (a watchdog shuts the socket), ``OSError`` when
    unreachable or on an HTTP status other than 200."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout_s)
    expired = threading.Event()
    opened: list[socket.socket] = []  # the socket, kept: a response that closes the
    # connection takes it over and the connection forgets it

    def cut_off() -> None:
        expired.set()
        for sock in opened:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout_s, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        opened.append(connection.sock)
        if expired.is_set():
            cut_off()
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"User-Agent": "md-naloxone-finder"})
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"HTTP status {response.status}")
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            return b"x" * (MAX_RESPONSE_BYTES + 1)  # too large: not read
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_RESPONSE_BYTES:
            chunk = response.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        body = b"".join(chunks)
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise TimeoutError(f"no complete answer within {timeout_s:g} s") from None
        raise OSError(str(exc)) from None
    finally:
        watchdog.cancel()
        connection.close()
    if expired.is_set():
        raise TimeoutError(f"no complete answer within {timeout_s:g} s")
    return body


def census_url(address: str, base: str = CENSUS_URL) -> str:
    """The Census Geocoder request for one address at the service address ``base``."""
    query = urllib.parse.urlencode(
        {"address": address, "benchmark": CENSUS_BENCHMARK, "format": "json"}
    )
    return f"{base}?{query}"


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped),
    counted without recursion."""
    depth = deepest = 0
    for byte in _STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


def _clean_text(value: object, limit: int, what: str) -> str:
    """A string from the answer, control characters replaced by spaces, spaces
    collapsed; a bad answer when not a string or longer than ``limit``."""
    if not isinstance(value, str):
        raise _bad(UNREADABLE, f"{what} is not text")
    text = " ".join(
        "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value).split()
    )
    if len(text) > limit:
        raise _bad(UNREADABLE, f"{what} is {len(text):,} characters (at most {limit})")
    return text


def _degrees(value: object, bound: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad(UNREADABLE, f"{what} is not a number")
    try:
        number = float(value)
    except ValueError:
        raise _bad(UNREADABLE, f"{what} is not a number") from None
    if not (math.isfinite(number) and -bound <= number <= bound):
        raise _bad(UNREADABLE, f"{what} is out of range")
    return number


def parse_census_response(body: bytes) -> AddressMatch | None:
    """The first address match of a Census Geocoder JSON answer (None: no match).
    Raises ``GeocoderError`` (one sentence) when the body is not such an answer."""
    if len(body) > MAX_RESPONSE_BYTES:
        raise _bad(
            "The address geocoder sent an answer too large to read.",
            f"answer over {MAX_RESPONSE_BYTES:,} bytes",
        )
    if json_depth(body) > MAX_JSON_DEPTH:
        raise _bad(UNREADABLE, f"answer nested deeper than {MAX_JSON_DEPTH}")
    try:
        answer = json.loads(body.decode("utf-8"))
        matches = answer["result"]["addressMatches"]
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        raise _bad(UNREADABLE, "answer is not the Census JSON format") from None
    if not isinstance(matches, list):
        raise _bad(UNREADABLE, "addressMatches is not a list")
    if not matches:
        return None
    first = matches[0]
    if not isinstance(first, dict) or not isinstance(first.get("coordinates"), dict):
        raise _bad(UNREADABLE, "the first match has no coordinates")
    lon = _degrees(first["coordinates"].get("x"), 180.0, "longitude")
    lat = _degrees(first["coordinates"].get("y"), 90.0, "latitude")
    matched = _clean_text(first.get("matchedAddress"), MAX_MATCHED_CHARS, "matched address")
    components = first.get("addressComponents")
    state = components.get("state", "") if isinstance(components, dict) else ""
    state = _clean_text(state, 8, "state") if isinstance(state, str) else ""
    if not matched:
        raise _bad(UNREADABLE, "matched address is empty")
    return AddressMatch(matched, lat, lon, state)


class CensusGeocoder:
    """The Census Geocoder with an in-memory cache and per-client rate limits (thread
    safe). ``url`` is the service address (default ``NALOXONE_GEOCODER_URL``)."""

    def __init__(
        self,
        fetch: Fetch = fetch_url,
        timeout_s: float | None = None,
        url: str | None = None,
        per_minute: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._timeout_s = timeout_s
        self._url = url
        self._per_minute = per_minute
        self._cache: OrderedDict[str, AddressMatch | None] = OrderedDict()
        self._sent: dict[str, deque[float]] = {}
        self._lock = Lock()
        self.requests = 0

    def for_client(self, client: str) -> ClientGeocoder:
        """This geocoder for one client (a browser session): same cache, own rate."""
        return ClientGeocoder(self, client)

    def _admit(self, client: str) -> None:
        """Count one look-up for ``client``; a ``GeocoderError`` when over its rate or
        the process's."""
        limit = self._per_minute if self._per_minute is not None else geocoder_per_minute()
        now = time.monotonic()
        with self._lock:
            for sent in self._sent.values():
                while sent and sent[0] < now - 60:
                    sent.popleft()
            self._sent = {key: sent for key, sent in self._sent.items() if sent}
            mine = self._sent.setdefault(client, deque())
            if len(mine) >= limit:
                raise _bad(
                    "Too many address searches in the last minute: wait a minute, "
                    "or search by ZIP code or town.",
                    f"client over {limit} look-ups a minute",
                )
            if sum(len(sent) for sent in self._sent.values()) >= PROCESS_PER_MINUTE:
                raise _bad(
                    "The address geocoder is busy: wait a minute, or search by ZIP code or town.",
                    f"process over {PROCESS_PER_MINUTE} look-ups a minute",
                )
            mine.append(now)

    def locate(self, address: str, client: str = "") -> AddressMatch | None:
        """The best match for ``address`` (None: the geocoder found none), looked up
        for ``client`` (its rate limit; cached answers are free)."""
        key = " ".join(address.lower().split())[:MAX_ADDRESS_CHARS]
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        base = self._url or geocoder_url()
        if base is None:
            raise _bad(
                "The address geocoder is misconfigured; search by ZIP code or town instead.",
                "NALOXONE_GEOCODER_URL is not an http(s) URL with a host",
            )
        self._admit(client)
        timeout = self._timeout_s if self._timeout_s is not None else geocoder_timeout_s()
        try:
            self.requests += 1
            body = self._fetch(census_url(key, base), timeout)
        except TimeoutError:
            raise _bad(
                f"The address geocoder did not answer within {timeout:g} s; "
                "search by ZIP code or town instead.",
                f"no complete answer within {timeout:g} s",
            ) from None
        except (OSError, ValueError) as exc:  # refused, DNS, TLS, HTTP status
            raise _bad(UNREACHABLE, f"unreachable ({type(exc).__name__})") from None
        match = parse_census_response(body)
        with self._lock:
            self._cache[key] = match
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return match


@dataclass(frozen=True)
class ClientGeocoder:
    """A :class:`CensusGeocoder` seen by one client: ``locate`` counts against its rate."""

    geocoder: CensusGeocoder
    client: str

    def locate(self, address: str) -> AddressMatch | None:
        return self.geocoder.locate(address, self.client)


_SHARED: dict[str, CensusGeocoder] = {}


def shared_geocoder(name: str) -> CensusGeocoder:
    """The process-wide geocoder called ``name`` (one cache for every page and run)."""
    if name != "census":
        raise GeocoderError(f"Unknown address geocoder {name!r}.")
    return _SHARED.setdefault(name, CensusGeocoder())
