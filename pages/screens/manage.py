"""Manage data: import sites, edit leave-behind records and sites, publish, history, revert.

Viewing the public pages is open; this page shows nothing about the store to
visitors (its location may hold credentials) and every change, and the change
history, needs the editor sign-in configured by the operator. Sign-in attempts are
throttled, a sign-in expires after inactivity and is bound to the browser that
made it (see ``geo.local.auth``). Each edit form keeps the version of the record it
was opened with; a save that finds a newer version shows both values and lets the
editor choose. Every change is a draft, seen by editors only, until an editor
publishes it; visitors see published local updates, each marked with its date. The
bundled public data is never modified.

The page's parts live next to it: ``manage_signin`` (sign-in), ``manage_forms``
(versioned forms and conflicts), ``manage_import``, ``manage_records`` (leave-behind
and sites tabs), ``manage_refresh`` (refresh from OpenStreetMap or Overture Maps) and
``manage_history``.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
import streamlit as st

from geo.local import auth
from geo.local.store import StoreUnavailableError, masked_location, store_location
from geo.render.formatting import markdown_literal
from pages.screens.manage_history import history_tab
from pages.screens.manage_import import import_tab
from pages.screens.manage_records import leave_behind_tab, sites_tab
from pages.screens.manage_refresh import refresh_tab
from pages.screens.manage_signin import oidc_editor, sign_in
from shell.common import store
from shell.frame import PageContext

STORE_ERRORS = (StoreUnavailableError, sa.exc.SQLAlchemyError, OSError)
logger = logging.getLogger("pages.screens.manage")


def _secrets():
    try:
        return st.secrets
    except Exception:  # no secrets file
        return None


def _without_credentials(text: str) -> str:
    """``text`` with the store URL's password (and the unmasked URL) taken out."""
    location = store_location()
    if "://" in location:
        text = text.replace(location, masked_location(location))
        try:
            password = sa.engine.make_url(location).password
        except sa.exc.ArgumentError:
            password = None
        if password:
            text = text.replace(str(password), "***")
    return text


def _store_problem(exc: BaseException) -> str:
    """What is wrong with the store, in plain words and without credentials (logged)."""
    if isinstance(exc, StoreUnavailableError):
        problem = str(exc)
    elif isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        problem = "the store cannot be reached or opened"
    elif isinstance(exc, sa.exc.DatabaseError):
        problem = "the store cannot be read: it is damaged or not a store"
    elif isinstance(exc, OSError):
        problem = "the store file cannot be created or opened"
    else:
        problem = "the store failed"
    problem = _without_credentials(problem)
    detail = _without_credentials(
        str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    )
    logger.warning("Manage data: %s (%s: %s)", problem, type(exc).__name__, detail)
    return problem


def _show_store_problem(exc: BaseException) -> None:
    st.error(
        f"Editing is unavailable: {markdown_literal(_store_problem(exc))}. Nothing was "
        "changed. The other pages show the bundled public data; this page works "
        "again when the store is back."
    )


def _editor(secrets_mapping) -> str | None:
    """The signed-in editor (OIDC or password), or None after showing the sign-in, or
    how to enable editing when no editor is configured."""
    password_hash = auth.configured_hash(secrets_mapping)
    oidc_emails = auth.oidc_editor_emails(secrets_mapping)
    if oidc_emails is not None and password_hash is None:
        return oidc_editor(oidc_emails)
    if password_hash is None:
        st.info(
            "Editing is not enabled. The operator enables it by setting an editor "
            "password hash: run `python -m geo hash-password`, then set "
            '`NALOXONE_EDITOR_PASSWORD_HASH` or add `[editor] password_hash = "…"` '
            "to `.streamlit/secrets.toml`, and restart the dashboard. The change "
            "history is shown to signed-in editors only."
        )
        return None
    return sign_in(password_hash)


def _editor_area(context: PageContext, who: str) -> None:
    """The store (password masked) and the editing tabs, or what is wrong with the store."""
    st.caption(f"Store: {markdown_literal(masked_location(store_location()))}")
    try:
        context.local_key()  # the store answers (its revision, read once this run)
        _editor_tabs(context, who)
    except STORE_ERRORS as exc:
        _show_store_problem(exc)


def _editor_tabs(context: PageContext, who: str) -> None:
    drafts = int((store().changes()["state"] == "draft").sum())
    tabs = st.tabs(
        [
            "Import sites",
            "Leave-behind",
            "Sites",
            "Refresh from a public source",
            f"Changes ({drafts} to publish)" if drafts else "Changes",
        ]
    )
    with tabs[0]:
        import_tab(context, who)
    with tabs[1]:
        leave_behind_tab(context, who)
    with tabs[2]:
        sites_tab(context, who)
    with tabs[3]:
        refresh_tab(context, who)
    with tabs[4]:
        history_tab(who)


def render(context: PageContext) -> None:
    st.title("Manage data")
    st.caption(
        "The bundled public data is never changed. Editors' changes are drafts "
        "until an editor publishes them (Changes tab); visitors see published local "
        "updates only, marked with their date, when 'Include published local "
        "updates' is on."
    )
    who = _editor(_secrets())
    if who is not None:
        _editor_area(context, who)
