"""The upload guard (``shell/upload_guard.py``) as ASGI middleware around a stand-in for
Streamlit's upload route: who may upload, how many files, how fast, how many bytes, and
the release of an ended session's files. The same guard against a real ``streamlit run``
process is in ``tests/e2e/test_server_uploads.py``."""

from __future__ import annotations

import asyncio
import time
import tomllib
from types import SimpleNamespace

import pytest

from geo.config import REPO_ROOT
from geo.data import refresh
from geo.local.limits import MAX_IMPORT_BYTES
from shell import upload_guard
from shell.upload_guard import LEDGER, Limits, UploadGuard

MB = 2**20
LIMITS = Limits(session_files=2, per_minute=6, total_bytes=10 * MB, file_bytes=5 * MB)


class FakeRuntime:
    """Streamlit's runtime as the guard sees it: active sessions and the file manager."""

    def __init__(self, active: set[str]) -> None:
        self.active = active
        self.released: list[str] = []
        self.uploaded_file_mgr = SimpleNamespace(remove_session_files=self.released.append)

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active


class Route:
    """Streamlit's upload route: reads the whole body, answers 204 (or ``status``)."""

    def __init__(self, status: int = 204) -> None:
        self.status, self.bodies = status, 0

    async def __call__(self, scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        self.bodies += 1
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture()
def runtime(monkeypatch):
    fake = FakeRuntime({"editor", "visitor"})
    monkeypatch.setattr(upload_guard, "_runtime", lambda: fake)
    LEDGER.sessions.clear()
    LEDGER.in_flight = 0
    yield fake
    LEDGER.sessions.clear()


def put(guard, session: str, file_id: str, size: int | None = 1000, method: str = "PUT"):
    """The status the guard (or the route behind it) answers."""
    headers = [] if size is None else [(b"content-length", str(size).encode())]
    scope = {
        "type": "http",
        "method": method,
        "path": f"/_stcore/upload_file/{session}/{file_id}",
        "headers": headers,
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"x" * min(size or 0, 10), "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


def guard_with(route: Route) -> UploadGuard:
    guard = UploadGuard(route)
    guard.limits = LIMITS
    return guard


def open_session(session_id: str) -> None:
    LEDGER.open(session_id, upload_guard.time.monotonic())


def test_a_session_without_the_uploader_is_refused_before_its_body_is_read(runtime):
    route = Route()
    guard = guard_with(route)
    assert [put(guard, "visitor", f"f{i}", 5 * MB) for i in range(20)] == [403] * 20
    assert route.bodies == 0 and LEDGER.held_bytes() == 0


def test_an_unknown_session_is_left_to_streamlit(runtime):
    route = Route(status=400)
    assert put(guard_with(route), "nobody", "f1") == 400 and route.bodies == 1


def test_other_requests_pass_untouched(runtime):
    route = Route(status=200)
    guard = guard_with(route)
    scope = {"type": "http", "method": "GET", "path": "/_stcore/health", "headers": []}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 200 and route.bodies == 1


def test_an_open_session_holds_at_most_its_files_and_a_delete_frees_one(runtime):
    route = Route()
    guard = guard_with(route)
    open_session("editor")
    assert put(guard, "editor", "a") == 204
    assert put(guard, "editor", "b") == 204
    assert put(guard, "editor", "a") == 204  # replacing a held file is not one more
    assert put(guard, "editor", "c") == 429
    assert put(guard, "editor", "b", method="DELETE") == 204
    assert put(guard, "editor", "c") == 204
    assert set(LEDGER.sessions["editor"].files) == {"a", "c"}


def test_uploads_per_minute_are_bounded(runtime):
    guard = guard_with(Route())
    open_session("editor")
    statuses = [put(guard, "editor", "same") for _ in range(8)]
    assert statuses == [204] * 6 + [429] * 2


def test_size_must_be_declared_and_within_the_import_limit(runtime):
    route = Route()
    guard = guard_with(route)
    open_session("editor")
    assert put(guard, "editor", "a", size=None) == 411
    assert put(guard, "editor", "a", size=5 * MB + 1) == 413
    assert route.bodies == 0


def test_the_process_holds_at_most_the_total(runtime):
    guard = guard_with(Route())
    runtime.active |= {"e1", "e2", "e3"}
    for session in ("e1", "e2", "e3"):
        open_session(session)
    assert put(guard, "e1", "a", 4 * MB) == 204
    assert put(guard, "e2", "a", 4 * MB) == 204
    assert put(guard, "e3", "a", 4 * MB) == 503  # 12 MB > 10 MB
    assert put(guard, "e3", "a", 2 * MB) == 204
    assert LEDGER.held_bytes() == 10 * MB


def test_a_failed_upload_holds_nothing(runtime):
    guard = guard_with(Route(status=413))
    open_session("editor")
    assert put(guard, "editor", "a") == 413
    assert LEDGER.held_bytes() == 0 and LEDGER.in_flight == 0


def test_an_opening_lapses(runtime, monkeypatch):
    guard = guard_with(Route())
    open_session("editor")
    later = upload_guard.time.monotonic() + upload_guard.OPEN_SECONDS + 1
    monkeypatch.setattr(upload_guard.time, "monotonic", lambda: later)
    assert put(guard, "editor", "a") == 403


def test_an_ended_session_is_released_after_the_reconnect_window(runtime):
    guard = guard_with(Route())
    open_session("editor")
    assert put(guard, "editor", "a") == 204
    now = upload_guard.time.monotonic()
    assert upload_guard.sweep(now + 10_000) == 0  # active: kept however long
    runtime.active.discard("editor")  # the browser went away
    assert upload_guard.sweep(now + 10_001) == 0  # still within the reconnect window
    assert upload_guard.sweep(now + 20_000) == 1
    assert runtime.released == ["editor"] and "editor" not in LEDGER.sessions


def test_signing_out_closes_and_releases(runtime, monkeypatch):
    guard = guard_with(Route())
    monkeypatch.setattr(upload_guard, "_script_session_id", lambda: "editor")
    upload_guard.open_uploads()
    assert put(guard, "editor", "a") == 204
    upload_guard.close_uploads()
    assert runtime.released == ["editor"]
    assert put(guard, "editor", "b") == 403


def test_settings_are_read_strictly(monkeypatch):
    monkeypatch.setenv("NALOXONE_UPLOAD_SESSION_FILES", "3")
    monkeypatch.setenv("NALOXONE_UPLOAD_PER_MINUTE", "²")
    monkeypatch.setenv("NALOXONE_UPLOAD_TOTAL_MB", "-5")
    limits = Limits.from_settings()
    assert limits.session_files == 3
    assert limits.per_minute == upload_guard.DEFAULT_PER_MINUTE
    assert limits.total_bytes == upload_guard.DEFAULT_TOTAL_MB * MB


def test_the_version_check(monkeypatch, caplog):
    assert upload_guard.check_streamlit_version()
    monkeypatch.setattr(upload_guard.compat, "installed_series", lambda name: "9.1")
    assert not upload_guard.check_streamlit_version()
    assert "re-check how Streamlit serves" in caplog.text


def test_the_ledger_survives_a_reload_of_the_module(runtime):
    """Streamlit's file watcher unloads the app's modules when a source changes; the
    middleware (built from the old module) and the scripts (the new one) must share one
    ledger, or the editor's opening is lost."""
    import importlib

    open_session("editor")
    reloaded = importlib.reload(upload_guard)
    assert reloaded.LEDGER is LEDGER and "editor" in reloaded.LEDGER.sessions


def test_the_server_cap_is_the_largest_file_a_page_reads():
    """One server-wide cap (``server.maxUploadSize``), equal to the largest reader limit
    (the Refresh tab's Overpass answer); each uploader gets the smaller of the cap and
    its reader's limit, so no page offers a file the guard or Streamlit would refuse."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    largest = max(MAX_IMPORT_BYTES, refresh.MAX_RESPONSE_BYTES)
    assert config["server"]["maxUploadSize"] * MB == largest == 25 * MB
    assert upload_guard.server_upload_mb() == 25  # what Streamlit itself read
    assert Limits.from_settings().file_bytes == largest + upload_guard.FRAMING_BYTES
    assert upload_guard.uploader_mb(MAX_IMPORT_BYTES) == 5
    assert upload_guard.uploader_mb(refresh.MAX_RESPONSE_BYTES) == 25
    assert upload_guard.uploader_mb(refresh.MAX_FILE_BYTES) == 25, "Overture: the cap"


def test_an_overpass_sized_upload_passes_and_a_larger_one_is_refused_naming_the_limit(runtime):
    """A 20 MB Overpass answer from a session showing the uploader reaches Streamlit
    (the guard used to refuse anything over the 5 MB import limit); one over the
    cap gets 413 with the limit in words."""
    route = Route()
    guard = UploadGuard(route)
    LEDGER.open("editor", time.monotonic())
    assert put(guard, "editor", "answer", size=20 * MB) == 204 and route.bodies == 1
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    too_big = str(26 * MB).encode()
    scope = {
        "type": "http",
        "method": "PUT",
        "path": "/_stcore/upload_file/editor/big",
        "headers": [(b"content-length", too_big)],
    }
    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 413 and route.bodies == 1
    assert (
        sent[1]["body"] == b"The file is larger than the 25 MB upload limit (server.maxUploadSize)."
    )
