"""Editor sign-in: password hash, brute-force throttling, idle expiry, client binding.

Password: the operator configures a hash; we compare in constant time. Configure
with ``NALOXONE_EDITOR_PASSWORD_HASH`` (environment) or ``[editor] password_hash`` in
``.streamlit/secrets.toml``; or, where the operator configured Streamlit's OIDC
sign-in (an ``[auth]`` section), list the editors' addresses in ``[editor] emails``.
Make a hash with ``python -m geo hash-password``. The hash is scrypt (n=2^14, r=8,
p=1) with a random 16-byte salt: ``scrypt$16384$8$1$<salt hex>$<hash hex>``.

Throttling (:class:`SignInThrottle`, one per server process): failed attempts are
counted per browser session and per client address over a 15-minute window. From
the third failure on, the next attempt waits 2, 4, 8, ... seconds (capped at 5 min);
ten failures in the window lock that session or address out for 15 minutes. A
refused attempt is not checked against the password. Failures, lockouts and
refusals are logged with the address, never the password. Failures are counted in
the shared store (:mod:`geo.local.throttle`), so every server process behind the proxy
sees the same count; a store that cannot be written falls back to this process's count.
The address counted is :func:`geo.local.clients.client_address` (see there for
proxies).

Sessions: an editor sign-in lives in the Streamlit session and ends after
``NALOXONE_EDITOR_IDLE_MINUTES`` (default 30) minutes without a rerun of the Manage
page. It is bound to the client that signed in: a fingerprint of the client
address, the User-Agent and the token in Streamlit's ``_streamlit_xsrf`` cookie,
taken from the WebSocket handshake (``st.context``), is re-checked on every rerun
and a mismatch signs the session out (why, and what it leaves:
:mod:`geo.local.clients`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from geo.config import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_ENV,
    PASSWORD_HASH_ENV,
    editor_idle_seconds,
    editor_password_hash,
)
from geo.errors import InputError

__all__ = [
    "DEFAULT_IDLE_MINUTES",
    "IDLE_MINUTES_ENV",
    "PASSWORD_HASH_ENV",
    "SignInThrottle",
    "configured_hash",
    "hash_password",
    "idle_limit_seconds",
    "now",
    "oidc_editor_emails",
    "oidc_verified_email",
    "verify_password",
    "wall_now",
]

logger = logging.getLogger(__name__)
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An scrypt hash string for ``password``."""
    if len(password) < 8:
        raise InputError("use a password of at least 8 characters")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


#: At most two scrypt checks (16 MiB and tens of ms each) run at once per process, so
#: parallel sign-in attempts cannot tie up the server's memory and cores.
_VERIFYING = threading.BoundedSemaphore(2)


def _parsed_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, expected digest) of a ``scrypt$…`` hash string, or None."""
    try:
        scheme, n, r, p, salt, expected = stored.strip().split("$")
        if scheme != "scrypt":
            return None
        return int(n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(expected)
    except (ValueError, TypeError):
        return None


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison)."""
    parsed = _parsed_hash(stored)
    if parsed is None:
        return False
    n, r, p, salt, expected = parsed
    try:
        with _VERIFYING:
            digest = hashlib.scrypt(
                password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected)
            )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


def configured_hash(secrets_mapping: object | None = None) -> str | None:
    """The editor password hash from the environment or a secrets mapping, if any."""
    value = editor_password_hash()
    if not value:
        try:
            editor = secrets_mapping["editor"]  # type: ignore[index]
            value = str(editor["password_hash"]).strip()
        except Exception:  # missing secrets file or key: no editor configured
            return None
    if value and _parsed_hash(value) is None:
        logger.warning(
            "the configured editor password hash is not an scrypt hash made by "
            "`python -m geo hash-password`: editing stays disabled"
        )
        return None
    return value or None


def oidc_verified_email(user: Mapping[str, object]) -> str | None:
    """The signed-in OIDC user's e-mail address (lower case) when the provider says it
    is verified (``email_verified`` true), else None: an unverified address proves
    nothing, since some providers let anyone claim any address."""
    verified = user.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() == "true"
    email = str(user.get("email") or "").strip().lower()
    return email if verified is True and email else None


def oidc_editor_emails(secrets_mapping: object | None) -> set[str] | None:
    """E-mail addresses allowed to edit after Streamlit OIDC sign-in (``st.login``), from
    ``[editor] emails`` — only when an ``[auth]`` section configures a provider."""
    try:
        secrets_mapping["auth"]  # type: ignore[index]
        emails = secrets_mapping["editor"]["emails"]  # type: ignore[index]
    except Exception:  # no OIDC configured
        return None
    return {str(e).strip().lower() for e in emails if str(e).strip()}


def now() -> float:
    """Seconds on a monotonic clock; tests replace this function to move time."""
    return time.monotonic()


def wall_now() -> float:
    """Seconds since the epoch: the clock of the failures counted in the shared store
    (:mod:`geo.local.throttle`); tests replace this function to move time."""
    return time.time()


def idle_limit_seconds(environ: Mapping[str, str] | None = None) -> float:
    """How long an editor sign-in lasts without activity (``NALOXONE_EDITOR_IDLE_MINUTES``,
    default 30 minutes; see :func:`geo.config.editor_idle_seconds`)."""
    return editor_idle_seconds(environ)


@dataclass
class _Failures:
    times: deque[float] = field(default_factory=deque)
    locked_until: float = -math.inf


class SignInThrottle:
    """Failed sign-in attempts per key (``session:<id>``, ``address:<ip>``): growing
    delays, then a lockout. Thread-safe; one instance per server process.

    With ``n`` failures in the last ``window_s`` seconds, the next attempt waits
    ``min(2 ** (n - free_failures + 1), max_delay_s)`` seconds after the last failure
    once ``n >= free_failures``; ``lockout_failures`` failures lock the key for
    ``lockout_s`` seconds. ``clock`` defaults to :func:`now`, looked up at each call.
    """

    def __init__(
        self,
        *,
        free_failures: int = 3,
        max_delay_s: float = 300.0,
        lockout_failures: int = 10,
        window_s: float = 900.0,
        lockout_s: float = 900.0,
        clock: Callable[[], float] | None = None,
        max_keys: int = 10_000,
    ) -> None:
        self.free_failures = free_failures
        self.max_delay_s = max_delay_s
        self.lockout_failures = lockout_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, _Failures] = {}

    def _now(self) -> float:
        return (self._clock or now)()

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` recent failures."""
        if failures < self.free_failures:
            return 0.0
        return float(min(2.0 ** (failures - self.free_failures + 1), self.max_delay_s))

    def _expire(self, record: _Failures, at: float) -> None:
        while record.times and at - record.times[0] >= self.window_s:
            record.times.popleft()

    def _wait(self, key: str, at: float) -> float:
        record = self._records.get(key)
        if record is None:
            return 0.0
        self._expire(record, at)
        waits = [record.locked_until - at]
        if record.times:
            waits.append(record.times[-1] + self.delay_after(len(record.times)) - at)
        return max(0.0, *waits)

    def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds before any of ``keys`` may try again (0: try now)."""
        with self._lock:
            at = self._now()
            return max((self._wait(key, at) for key in keys), default=0.0)

    def reserve(self, keys: Iterable[str]) -> float:
        """Take an attempt for ``keys``: 0 when it may go ahead, counted as a failure
        until :meth:`record_success` clears it (so parallel attempts cannot all pass the
        check before any failure is recorded); else the seconds to wait, nothing counted."""
        keys = list(keys)
        with self._lock:
            at = self._now()
            wait = max((self._wait(key, at) for key in keys), default=0.0)
            if wait > 0:
                return wait
        self.record_failure(keys, log=False)
        return 0.0

    def record_failure(self, keys: Iterable[str], *, log: bool = True) -> float:
        """Count a failed attempt for each key; returns the wait before the next one."""
        keys = list(keys)
        with self._lock:
            at = self._now()
            if len(self._records) >= self.max_keys:
                self._prune(at)
            for key in keys:
                record = self._records.setdefault(key, _Failures())
                self._expire(record, at)
                record.times.append(at)
                if len(record.times) >= self.lockout_failures and record.locked_until <= at:
                    record.locked_until = at + self.lockout_s
                    logger.warning(
                        "editor sign-in locked for %s after %d failures in %d min (for %d min)",
                        key,
                        len(record.times),
                        self.window_s // 60,
                        self.lockout_s // 60,
                    )
            wait = max((self._wait(key, at) for key in keys), default=0.0)
        if log:
            logger.warning(
                "editor sign-in failed for %s; next attempt allowed in %d s",
                ", ".join(keys),
                math.ceil(wait),
            )
        return wait

    def record_success(self, keys: Iterable[str]) -> None:
        """Forget the failures of each key after a successful sign-in."""
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def _prune(self, at: float) -> None:
        for key in [
            k
            for k, r in self._records.items()
            if r.locked_until <= at and (not r.times or at - r.times[-1] >= self.window_s)
        ]:
            del self._records[key]
