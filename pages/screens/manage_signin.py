"""Manage data: the editor sign-in (password form, throttled; idle expiry; bound to the
browser that made it, see ``geo.local.auth``). Helpers for ``manage.py``; nothing
runs at import."""

from __future__ import annotations

import hmac
import logging
import math
import secrets

import streamlit as st

from geo.local import auth, clients
from geo.local.store import StoreUnavailableError
from geo.local.throttle import StoreThrottle
from geo.render.formatting import markdown_literal
from pages.screens.manage_forms import CONFLICT_KEY, OPENED_KEY
from shell import upload_guard
from shell.common import store

EDITOR_KEY = "editor_name"
LAST_ACTIVE_KEY = "editor_last_active"
FINGERPRINT_KEY = "editor_fingerprint"
SESSION_KEY = "sign_in_session_key"
logger = logging.getLogger("pages.screens.manage")


@st.cache_resource(show_spinner=False)
def _process_throttle() -> auth.SignInThrottle:
    """Failed sign-in attempts in this server process, all sessions together: the
    policy, and the count used while the shared store cannot be written."""
    return auth.SignInThrottle()


def _throttle() -> StoreThrottle | auth.SignInThrottle:
    """Failed sign-in attempts counted in the shared store, so every server process
    behind the proxy sees them (this process's count while the store is down)."""
    try:
        return StoreThrottle(store(), _process_throttle())
    except StoreUnavailableError:
        return _process_throttle()


def _client() -> tuple[str, str]:
    """(address, fingerprint) of the browser connection serving this run."""
    headers = {str(k): str(v) for k, v in st.context.headers.items()}
    peer, cookie = st.context.ip_address, st.context.cookies.get(clients.XSRF_COOKIE)
    address = clients.client_address(peer if isinstance(peer, str) else None, headers)
    return address, clients.client_fingerprint(
        address,
        next((v for k, v in headers.items() if k.lower() == "user-agent"), ""),
        cookie if isinstance(cookie, str) else None,
    )


def _sign_out() -> None:
    upload_guard.close_uploads()  # no more uploads; its uploaded files are released
    for key in (EDITOR_KEY, LAST_ACTIVE_KEY, FINGERPRINT_KEY, OPENED_KEY, CONFLICT_KEY):
        st.session_state.pop(key, None)


def _signed_in_editor() -> str | None:
    """The signed-in editor's name, once the sign-in is still fresh and still used by
    the browser that made it; otherwise signs out (with a message) and returns None."""
    name = st.session_state.get(EDITOR_KEY)
    if not name:
        return None
    at = auth.now()
    address, fingerprint = _client()
    idle_limit = auth.idle_limit_seconds()
    if at - float(st.session_state.get(LAST_ACTIVE_KEY, -math.inf)) > idle_limit:
        _sign_out()
        st.warning(
            f"You were signed out after {idle_limit / 60:g} minutes without "
            "activity. Sign in again to make changes."
        )
        return None
    if not hmac.compare_digest(str(st.session_state.get(FINGERPRINT_KEY, "")), fingerprint):
        _sign_out()
        logger.warning("editor sign-in dropped: session reused from another browser (%s)", address)
        st.warning(
            "You were signed out: this session is now used from a different "
            "browser or address. Sign in again to make changes."
        )
        return None
    st.session_state[LAST_ACTIVE_KEY] = at
    return str(name)


def _try_sign_in(name: str, password: str, password_hash: str, session_key: str) -> None:
    """Check one submitted sign-in (throttled per session and per address)."""
    address, fingerprint = _client()
    keys = (f"session:{session_key}", f"address:{address}")
    if not name.strip():
        st.error("Give your name: it is recorded in the change history.")
        return
    wait = _throttle().reserve(keys)  # counted before the check: parallel tries can't race
    if wait > 0:
        logger.warning("editor sign-in refused for %s: wait %d s", address, math.ceil(wait))
        st.error(f"Too many attempts: try again in {math.ceil(wait)} s.")
    elif auth.verify_password(password, password_hash):
        _throttle().record_success(keys)
        logger.info("editor sign-in from %s", address)
        st.session_state.update(
            {EDITOR_KEY: name.strip(), LAST_ACTIVE_KEY: auth.now(), FINGERPRINT_KEY: fingerprint}
        )
        st.rerun()
    else:
        logger.warning("editor sign-in failed for %s", address)
        wait = _throttle().retry_after(keys)
        st.error(
            "Wrong password."
            + (f" Too many attempts: try again in {math.ceil(wait)} s." if wait > 0 else "")
        )


def editor_signed_in() -> bool:
    """True while an editor's sign-in in this session is fresh and used by the browser
    that made it (changes nothing: the Manage page does the signing out), or an OIDC
    user is signed in whose address is on the editors' list."""
    if st.session_state.get(EDITOR_KEY):
        fresh = (
            auth.now() - float(st.session_state.get(LAST_ACTIVE_KEY, -math.inf))
            <= auth.idle_limit_seconds()
        )
        return fresh and hmac.compare_digest(
            str(st.session_state.get(FINGERPRINT_KEY, "")), _client()[1]
        )
    try:
        emails = auth.oidc_editor_emails(st.secrets)
        return bool(emails and st.user.is_logged_in and auth.oidc_verified_email(st.user) in emails)
    except Exception:  # no secrets file, or no OIDC configured
        return False


def sign_in(password_hash: str) -> str | None:
    """The signed-in editor, or the sign-in form (throttled) and None."""
    who = _signed_in_editor()
    if who is not None:
        left, right = st.columns([4, 1])
        left.success(f"Signed in as editor: {markdown_literal(who)}")
        if right.button("Sign out"):
            _sign_out()
            st.rerun()
        return who
    session_key = st.session_state.setdefault(SESSION_KEY, secrets.token_hex(8))
    with st.form("sign_in"):
        name = st.text_input("Your name (recorded with every change)", max_chars=100)
        password = st.text_input("Editor password", type="password")
        if st.form_submit_button("Sign in"):
            _try_sign_in(name, password, password_hash, session_key)
    return None


def oidc_editor(emails: set[str]) -> str | None:
    """The signed-in OIDC user's address when it is verified (``email_verified``) and an
    editor's (``st.login``)."""
    if not st.user.is_logged_in:
        st.button("Sign in with your organisation", on_click=st.login, key="oidc_login")
        return None
    email = auth.oidc_verified_email(st.user)
    if email is None:
        claimed = str(st.user.get("email") or "").strip()
        st.error(
            f"{markdown_literal(claimed) or 'This account'}: your organisation's sign-in "
            "does not say this e-mail address is verified, and editing needs a verified "
            "address. Ask the operator to have the provider verify it."
        )
        st.button("Sign out", on_click=st.logout, key="oidc_logout")
        return None
    if email not in emails:
        st.error(f"{markdown_literal(email) or 'This account'} is not on the editors' list.")
        st.button("Sign out", on_click=st.logout, key="oidc_logout")
        return None
    st.success(f"Signed in as editor: {markdown_literal(email)}")
    return email
