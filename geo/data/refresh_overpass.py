"""The ``osm`` refresh source: OpenStreetMap through the Overpass API, live
(:func:`fetch_overpass`) or from a saved answer (:func:`read_overpass_file`); the query,
the answer format and the failures are described in :mod:`geo.data.refresh`."""

from __future__ import annotations

import html
import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.config import overpass_url, refresh_timeout_s
from geo.data import refresh
from geo.data.refresh import SOURCES, Fetched, RefreshError

OVERPASS_QUERY = """[out:json][timeout:{timeout}];
area["ISO3166-2"="US-MD"][admin_level=4]->.maryland;
(
  nwr["amenity"="pharmacy"](area.maryland);
  nwr["amenity"="vending_machine"]["vending"~"naloxone",i](area.maryland);
);
out center tags;
"""


def overpass_query(timeout_s: float) -> str:
    """The Overpass QL asking for Maryland's pharmacies and naloxone vending machines."""
    return OVERPASS_QUERY.format(timeout=max(int(timeout_s), 1))


Post = Callable[[str, bytes, float], bytes]


def _read_limited(response, limit: int) -> bytes:
    """At most ``limit`` bytes of a response; more refuses the whole answer."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RefreshError(refresh._too_large(int(declared), limit))
    chunks, total = [], 0
    while True:
        chunk = response.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            if declared and declared.isdigit() and total < int(declared):
                raise http.client.IncompleteRead(b"".join(chunks), int(declared) - total)
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise RefreshError(refresh._too_large(total, limit, at_least=True))


def post_overpass(url: str, query: bytes, timeout_s: float) -> bytes:
    """POST the query to the Overpass interpreter; the body (at most
    ``MAX_RESPONSE_BYTES``). Network failures are raised as they come (see
    :func:`fetch_overpass`)."""
    request = urllib.request.Request(
        url,
        data=query,
        headers={
            "User-Agent": "md-naloxone-dashboard (site list refresh)",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return _read_limited(response, refresh.MAX_RESPONSE_BYTES)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def fetch_overpass(
    url: str | None = None,
    *,
    timeout_s: float | None = None,
    post: Post = post_overpass,
    jurisdictions: gpd.GeoDataFrame | None = None,
) -> Fetched:
    """Ask the Overpass API (``url``, default ``NALOXONE_OVERPASS_URL``) for Maryland's
    pharmacies and naloxone vending machines, waiting at most ``timeout_s`` seconds
    (default ``NALOXONE_REFRESH_TIMEOUT``). Raises :class:`RefreshError`."""
    url = url or overpass_url()
    timeout = refresh_timeout_s() if timeout_s is None else timeout_s
    service = f"the Overpass API ({_host(url)})"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RefreshError(
            f"NALOXONE_OVERPASS_URL must be an http:// or https:// address, not {url[:80]!r}"
        )
    body = urllib.parse.urlencode({"data": overpass_query(timeout)}).encode()
    try:
        answer = post(url, body, timeout)
    except RefreshError as exc:
        raise RefreshError(f"{service}: {exc}") from None
    except urllib.error.HTTPError as exc:
        raise RefreshError(_http_problem(service, exc)) from None
    except TimeoutError:
        raise RefreshError(refresh._timed_out(service, timeout)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise RefreshError(refresh._timed_out(service, timeout)) from None
        raise RefreshError(
            f"{service} could not be reached ({refresh._reason(exc.reason)}): no network "
            "connection, or the service is down; nothing was stored"
        ) from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RefreshError(
            f"{service} closed the connection before its answer was complete "
            f"({type(exc).__name__}); nothing was stored"
        ) from None
    return parse_overpass(answer, service=service, jurisdictions=jurisdictions)


def _http_problem(service: str, exc: urllib.error.HTTPError) -> str:
    if exc.code == 429:
        wait = (exc.headers.get("Retry-After") or "").strip() if exc.headers else ""
        when = (
            f"it asks to wait {wait} s (Retry-After) before trying again"
            if wait.isdigit()
            else (f"try again after {wait} (Retry-After)" if wait else "try again later")
        )
        return f"{service} is busy (HTTP 429 Too Many Requests): {when}; nothing was stored"
    return f"{service} answered HTTP {exc.code} ({exc.reason}); nothing was stored"


_HTML_ERROR = re.compile(rb"<strong[^>]*>\s*Error\s*</strong>\s*:?\s*(.*?)</p>", re.I | re.S)


_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def _html_summary(body: bytes) -> str:
    """What an HTML error page says (Overpass's own error line, or its title)."""
    found = _HTML_ERROR.search(body) or _HTML_TITLE.search(body)
    if not found:
        return ""
    text = re.sub(rb"<[^>]+>", b"", found.group(1)).decode("utf-8", "replace")
    text = " ".join(html.unescape(text).split())
    return f": “{text[:160]}”" if text else ""


def parse_overpass(
    body: bytes,
    *,
    service: str = "the Overpass API",
    jurisdictions: gpd.GeoDataFrame | None = None,
) -> Fetched:
    """The Maryland sites in an Overpass JSON answer (:data:`~geo.data.refresh.COLUMNS`). Raises
    :class:`RefreshError` for an HTML page, damaged or cut-short JSON, a query that
    failed part way (a ``remark`` with an error: the list would be incomplete), too
    many rows, or no Maryland rows."""
    if len(body) > refresh.MAX_RESPONSE_BYTES:
        raise RefreshError(
            f"{service}: {refresh._too_large(len(body), refresh.MAX_RESPONSE_BYTES)}"
        )
    start = body.lstrip()[:1]
    if start == b"<":
        raise RefreshError(
            f"{service} sent an HTML page instead of JSON{_html_summary(body)}; nothing was stored"
        )
    try:
        answer = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RefreshError(
            f"{service} sent an answer that is not UTF-8 text; nothing was stored"
        ) from None
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(body.rstrip()) - 1 or exc.msg.startswith("Unterminated")
        what = "cut short (incomplete JSON)" if cut else f"damaged (not JSON at byte {exc.pos})"
        raise RefreshError(f"{service} sent an answer that is {what}; nothing was stored") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise RefreshError(
            f"{service} sent JSON that is not an Overpass answer (no 'elements' list); "
            "nothing was stored"
        )
    remark = str(answer.get("remark") or "")
    if "error" in remark.lower():
        raise RefreshError(
            f"{service} stopped part way, so its list is incomplete: “{remark[:160]}”; "
            "nothing was stored"
        )
    if len(answer["elements"]) > refresh.MAX_ROWS:
        raise RefreshError(
            f"{service} sent {len(answer['elements']):,} elements, over the limit of "
            f"{refresh.MAX_ROWS:,} for Maryland's sites; nothing was stored"
        )
    rows = [row for element in answer["elements"] if (row := _osm_row(element)) is not None]
    stamp = (answer.get("osm3s") or {}).get("timestamp_osm_base")
    fetched = str(stamp) if isinstance(stamp, str) and stamp else refresh._now()
    sites = refresh.in_maryland(pd.DataFrame(rows, columns=list(refresh.COLUMNS)), jurisdictions)
    if sites.empty:
        raise RefreshError(
            f"{service} answered with no pharmacy or naloxone vending machine in Maryland "
            f"({len(rows)} outside it); nothing was stored"
        )
    return Fetched(SOURCES["osm"], sites, fetched)


def _osm_row(element: object) -> dict[str, object] | None:
    """One OSM element as a site row, or None when it is not one of ours."""
    if not isinstance(element, dict):
        return None
    tags = element.get("tags") if isinstance(element.get("tags"), dict) else {}
    tags = {str(k): str(v) for k, v in tags.items()}
    if tags.get("amenity") == "pharmacy":
        site_type = "pharmacy"
    elif tags.get("amenity") == "vending_machine" and "naloxone" in tags.get("vending", "").lower():
        site_type = "vending_machine"
    else:
        return None
    where = element if "lat" in element else element.get("center") or {}
    try:
        lat, lon = float(where["lat"]), float(where["lon"])
        osm_id = int(element["id"])
    except (KeyError, TypeError, ValueError):
        return None
    kind = str(element.get("type") or "node")
    street = " ".join(
        part for part in (tags.get("addr:housenumber"), tags.get("addr:street")) if part
    )
    name = tags.get("name") or tags.get("brand") or tags.get("operator")
    return {
        "source_id": f"osm-{kind}-{osm_id}",
        "name": name
        or f"{'Pharmacy' if site_type == 'pharmacy' else 'Naloxone vending machine'}"
        f" {SOURCES['osm'].unnamed}",
        "type": site_type,
        "address": street or None,
        "city": tags.get("addr:city") or None,
        "zip": refresh._zip(tags.get("addr:postcode")),
        "jurisdiction_fips": None,
        "lat": lat,
        "lon": lon,
        "phone": tags.get("phone") or tags.get("contact:phone") or None,
        "hours": tags.get("opening_hours") or None,
    }


def read_overpass_file(
    path: str | Path, *, jurisdictions: gpd.GeoDataFrame | None = None
) -> Fetched:
    """Maryland sites from a saved Overpass JSON answer (the query is in
    :func:`overpass_query`); ``fetched`` is the answer's ``timestamp_osm_base``."""
    path = Path(path)
    if not path.is_file():
        raise RefreshError(f"{path.name}: file not found")
    size = path.stat().st_size
    if size > refresh.MAX_RESPONSE_BYTES:
        raise RefreshError(
            f"Overpass file {path.name}: {refresh._too_large(size, refresh.MAX_RESPONSE_BYTES)}"
        )
    return parse_overpass(
        path.read_bytes(), service=f"Overpass file {path.name}", jurisdictions=jurisdictions
    )
