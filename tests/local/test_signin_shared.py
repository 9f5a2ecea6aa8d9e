"""Sign-in throttling shared by every server process (issue 22, item 6): failures are
counted in the store, keyed by client address and by session, with the same window,
delays and lockout as one process; the client-address header is believed only from the
configured proxies; OIDC sign-in needs a verified e-mail address."""

from __future__ import annotations

import logging
import random

import pytest

from geo.local import auth, clients
from geo.local.store import Store
from geo.local.throttle import StoreThrottle


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


def processes(store: Store, clock: Clock, count: int = 2) -> list[StoreThrottle]:
    """``count`` server processes: each its own store connection and local count."""
    return [
        StoreThrottle(Store(store.location), auth.SignInThrottle(clock=clock), clock=clock)
        for _ in range(count)
    ]


def test_rapid_guesses_on_two_processes_count_as_on_one(store):
    clock = Clock()
    one, two = processes(store, clock)
    keys = ("session:abc", "address:203.0.113.9")
    allowed = sum((one if i % 2 else two).reserve(keys) == 0 for i in range(14))
    single = auth.SignInThrottle(clock=clock)
    assert allowed == sum(single.reserve(keys) == 0 for _ in range(14)) == 3
    assert one.retry_after(keys) == two.retry_after(keys) == 2.0


def test_the_lockout_holds_on_every_process(store):
    clock = Clock()
    one, two = processes(store, clock)
    address = "address:198.51.100.7"
    for attempt in range(10):  # ten failures, from fresh sessions, waiting each delay out
        throttle = (one, two)[attempt % 2]
        clock.t += throttle.retry_after([address])
        assert throttle.reserve([f"session:{attempt}", address]) == 0, attempt
    clock.t += 300  # longer than any delay: the lockout remains
    assert one.retry_after([address]) == two.retry_after([address]) == pytest.approx(600)
    assert two.reserve(["session:new", address]) > 0
    clock.t += 600
    assert one.reserve(["session:later", address]) == 0


def test_a_success_clears_the_failures_everywhere(store):
    clock = Clock()
    one, two = processes(store, clock)
    keys = ["session:s", "address:a"]
    for _ in range(3):
        one.reserve(keys)
    assert two.retry_after(keys) > 0
    two.record_success(keys)
    assert one.retry_after(keys) == 0


def test_the_window_expires_old_failures(store):
    clock = Clock()
    (one,) = processes(store, clock, 1)
    for _ in range(3):
        one.record_failure(["address:x"], log=False)
    clock.t += 901
    assert one.retry_after(["address:x"]) == 0


def test_a_store_that_fails_falls_back_to_the_process_count(tmp_path, caplog):
    clock = Clock()
    location = tmp_path / "store.sqlite"
    throttle = StoreThrottle(Store(str(location)), auth.SignInThrottle(clock=clock), clock=clock)
    location.write_bytes(b"not a database " * 100)
    with caplog.at_level(logging.WARNING):
        allowed = sum(throttle.reserve(["address:z"]) == 0 for _ in range(6))
    assert allowed == 3
    assert "falls back to this process's count" in caplog.text


HEADER = {clients.CLIENT_ADDRESS_HEADER_ENV: "X-Real-IP"}


def test_a_forged_header_from_a_direct_connection_is_not_believed(store):
    """60 guesses with a random X-Real-IP straight to a process (not through the proxy)
    all count against the connection's own address."""
    clock = Clock()
    (throttle,) = processes(store, clock, 1)
    allowed = []
    for guess in range(60):  # one a second
        forged = {"X-Real-IP": f"198.51.{random.randrange(256)}.{guess}"}
        address = clients.client_address("203.0.113.50", forged, HEADER)
        assert address == "203.0.113.50"
        if throttle.reserve([f"session:{guess}", f"address:{address}"]) == 0:
            allowed.append(guess)
        clock.t += 1
    assert allowed == [0, 1, 2, 4, 8, 16, 32], "delays of 2, 4, 8, 16, 32 s after the third"


def test_the_header_is_believed_only_from_the_configured_proxies():
    trusted = {**HEADER, clients.TRUSTED_PROXIES_ENV: "10.1.0.0/16, 127.0.0.1"}
    headers = {"x-real-ip": "203.0.113.8"}
    assert clients.client_address("10.1.2.3", headers, trusted) == "203.0.113.8"
    assert clients.client_address(None, headers, trusted) == "203.0.113.8"  # nginx on localhost
    assert clients.client_address("10.2.0.1", headers, trusted) == "10.2.0.1"
    assert clients.client_address("10.1.2.3", headers, HEADER) == "10.1.2.3"


def test_the_header_without_proxies_is_reported_at_start_up(caplog):
    with caplog.at_level(logging.WARNING):
        clients.warn_about_proxy_settings(HEADER)
    assert "NALOXONE_TRUSTED_PROXIES is not" in caplog.text and "ignored" in caplog.text
    caplog.clear()
    clients.warn_about_proxy_settings({**HEADER, clients.TRUSTED_PROXIES_ENV: "127.0.0.1"})
    assert not caplog.text
    warning = clients.proxy_settings_warning({**HEADER, clients.TRUSTED_PROXIES_ENV: "nginx, ::1"})
    assert warning == "NALOXONE_TRUSTED_PROXIES entries that are not addresses are ignored: nginx"


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Dana@Health.example", "email_verified": True}, "dana@health.example"),
        ({"email": "dana@health.example", "email_verified": "true"}, "dana@health.example"),
        ({"email": "dana@health.example", "email_verified": False}, None),
        ({"email": "dana@health.example"}, None),
        ({"email": "", "email_verified": True}, None),
    ],
)
def test_oidc_sign_in_needs_a_verified_email(claims, expected):
    assert auth.oidc_verified_email(claims) == expected


PROCESS = """
import json, sys
from geo.local.store import Store
from geo.local.throttle import StoreThrottle
throttle = StoreThrottle(Store(sys.argv[1]))
keys = ["session:one-browser", "address:203.0.113.77"]
print(json.dumps([throttle.reserve(keys) == 0 for _ in range(7)]))
"""


def test_two_real_processes_guessing_together_share_one_count(store):
    """Two server processes (real ones, started together) guessing for the same
    session and address: 14 rapid attempts let through what one process would (3)."""
    import json
    import subprocess
    import sys

    from geo.config import REPO_ROOT

    started = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, store.location],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for process in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results += json.loads(out)
    assert sum(results) == 3


def test_a_server_started_with_the_header_but_no_proxies_says_so():
    """``streamlit run dashboard.py`` with NALOXONE_CLIENT_ADDRESS_HEADER and without
    NALOXONE_TRUSTED_PROXIES logs the warning as it starts."""
    from geo.config import REPO_ROOT
    from tests.support.browser import running_dashboard

    env = {clients.CLIENT_ADDRESS_HEADER_ENV: "X-Real-IP", clients.TRUSTED_PROXIES_ENV: ""}
    with running_dashboard(env=env) as url:
        port = url.rsplit(":", 1)[1]
    log = (REPO_ROOT / "artifacts" / f"streamlit-{port}.log").read_text()
    assert "NALOXONE_CLIENT_ADDRESS_HEADER is set but NALOXONE_TRUSTED_PROXIES is not" in log
