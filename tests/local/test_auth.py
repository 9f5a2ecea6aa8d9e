"""Editor sign-in helpers in ``geo.auth``: the throttle (growing delays, lockout,
per-address counting, reset, window expiry) on an injected clock, the idle limit
setting, the client address and the browser fingerprint."""

from __future__ import annotations

import logging

import pytest

from geo.local import auth, clients


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture()
def clock() -> Clock:
    return Clock()


def throttle(clock: Clock) -> auth.SignInThrottle:
    return auth.SignInThrottle(clock=clock)


def test_delays_grow_after_the_free_failures(clock):
    limiter = throttle(clock)
    keys = ("session:a", "address:10.0.0.1")
    assert limiter.retry_after(keys) == 0
    waits = [limiter.record_failure(keys) for _ in range(2)]
    assert waits == [0, 0] and limiter.retry_after(keys) == 0
    seen = []
    for _ in range(6):  # failures 3..8, each tried as soon as allowed
        seen.append(limiter.record_failure(keys))
        assert limiter.retry_after(keys) == seen[-1]
        clock.advance(seen[-1])
        assert limiter.retry_after(keys) == 0
    assert seen == [2, 4, 8, 16, 32, 64]


def test_delay_is_capped(clock):
    limiter = auth.SignInThrottle(clock=clock, lockout_failures=100, max_delay_s=300)
    assert limiter.delay_after(20) == 300
    assert limiter.delay_after(3) == 2 and limiter.delay_after(2) == 0


def test_lockout_after_the_limit_lasts_its_window(clock, caplog):
    limiter = throttle(clock)
    keys = ("session:a", "address:10.0.0.1")
    with caplog.at_level(logging.WARNING, logger="geo.local.auth"):
        for _ in range(10):
            clock.advance(limiter.retry_after(keys))
            limiter.record_failure(keys)
    assert limiter.retry_after(keys) == pytest.approx(900)
    assert any("locked" in r.getMessage() and "10.0.0.1" in r.getMessage() for r in caplog.records)
    clock.advance(899)
    assert limiter.retry_after(keys) == pytest.approx(1)
    clock.advance(1)
    assert limiter.retry_after(keys) == 0


def test_addresses_are_counted_across_sessions(clock):
    limiter = throttle(clock)
    for session in range(3):  # a new session for every attempt
        limiter.record_failure((f"session:{session}", "address:10.0.0.9"))
    assert limiter.retry_after(("session:fresh", "address:10.0.0.9")) == 2
    assert limiter.retry_after(("session:fresh", "address:10.0.0.8")) == 0, (
        "another address is not held back"
    )


def test_success_resets_the_counts(clock):
    limiter = throttle(clock)
    keys = ("session:a", "address:10.0.0.1")
    for _ in range(3):
        limiter.record_failure(keys)
    clock.advance(2)
    limiter.record_success(keys)
    assert limiter.retry_after(keys) == 0
    assert limiter.record_failure(keys) == 0, "counting starts again from zero"


def test_failures_expire_after_the_window(clock):
    limiter = throttle(clock)
    keys = ("address:10.0.0.1",)
    for _ in range(3):
        limiter.record_failure(keys)
    clock.advance(899)
    assert limiter.record_failure(keys) == 4, "four failures inside the window"
    clock.advance(1)  # the first three are now 900 s old
    assert limiter.retry_after(keys) == 0
    assert limiter.record_failure(keys) == 0, "two failures inside the window"


def test_failures_are_logged_with_the_address_never_the_password(clock, caplog):
    limiter = throttle(clock)
    with caplog.at_level(logging.WARNING, logger="geo.local.auth"):
        limiter.record_failure(("session:x", "address:192.0.2.7"))
    assert "192.0.2.7" in caplog.text


def test_the_default_clock_is_the_module_function(monkeypatch):
    moving = Clock(50.0)
    monkeypatch.setattr(auth, "now", moving)
    limiter = auth.SignInThrottle()
    for _ in range(3):
        limiter.record_failure(("address:a",))
    assert limiter.retry_after(("address:a",)) == 2
    moving.advance(2)
    assert limiter.retry_after(("address:a",)) == 0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("", 1800),
        ("5", 300),
        ("0.5", 30),
        ("0", 1800),
        ("-3", 1800),
        ("soon", 1800),
        ("nan", 1800),
        ("inf", 1800),
    ],
)
def test_idle_limit_setting(value, seconds):
    assert auth.idle_limit_seconds({auth.IDLE_MINUTES_ENV: value}) == seconds


def test_client_address_uses_the_proxy_header_only_when_configured():
    headers = {"X-Forwarded-For": "203.0.113.5, 198.51.100.2", "User-Agent": "x"}
    assert clients.client_address("10.0.0.1", headers, {}) == "10.0.0.1"
    assert clients.client_address(None, headers, {}) == "local"
    configured = {
        clients.CLIENT_ADDRESS_HEADER_ENV: "x-forwarded-for",
        clients.TRUSTED_PROXIES_ENV: "10.0.0.0/24, ::1",
    }
    assert clients.client_address("10.0.0.1", headers, configured) == "198.51.100.2"
    assert clients.client_address("10.0.0.1", {}, configured) == "10.0.0.1"
    assert clients.client_address(None, headers, configured) == "198.51.100.2", "local proxy"


def masked_cookie(token: bytes, mask: bytes) -> str:
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(token))
    return f"2|{mask.hex()}|{masked.hex()}|1700000000"


def test_fingerprint_follows_the_xsrf_token_not_its_mask():
    token = bytes(range(16))
    first = masked_cookie(token, b"\x01\x02\x03\x04")
    second = masked_cookie(token, b"\xff\0\xaa\x10")
    assert first != second
    assert clients.xsrf_token(first) == clients.xsrf_token(second) == token
    same = clients.client_fingerprint("local", "Mozilla", first)
    assert clients.client_fingerprint("local", "Mozilla", second) == same
    other_token = masked_cookie(bytes(16), b"\x01\x02\x03\x04")
    assert clients.client_fingerprint("local", "Mozilla", other_token) != same
    assert clients.client_fingerprint("local", "Mozilla", None) != same
    assert clients.client_fingerprint("10.0.0.2", "Mozilla", first) != same
    assert clients.client_fingerprint("local", "curl", first) != same
    assert clients.xsrf_token("2|zz|00|1") is None and clients.xsrf_token("") is None


def test_parallel_attempts_cannot_all_pass_the_check_before_a_failure_is_counted():
    import threading

    throttle = auth.SignInThrottle(clock=lambda: 1_000.0)
    start = threading.Barrier(20)
    allowed = []

    def attempt() -> None:
        start.wait()
        if throttle.reserve(["address:203.0.113.9"]) == 0:
            allowed.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == throttle.free_failures


def test_a_successful_attempt_clears_its_reservation():
    throttle = auth.SignInThrottle(clock=lambda: 5.0)
    keys = ["session:a"]
    for _ in range(throttle.free_failures - 1):
        assert throttle.reserve(keys) == 0
        throttle.record_success(keys)
    assert throttle.reserve(keys) == 0 and throttle.retry_after(keys) == 0


def test_a_malformed_configured_hash_disables_editing_and_says_so(caplog, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", "not-a-hash")
    with caplog.at_level("WARNING"):
        assert auth.configured_hash(None) is None
    assert "not an scrypt hash" in caplog.text
    monkeypatch.delenv("NALOXONE_EDITOR_PASSWORD_HASH")
    assert auth.configured_hash({"editor": {"password_hash": "scrypt$1$2"}}) is None
