"""Which client is signing in: its address (behind a proxy too) and a fingerprint
binding an editor's sign-in to one browser (:mod:`geo.local.auth` uses both).

The address is the connection's peer (``st.context.ip_address``; connections from
localhost count as one address, ``local``). Behind a reverse proxy every visitor has the
proxy's address: set ``NALOXONE_CLIENT_ADDRESS_HEADER`` (e.g. ``X-Real-IP`` or
``X-Forwarded-For``, last entry used) to the header the proxy overwrites, and
``NALOXONE_TRUSTED_PROXIES`` to the proxy's addresses: the header is believed only on
connections from those addresses (a client can send any header), and the server warns
at start-up when the header is set without them. Per-address counting means an attacker
can lock out editors who share their address for 15 minutes: the price of stopping
guessing from many sessions.

Why that binding, and what it leaves (Streamlit 1.67): the session id travels in
upload URLs (``/_stcore/upload_file/<session id>/...``, so it can land in proxy
logs), and a WebSocket that offers a live session's id is handed that session, its
state and so its sign-in. A script cannot set a cookie of its own: Streamlit has
no API for response headers, ``st.context.cookies`` is read-only and a cookie set
from a component's JavaScript could not be HttpOnly. The only HttpOnly cookie is
the one ``st.login`` (OIDC) sets, and Streamlit already refuses to resume a session
for a different OIDC user, so OIDC is the stronger setup. The XSRF cookie is a
per-browser random token that is not in any URL: someone who learns only the
session id reconnects with their own (or no) XSRF cookie, fails the check and is
signed out before anything is shown or saved. Residual risk: (1) the XSRF cookie
is readable by JavaScript on the dashboard's origin, so script injected into that
origin, malware or anyone with the editor's browser profile can copy it; (2) with
``server.enableXsrfProtection`` off there is no such cookie and the binding falls
back to address and User-Agent, which a user behind the same NAT or proxy can
copy; (3) the hijacked connection replaces the editor's (Streamlit disconnects the
old client), so the editor sees the page reconnect; the attacker's rerun signs the
session out, which the editor then sees on their next rerun. Keep XSRF protection
on (the default) and serve the dashboard over HTTPS.
"""

from __future__ import annotations

import binascii
import hashlib
import ipaddress
import logging
from collections.abc import Mapping

from geo.config import (
    CLIENT_ADDRESS_HEADER_ENV,
    TRUSTED_PROXIES_ENV,
    client_address_header,
    trusted_proxies,
)

__all__ = [
    "CLIENT_ADDRESS_HEADER_ENV",
    "TRUSTED_PROXIES_ENV",
    "XSRF_COOKIE",
    "client_address",
    "client_fingerprint",
    "proxy_settings_warning",
    "warn_about_proxy_settings",
    "xsrf_token",
]

XSRF_COOKIE = "_streamlit_xsrf"
logger = logging.getLogger(__name__)


def _from_trusted_proxy(peer: str | None, environ: Mapping[str, str] | None) -> bool:
    """Whether the connection comes from a proxy listed in ``NALOXONE_TRUSTED_PROXIES``
    (Streamlit reports a localhost peer as None: that is 127.0.0.1 or ::1)."""
    networks, _ = trusted_proxies(environ)
    if not networks:
        return False
    candidates = ("127.0.0.1", "::1") if peer is None else (peer,)
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate.split("%", 1)[0])
        except ValueError:
            continue
        if any(address in network for network in networks if network.version == address.version):
            return True
    return False


def proxy_settings_warning(environ: Mapping[str, str] | None = None) -> str | None:
    """What is wrong with the proxy settings, for the start-up log: the client-address
    header set without ``NALOXONE_TRUSTED_PROXIES`` (it is then ignored), or entries
    of that list that are not addresses; None when all is well."""
    networks, bad = trusted_proxies(environ)
    problems = []
    if bad:
        problems.append(
            f"{TRUSTED_PROXIES_ENV} entries that are not addresses are ignored: " + ", ".join(bad)
        )
    if client_address_header(environ) and not networks:
        problems.append(
            f"{CLIENT_ADDRESS_HEADER_ENV} is set but {TRUSTED_PROXIES_ENV} is not, so the "
            "header is ignored and sign-in attempts are counted by the connection's "
            f"address; set {TRUSTED_PROXIES_ENV} to the proxy's addresses (e.g. 127.0.0.1)"
        )
    return "; ".join(problems) or None


def warn_about_proxy_settings(environ: Mapping[str, str] | None = None) -> None:
    """Log :func:`proxy_settings_warning` (the server calls this at start-up)."""
    problem = proxy_settings_warning(environ)
    if problem:
        logger.warning("editor sign-in: %s", problem)


def client_address(
    peer: str | None, headers: Mapping[str, str], environ: Mapping[str, str] | None = None
) -> str:
    """The address sign-in attempts are counted under: the header named by
    ``NALOXONE_CLIENT_ADDRESS_HEADER`` (last comma-separated entry) when set, sent, and
    the connection comes from a proxy in ``NALOXONE_TRUSTED_PROXIES``; else the
    connection's peer address, else ``local`` (localhost connections)."""
    wanted = client_address_header(environ)
    if wanted and _from_trusted_proxy(peer, environ):
        for name, value in headers.items():
            if str(name).lower() == wanted and str(value).strip():
                last = str(value).split(",")[-1].strip()
                if last:
                    return last[:64]
    return peer or "local"


def xsrf_token(cookie_value: str | None) -> bytes | None:
    """The random token inside Streamlit's ``_streamlit_xsrf`` cookie (the cookie is
    re-masked on every page load; the token stays the same), or None."""
    if not cookie_value:
        return None
    value = cookie_value.strip("\"'")
    try:
        if value.startswith("2|"):
            _, mask_hex, masked_hex, _timestamp = value.split("|")
            mask, masked = bytes.fromhex(mask_hex), bytes.fromhex(masked_hex)
            if not mask or not masked:
                return None
            return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked))
        return binascii.a2b_hex(value) if value else None
    except (ValueError, binascii.Error):
        return None


def client_fingerprint(address: str, user_agent: str, xsrf_cookie: str | None) -> str:
    """A digest binding a sign-in to one browser: address, User-Agent and XSRF token."""
    token = xsrf_token(xsrf_cookie) or b""
    parts = [address.encode("utf-8"), user_agent.encode("utf-8", "replace"), token]
    return hashlib.sha256(b"\0".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()
