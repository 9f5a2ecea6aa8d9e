"""Hostile answers from the address geocoder, served by a local HTTP server on
127.0.0.1 (``NALOXONE_GEOCODER_URL`` points at it; nothing leaves the machine): a
slow drip, a huge body, deep nesting, HTML, a truncated body, a redirect, an error
status, a 990,000-character matched address, impossible coordinates. Each gives one
plain sentence, never an exception of another kind; and the look-ups a session may
send a minute are bounded."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.config import CENSUS_GEOCODER_URL, geocoder_per_minute, geocoder_url
from geo.data.geocoder import MAX_MATCHED_CHARS, CensusGeocoder, GeocoderError, fetch_url

#: Bytes of the drip sent before the client hung up (one entry per drip request).
DRIPPED: queue.Queue[int] = queue.Queue()
MATCH = (Path(__file__).parent / "recorded" / "census_onelineaddress_match.json").read_bytes()
ADDRESS = "1025 Memorial Dr, Oakland, MD 21550"


def _match_with(matched: str = "1 MAIN ST", x: object = -79.4, y: object = 39.4) -> bytes:
    import json

    return json.dumps(
        {
            "result": {
                "addressMatches": [
                    {
                        "matchedAddress": matched,
                        "coordinates": {"x": x, "y": y},
                        "addressComponents": {"state": "MD"},
                    }
                ]
            }
        }
    ).encode()


class Hostile(BaseHTTPRequestHandler):
    """Answers by the first path segment (the geocoder URL's path)."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, body: bytes, status: int = 200, length: int | None = None, **headers):
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("content_type", "application/json"))
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        mode = self.path.split("?", 1)[0].strip("/")
        if mode == "ok":
            self._send(MATCH)
        elif mode == "drip":  # a valid answer, one byte every 20 ms (~14 s in all)
            self.send_response(200)
            self.send_header("Content-Length", str(len(MATCH)))
            self.end_headers()
            sent = 0
            with contextlib.suppress(OSError):
                for byte in MATCH:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    sent += 1
                    time.sleep(0.02)
            DRIPPED.put(sent)
        elif mode == "drip-headers":  # the status line and headers dripped
            with contextlib.suppress(OSError):
                for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 600 + b"\r\n":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.02)
        elif mode == "huge":
            self._send(b'{"result": {"addressMatches": []}, "pad": "' + b"a" * 5_000_000 + b'"}')
        elif mode == "huge-undeclared":  # no Content-Length: read until closed
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(100):
                    self.wfile.write(b"a" * 100_000)
        elif mode == "nested":
            self._send(b'{"result": {"addressMatches": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}")
        elif mode == "nested-objects":
            self._send(b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
        elif mode == "html":
            self._send(b"<html><body>Service busy</body></html>", content_type="text/html")
        elif mode == "truncated":
            self._send(MATCH[:120], length=len(MATCH))  # then the connection closes
            self.close_connection = True
        elif mode == "redirect":
            self._send(b"", status=302, Location="http://127.0.0.1:9/elsewhere")
        elif mode == "error":
            self._send(b'{"errors": ["busy"]}', status=503)
        elif mode == "long-address":
            self._send(_match_with("1 MAIN ST " + "A" * 990_000))
        elif mode == "control-address":
            self._send(_match_with("1 MAIN ST\r\n2. Forged line\x1b[31m"))
        elif mode == "nan":
            self._send(_match_with(x="NaN", y=39.4))
        elif mode == "out-of-range":
            self._send(_match_with(x=-79.4, y=391.0))
        elif mode == "types":
            self._send(
                b'{"result": {"addressMatches": [{"matchedAddress": ["x"], '
                b'"coordinates": {"x": true, "y": {}}}]}}'
            )
        else:
            self._send(b"{}", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def geocoder(server: str, mode: str, timeout_s: float = 1.0, per_minute: int = 100):
    return CensusGeocoder(timeout_s=timeout_s, url=f"{server}/{mode}", per_minute=per_minute)


def test_a_good_answer_from_the_configured_service(server):
    match = geocoder(server, "ok").locate(ADDRESS)
    assert match is not None and match.matched == "1025 MEMORIAL DR, OAKLAND, MD, 21550"


@pytest.mark.parametrize("mode", ["drip", "drip-headers"])
def test_a_slow_drip_is_cut_off_at_the_total_time(server, mode):
    """Each byte comes well within the timeout, so a per-read timeout never fires; the
    total does (the drip would take ~14 s; the bound is 1 s)."""
    with pytest.raises(GeocoderError, match=r"did not answer within 1 s; search by ZIP"):
        geocoder(server, mode).locate(ADDRESS)
    if mode == "drip":  # the client hung up: the server could not send the whole answer
        assert DRIPPED.get(timeout=30) < len(MATCH)


def test_fetch_raises_timeout_at_the_deadline(server):
    with pytest.raises(TimeoutError):
        fetch_url(f"{server}/drip?x=1", 0.5)
    assert DRIPPED.get(timeout=30) < len(MATCH)


@pytest.mark.parametrize(
    "mode, sentence",
    [
        ("huge", "too large to read"),
        ("huge-undeclared", "too large to read"),
        ("nested", "could not be read"),
        ("nested-objects", "could not be read"),
        ("html", "could not be read"),
        ("truncated", "could not be read"),
        ("long-address", "could not be read"),
        ("nan", "could not be read"),
        ("out-of-range", "could not be read"),
        ("types", "could not be read"),
        ("redirect", "could not be reached"),
        ("error", "could not be reached"),
    ],
)
def test_a_bad_answer_is_one_plain_sentence(server, mode, sentence, caplog):
    with pytest.raises(GeocoderError) as raised:
        geocoder(server, mode).locate(ADDRESS)
    message = str(raised.value)
    assert sentence in message and "\n" not in message and len(message) < 120
    assert "127.0.0.1" not in message and "http" not in message
    logged = [r for r in caplog.records if r.name == "geo.data.geocoder"]
    assert len(logged) == 1 and "Address geocoder:" in logged[0].getMessage()


def test_control_characters_in_the_matched_address_are_blanked(server):
    match = geocoder(server, "control-address").locate(ADDRESS)
    assert match is not None
    assert match.matched == "1 MAIN ST 2. Forged line [31m"
    assert len(match.matched) <= MAX_MATCHED_CHARS


def test_the_service_address_setting():
    assert geocoder_url({}) == CENSUS_GEOCODER_URL
    assert geocoder_url({"NALOXONE_GEOCODER_URL": " http://127.0.0.1:8080/geo "}) == (
        "http://127.0.0.1:8080/geo"
    )
    for bad in (
        "ftp://host/x",
        "file:///etc/passwd",
        "http://",
        "http://user:pw@host/x",
        "http://host/x?token=1",
        "http://host:port/x",
        "http://host/x\ny",
        "http://hóst/x",
    ):
        assert geocoder_url({"NALOXONE_GEOCODER_URL": bad}) is None, bad


def test_a_misconfigured_service_address_sends_nothing(monkeypatch):
    calls = []
    monkeypatch.setenv("NALOXONE_GEOCODER_URL", "file:///etc/passwd")
    geo = CensusGeocoder(lambda url, timeout: calls.append(url) or MATCH, timeout_s=1)
    with pytest.raises(GeocoderError, match="misconfigured"):
        geo.locate(ADDRESS)
    assert calls == []


def test_look_ups_per_session_are_bounded_and_cached_answers_are_free(server):
    shared = geocoder(server, "ok", per_minute=3)
    one, other = shared.for_client("one"), shared.for_client("other")
    for number in range(3):
        one.locate(f"{number} Main St, Oakland, MD")
    one.locate("0 Main St, Oakland, MD")  # cached: not counted
    with pytest.raises(GeocoderError, match="Too many address searches in the last minute"):
        one.locate("9 Main St, Oakland, MD")
    assert other.locate("9 Main St, Oakland, MD") is not None  # another session's own rate
    assert shared.requests == 4


def test_the_rate_setting_is_read_strictly():
    assert geocoder_per_minute({}) == 10
    assert geocoder_per_minute({"NALOXONE_GEOCODER_PER_MINUTE": "30"}) == 30
    for bad in ("²", "0", "-1", "1e3", "601", "ten"):
        assert geocoder_per_minute({"NALOXONE_GEOCODER_PER_MINUTE": bad}) == 10
