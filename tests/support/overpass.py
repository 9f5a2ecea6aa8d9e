"""A stand-in for the Overpass API on 127.0.0.1 that replays recorded answers, and a
guard that fails any connection to an address other than loopback."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

RECORDED = Path(__file__).resolve().parent.parent / "data" / "recorded"


def recorded(name: str) -> bytes:
    """A recorded answer from ``tests/data/recorded/``."""
    return (RECORDED / name).read_bytes()


@dataclass
class Answer:
    """What the stand-in answers next: status, headers, body, a delay before answering
    (seconds), and a declared Content-Length that may differ from the body's."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    declared_length: int | None = None


class OverpassStandIn:
    """The server: ``answer`` is what every POST gets; ``queries`` what was asked."""

    def __init__(self) -> None:
        self.answer = Answer()
        self.queries: list[bytes] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                stand_in.queries.append(self.rfile.read(length))
                answer = stand_in.answer
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    declared = answer.declared_length
                    self.send_header(
                        "Content-Length", str(len(answer.body) if declared is None else declared)
                    )
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/interpreter"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> OverpassStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def overpass_stand_in() -> Iterator[OverpassStandIn]:
    with OverpassStandIn() as server:
        yield server


def closed_port_url() -> str:
    """An Overpass URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/interpreter"


def forbid_non_loopback(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every socket connection to a non-loopback address fail the test (a name
    lookup too); returns the list of refused attempts."""
    refused: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost" or isinstance(address, str | bytes)
        if not loopback:
            refused.append(address)
            raise AssertionError(f"a test tried to connect to {address!r}")
        return real_connect(self, address)

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1", None):
            refused.append(host)
            raise AssertionError(f"a test tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return refused
