"""Who may upload, how much, and for how long: a guard in front of Streamlit's upload route.

Streamlit's own behaviour (1.67): any session (a browser tab with its WebSocket open)
may ``PUT`` files to ``/_stcore/upload_file/<session id>/<file id>`` whether or not its
page shows a file uploader, with no sign-in; each file up to ``server.maxUploadSize``
MB, with no limit on the number of files or the bytes a session or the process holds.
The files live in memory (``MemoryUploadedFileManager``) until the session is shut
down, and a session whose browser went away is kept for a reconnect and then dropped
without being shut down, so its files stay for the life of the process.

This module adds, as ASGI middleware given to ``st.App`` (:class:`UploadGuard`):

- only a session that is showing a file uploader may upload: the Manage page's
  Import and Refresh tabs, drawn for signed-in editors only, call :func:`open_uploads`
  each run they draw their uploader; signing out calls :func:`close_uploads` (its
  files are released too). An opening lapses after ``OPEN_SECONDS`` without such a
  run. Others get 403;
- a declared size (``Content-Length``) is required and checked before the body is
  read (411, 413 naming the limit: the connection is then closed); a refused upload's
  body (within the size limit) is read and dropped, never kept;
- per session: at most ``NALOXONE_UPLOAD_SESSION_FILES`` files held at once and
  ``NALOXONE_UPLOAD_PER_MINUTE`` uploads a minute (429);
- per process: at most ``NALOXONE_UPLOAD_TOTAL_MB`` held by all sessions, uploads in
  progress included (503);
- the files of a session that has not been active for ``server.disconnectedSessionTTL``
  seconds (Streamlit's reconnect window) are released (:func:`sweep`, run every
  ``SWEEP_SECONDS`` by the server's lifespan and before each upload).

It relies on the upload URL, ``Runtime.is_active_session``,
``UploadedFileManager.remove_session_files`` and the script run context, reached through
:mod:`shell.compat` (the one module touching Streamlit's internals); a start on a
Streamlit series other than ``shell.compat.TESTED`` logs a warning to re-check this
module. See ``docs/security-uploads.md``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from shell import compat

LOGGER = logging.getLogger(__name__)

SESSION_FILES_ENV = "NALOXONE_UPLOAD_SESSION_FILES"
PER_MINUTE_ENV = "NALOXONE_UPLOAD_PER_MINUTE"
TOTAL_MB_ENV = "NALOXONE_UPLOAD_TOTAL_MB"
DEFAULT_SESSION_FILES = 4
DEFAULT_PER_MINUTE = 6
DEFAULT_TOTAL_MB = 50
#: An opening lapses after this long without a run that drew the uploader (seconds).
OPEN_SECONDS = 30 * 60
SWEEP_SECONDS = 30.0
#: Multipart framing allowed above ``server.maxUploadSize`` in the declared size (bytes).
FRAMING_BYTES = 64 * 1024
_UPLOAD_PATH = re.compile(r"/_stcore/upload_file/([^/]+)/([^/]+)/?$")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _positive_int(name: str, default: int) -> int:
    """A whole-number setting above 0 (ASCII digits); a bad value is logged and the
    default used."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 1_000_000:
        return int(raw)
    LOGGER.warning("%s=%r is not a whole number above 0; using %d", name, raw[:40], default)
    return default


def server_upload_mb() -> int:
    """``server.maxUploadSize`` (MB): the largest file any uploader may take, the one
    home of that limit (``.streamlit/config.toml``; in a deployment
    ``STREAMLIT_SERVER_MAX_UPLOAD_SIZE``). Streamlit's own upload route refuses more."""
    from streamlit import config

    return int(config.get_option("server.maxUploadSize"))


def uploader_mb(reader_bytes: int) -> int:
    """The limit (MB) to give an uploader whose file is read by a reader refusing more
    than ``reader_bytes``: the smaller of that and :func:`server_upload_mb`, so what the
    uploader says, what this guard lets through and what the reader accepts agree."""
    return max(1, min(reader_bytes // 2**20, server_upload_mb()))


@dataclass(frozen=True)
class Limits:
    """The guard's limits: files a session holds, uploads a session sends a minute,
    bytes all sessions hold, bytes one upload may declare."""

    session_files: int
    per_minute: int
    total_bytes: int
    file_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            session_files=_positive_int(SESSION_FILES_ENV, DEFAULT_SESSION_FILES),
            per_minute=_positive_int(PER_MINUTE_ENV, DEFAULT_PER_MINUTE),
            total_bytes=_positive_int(TOTAL_MB_ENV, DEFAULT_TOTAL_MB) * 2**20,
            file_bytes=server_upload_mb() * 2**20 + FRAMING_BYTES,
        )


@dataclass
class _Session:
    opened_until: float = 0.0
    files: dict[str, int] = field(default_factory=dict)  # file id -> bytes held
    sent: deque[float] = field(default_factory=deque)  # monotonic times of uploads
    seen_active: float = 0.0  # last time it was known to be active (monotonic)


class _Ledger:
    """Which sessions may upload and what each holds (thread-safe: the script threads
    open and close, the server's event loop checks and records)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sessions: dict[str, _Session] = {}
        self.in_flight = 0

    def open(self, session_id: str, now: float) -> None:
        with self._lock:
            session = self.sessions.setdefault(session_id, _Session())
            session.opened_until, session.seen_active = now + OPEN_SECONDS, now

    def close(self, session_id: str) -> bool:
        """Close uploads for a session; True when it held files."""
        with self._lock:
            session = self.sessions.pop(session_id, None)
        return bool(session and session.files)

    def held_bytes(self) -> int:
        with self._lock:
            return sum(sum(s.files.values()) for s in self.sessions.values())

    def admit(self, session_id: str, file_id: str, size: int, limits: Limits, now: float) -> str:
        """'' when the upload may go ahead (its bytes are then counted in flight),
        else the refusal: ``closed``, ``files``, ``rate`` or ``full``."""
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None or session.opened_until < now:
                return "closed"
            while session.sent and session.sent[0] < now - 60:
                session.sent.popleft()
            if len(session.sent) >= limits.per_minute:
                return "rate"
            if file_id not in session.files and len(session.files) >= limits.session_files:
                return "files"
            held = sum(sum(s.files.values()) for s in self.sessions.values())
            if held - session.files.get(file_id, 0) + self.in_flight + size > limits.total_bytes:
                return "full"
            session.sent.append(now)
            session.seen_active = now
            self.in_flight += size
            return ""

    def finish(self, session_id: str, file_id: str, size: int, stored: bool) -> None:
        with self._lock:
            self.in_flight -= size
            session = self.sessions.get(session_id)
            if stored and session is not None:
                session.files[file_id] = size

    def forget_file(self, session_id: str, file_id: str) -> None:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is not None:
                session.files.pop(file_id, None)

    def ended(self, is_active: Callable[[str], bool], grace_s: float, now: float) -> list[str]:
        """Sessions not active now and not seen active for longer than ``grace_s``:
        dropped from the ledger and returned (their files are to be released)."""
        with self._lock:
            gone = []
            for session_id, session in list(self.sessions.items()):
                if is_active(session_id):
                    session.seen_active = now
                elif now - session.seen_active > grace_s:
                    gone.append(session_id)
                    del self.sessions[session_id]
            return gone


def _shared_ledger() -> _Ledger:
    """The process's one ledger. Streamlit's file watcher unloads every module of the
    app's folder when a source file changes (``streamlit run`` while developing), which
    would give the scripts a new ledger while the middleware keeps the old one; so the
    ledger lives in a module of its own that has no file, which the watcher never
    unloads."""
    holder = sys.modules.setdefault(_HOLDER, types.ModuleType(_HOLDER))
    if not hasattr(holder, "ledger"):
        holder.ledger = _Ledger()
    return holder.ledger


_HOLDER = "_naloxone_upload_ledger"
LEDGER = _shared_ledger()

_REFUSALS = {
    "closed": (403, "Uploads are open only to signed-in editors on the import form."),
    "files": (429, "This session already holds the most files it may; remove one first."),
    "rate": (429, "Too many uploads from this session in the last minute; wait a moment."),
    "full": (503, "The server holds too many uploaded files just now; try again later."),
    "length": (411, "An upload must declare its size (Content-Length)."),
    "large": (413, "The file is larger than the {mb} MB upload limit (server.maxUploadSize)."),
}


def _script_session_id() -> str | None:
    return compat.script_session_id()


def open_uploads() -> None:
    """Let this run's session upload (call where the file uploader is drawn)."""
    session_id = _script_session_id()
    if session_id:
        LEDGER.open(session_id, time.monotonic())


def limits_sentence() -> str:
    """What an editor is told beside an uploader: the rate, and what a refusal looks like
    (Streamlit marks a refused file red without the server's reason)."""
    per_minute = Limits.from_settings().per_minute
    return (
        f"At most {per_minute} uploads a minute: a file marked red was refused; wait a "
        "minute and choose it again."
    )


def close_uploads() -> None:
    """Refuse further uploads from this run's session and release its files."""
    session_id = _script_session_id()
    if session_id and LEDGER.close(session_id):
        _release(session_id)


def _runtime() -> Any | None:
    return compat.running_runtime()


def _release(session_id: str) -> None:
    runtime = _runtime()
    if runtime is not None:
        runtime.uploaded_file_mgr.remove_session_files(session_id)


def sweep(now: float | None = None) -> int:
    """Release the files of sessions gone for longer than Streamlit's reconnect window;
    how many sessions were released."""
    runtime = _runtime()
    if runtime is None:
        return 0
    from streamlit import config

    grace = float(config.get_option("server.disconnectedSessionTTL"))
    gone = LEDGER.ended(runtime.is_active_session, grace, time.monotonic() if now is None else now)
    for session_id in gone:
        runtime.uploaded_file_mgr.remove_session_files(session_id)
    if gone:
        LOGGER.info("Released the uploaded files of %d ended session(s)", len(gone))
    return len(gone)


async def sweep_forever(every_s: float = SWEEP_SECONDS) -> None:
    """:func:`sweep` every ``every_s`` seconds (the server's lifespan runs this)."""
    while True:
        await asyncio.sleep(every_s)
        try:
            sweep()
        except Exception:  # a bug here must not stop the server; it is logged
            LOGGER.exception("The uploaded-file sweep failed")


def check_streamlit_version() -> bool:
    """True on the Streamlit series this guard was checked against
    (``shell.compat.TESTED``); else a warning to re-check it."""
    installed = compat.installed_series("streamlit")
    if installed == compat.TESTED["streamlit"]:
        return True
    LOGGER.warning(
        "shell/upload_guard.py was checked against Streamlit %s, not %s: re-check how "
        "Streamlit serves /_stcore/upload_file before relying on the upload limits.",
        compat.TESTED["streamlit"],
        installed,
    )
    return False


async def _drain(receive: Receive) -> None:
    """Read a request's body (at most its declared size, already checked) and drop it:
    nothing is kept, and the client, still sending, then reads the refusal instead of
    a reset connection."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _refuse(send: Send, reason: str, limit_bytes: int = 0) -> None:
    status, text = _REFUSALS[reason]
    body = text.format(mb=(limit_bytes - FRAMING_BYTES) // 2**20).encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    if status in (429, 503):
        headers.append((b"retry-after", b"60"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class UploadGuard:
    """ASGI middleware: the limits above on ``PUT``/``DELETE`` of the upload route;
    every other request passes untouched."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.limits: Limits | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _UPLOAD_PATH.search(scope.get("path", "")) if scope["type"] == "http" else None
        method = scope.get("method", "")
        if match is None or method not in ("PUT", "DELETE"):
            await self.app(scope, receive, send)
            return
        session_id, file_id = match.groups()
        runtime = _runtime()
        if runtime is None or not runtime.is_active_session(session_id):
            await self.app(scope, receive, send)  # Streamlit answers (400: no such session)
            return
        if method == "DELETE":
            LEDGER.forget_file(session_id, file_id)
            await self.app(scope, receive, send)
            return
        await self._put(scope, receive, send, session_id, file_id)

    async def _put(
        self, scope: Scope, receive: Receive, send: Send, session_id: str, file_id: str
    ) -> None:
        if self.limits is None:
            self.limits = Limits.from_settings()
        now = time.monotonic()
        sweep(now)  # cheap: only sessions that opened uploads are in the ledger
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if not (declared.isdigit() and len(declared) < 16):
            await _refuse(send, "length")
            return
        size = int(declared)
        if size > self.limits.file_bytes:
            LOGGER.warning("Upload refused (large: %d bytes) for session %s…", size, session_id[:8])
            await _refuse(send, "large", self.limits.file_bytes)
            return
        refusal = LEDGER.admit(session_id, file_id, size, self.limits, now)
        if refusal:
            LOGGER.warning("Upload refused (%s) for session %s…", refusal, session_id[:8])
            await _drain(receive)  # read and dropped, so the client can read the answer
            await _refuse(send, refusal)
            return
        status = 0

        async def noting_send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            LEDGER.finish(session_id, file_id, size, stored=200 <= status < 300)
