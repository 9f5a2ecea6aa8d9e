"""Manage data: import sites, edit leave-behind records and sites, history and revert.

Viewing the public pages is open; this page shows nothing about the store to
visitors (its location may hold credentials) and every change, and the change
history, needs the editor sign-in configured by the operator. Sign-in attempts are
throttled, a sign-in expires after inactivity and is bound to the browser that
made it (see ``geo.auth``). Each edit form keeps the version of the record it was
opened with; a save that finds a newer version shows both values and lets the
editor choose. The bundled public data is never modified.
"""

from __future__ import annotations

import hmac
import logging
import math
import re
import secrets
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo.local import auth, importing
from geo.local.store import (
    LEAVE_BEHIND_FIELDS,
    SITE_FIELDS,
    ConflictError,
    DuplicateSitesError,
    StoreUnavailableError,
    masked_location,
    store_location,
)
from geo.render.formatting import markdown_literal
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, LEAVE_BEHIND_STATUSES, SITE_TYPE_LABELS
from pages.screens.common import current_view, data_with_local_updates, guarded, store

EDITOR_KEY = "editor_name"
LAST_ACTIVE_KEY = "editor_last_active"
FINGERPRINT_KEY = "editor_fingerprint"
SESSION_KEY = "sign_in_session_key"
OPENED_KEY = "edit_opened"
CONFLICT_KEY = "edit_conflict"
FLASH_KEY = "edit_flash"
SERIAL_KEY = "edit_serial"
STORE_ERRORS = (StoreUnavailableError, sa.exc.SQLAlchemyError, OSError)
KEEP_STORED = "Keep the stored value"
SAVE_MINE = "Save mine over it"
logger = logging.getLogger("pages.screens.manage")

SaveFunction = Callable[[dict[str, object], int, str], int]


def _secrets():
    try:
        return st.secrets
    except Exception:  # no secrets file
        return None


# store problems -------------------------------------------------------------
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
    detail = _without_credentials(str(getattr(exc, "orig", None) or exc).splitlines()[0]
                                  if str(exc) else "")
    logger.warning("Manage data: %s (%s: %s)", problem, type(exc).__name__, detail)
    return problem


def _show_store_problem(exc: BaseException) -> None:
    st.error(f"Editing is unavailable: {markdown_literal(_store_problem(exc))}. Nothing was "
             "changed. The other pages show the bundled public data; this page works "
             "again when the store is back.")


# sign-in -----------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _throttle() -> auth.SignInThrottle:
    """Failed sign-in attempts in this server process, all sessions together."""
    return auth.SignInThrottle()


def _client() -> tuple[str, str]:
    """(address, fingerprint) of the browser connection serving this run."""
    headers = {str(k): str(v) for k, v in st.context.headers.items()}
    peer, cookie = st.context.ip_address, st.context.cookies.get(auth.XSRF_COOKIE)
    address = auth.client_address(peer if isinstance(peer, str) else None, headers)
    return address, auth.client_fingerprint(
        address, next((v for k, v in headers.items() if k.lower() == "user-agent"), ""),
        cookie if isinstance(cookie, str) else None)


def _sign_out() -> None:
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
        st.warning(f"You were signed out after {idle_limit / 60:g} minutes without "
                   "activity. Sign in again to make changes.")
        return None
    if not hmac.compare_digest(str(st.session_state.get(FINGERPRINT_KEY, "")), fingerprint):
        _sign_out()
        logger.warning("editor sign-in dropped: session reused from another browser (%s)",
                       address)
        st.warning("You were signed out: this session is now used from a different "
                   "browser or address. Sign in again to make changes.")
        return None
    st.session_state[LAST_ACTIVE_KEY] = at
    return str(name)


def _sign_in(password_hash: str) -> str | None:
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
            address, fingerprint = _client()
            keys = (f"session:{session_key}", f"address:{address}")
            wait = _throttle().retry_after(keys)
            if wait > 0:
                logger.warning("editor sign-in refused for %s: wait %d s", address,
                               math.ceil(wait))
                st.error(f"Too many attempts: try again in {math.ceil(wait)} s.")
            elif not name.strip():
                st.error("Give your name: it is recorded in the change history.")
            elif auth.verify_password(password, password_hash):
                _throttle().record_success(keys)
                logger.info("editor sign-in from %s", address)
                st.session_state.update({EDITOR_KEY: name.strip(), LAST_ACTIVE_KEY: auth.now(),
                                         FINGERPRINT_KEY: fingerprint})
                st.rerun()
            else:
                wait = _throttle().record_failure(keys)
                st.error("Wrong password." + (f" Too many attempts: try again in "
                                              f"{math.ceil(wait)} s." if wait > 0 else ""))
    return None


# forms that keep the version they were opened with ------------------------------
def _opened(form: str, key: str, read: Callable[[], tuple[int, dict[str, object]]]
            ) -> dict[str, object]:
    """The record as the form first showed it: ``version``, ``values`` and ``serial``
    (which names the widgets). Read once per record; kept across reruns until saved,
    discarded or another record is chosen."""
    opened = st.session_state.setdefault(OPENED_KEY, {})
    snapshot = opened.get(form)
    if snapshot is None or snapshot["key"] != key:
        version, values = read()
        serial = st.session_state.get(SERIAL_KEY, 0) + 1
        st.session_state[SERIAL_KEY] = serial
        snapshot = {"key": key, "version": version, "values": values, "serial": serial}
        opened[form] = snapshot
    return snapshot


def _close(form: str, flash: str | None = None) -> None:
    """Forget the form's snapshot and conflict (the next run re-reads the record)."""
    st.session_state.get(OPENED_KEY, {}).pop(form, None)
    st.session_state.get(CONFLICT_KEY, {}).pop(form, None)
    if flash:
        _flash(form, flash)


def _flash(form: str, message: str) -> None:
    """A message for ``form``'s tab on the next run (after ``st.rerun``)."""
    st.session_state.setdefault(FLASH_KEY, {})[form] = message


def _show_flash(form: str) -> None:
    flash = st.session_state.get(FLASH_KEY, {}).pop(form, None)
    if flash:
        st.success(markdown_literal(flash))


def _stored_record(kind: str, key: str) -> dict[str, object] | None:
    """The record as stored now (fields, version, updated_by, updated_at), or None."""
    frame, column = ((store().leave_behind(), "fips") if kind == "leave_behind"
                     else (store().sites(), "id"))
    rows = frame[frame[column] == key]
    if rows.empty:
        return None
    return {k: (None if not isinstance(v, str) and pd.isna(v) else v)
            for k, v in rows.iloc[0].to_dict().items()}


def _save(form: str, kind: str, key: str, mine: dict[str, object], expected: int,
          save: SaveFunction, who: str, done: str) -> None:
    """Save ``mine`` over ``expected``; on a conflict keep both for the editor to choose."""
    try:
        save(mine, expected, who)
    except ConflictError as exc:
        stored = exc.current if exc.current is not None else _stored_record(kind, key)
        st.session_state.setdefault(CONFLICT_KEY, {})[form] = {
            "key": key, "mine": mine, "stored": stored, "expected": expected}
        st.rerun()
    except ValueError as exc:
        st.error(f"Not saved: {markdown_literal(exc)}.")
        return
    _close(form, done)
    st.rerun()


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _conflict(form: str, kind: str, key: str, labels: dict[str, str], save: SaveFunction,
              who: str, done: str) -> bool:
    """Show a pending conflict for record ``key`` in ``form`` (yours vs. stored now) and
    the two choices; False when there is none (choosing another record drops it)."""
    conflicts = st.session_state.get(CONFLICT_KEY, {})
    conflict = conflicts.get(form)
    if conflict is not None and conflict["key"] != key:
        conflicts.pop(form)
        conflict = None
    if conflict is None:
        return False
    mine, stored = conflict["mine"], conflict["stored"]
    if stored is None:
        st.warning("This record was changed after you opened it: it has no local update "
                   "now (the public data applies). Your change is not saved yet.")
        stored_values: dict[str, object] = {}
    else:
        st.warning(f"{markdown_literal(stored.get('updated_by'))} changed this record at "
                   f"{markdown_literal(stored.get('updated_at'))} after you opened it (now version "
                   f"{markdown_literal(stored.get('version'))}). Your change is not saved yet: "
                   "compare and choose.")
        stored_values = stored
    rows = [(label, _cell(mine.get(field)), _cell(stored_values.get(field)))
            for field, label in labels.items()]
    rows += [("Version", str(conflict["expected"]), _cell(stored_values.get("version"))),
             ("Changed by", who, _cell(stored_values.get("updated_by"))),
             ("Changed at", "", _cell(stored_values.get("updated_at")))]
    st.dataframe(pd.DataFrame(rows, columns=["Field", "Yours", "Stored now"]),
                 hide_index=True, width="stretch")
    keep, overwrite = st.columns(2)
    if keep.button(KEEP_STORED, key=f"keep_{form}"):
        _close(form, "Kept the stored value; the form shows it now.")
        st.rerun()
    if overwrite.button(SAVE_MINE, key=f"mine_{form}", type="primary"):
        expected = 0 if stored is None else int(stored["version"])  # type: ignore[arg-type]
        _save(form, kind, key, mine, expected, save, who, done)
    return True


def _import_tab(who: str) -> None:
    import re

    def literal(text: object) -> str:  # file names and cells shown as typed, never as Markdown
        return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])", r"\\\1", str(text))

    limit_mb = importing.MAX_IMPORT_BYTES // 2**20
    st.caption(f"CSV, Excel (.xlsx) or GeoJSON, up to {limit_mb} MB, "
               f"{importing.MAX_IMPORT_ROWS:,} rows and {importing.MAX_IMPORT_COLUMNS} columns. "
               "Columns are matched automatically; correct the matching below. Rows with "
               "only a ZIP get the ZIP centroid; rows with nothing locatable stay unmapped.")
    upload = st.file_uploader("Site list", type=["csv", "xlsx", "geojson", "json"],
                              key="import_file", max_upload_size=limit_mb)
    if upload is None:
        return
    # Read in a child process with time and memory limits, once per uploaded file.
    parsed = st.session_state.get("import_parsed")
    if parsed is None or parsed[0] != upload.file_id:
        try:
            result: importing.ImportTable | str = importing.read_upload_isolated(
                upload.name, upload.getvalue())
        except ValueError as exc:
            result = str(exc)
        parsed = (upload.file_id, result)
        st.session_state["import_parsed"] = parsed
    table = parsed[1]
    if isinstance(table, str):
        st.error(literal(table))
        return
    guessed = importing.guess_mapping(list(table.frame.columns))
    options = [None, *table.frame.columns]
    columns = st.columns(4)
    mapping = {}
    for index, target in enumerate(importing.FIELDS):
        default = options.index(guessed[target]) if guessed[target] in options else 0
        mapping[target] = columns[index % 4].selectbox(
            f"{target}{' *' if target in importing.REQUIRED else ''}", options, index=default,
            key=f"map_{target}", format_func=lambda c: "(none)" if c is None else str(c))
    data = data_with_local_updates()
    try:
        report = importing.validate(table, mapping, data.jurisdictions, data.sites)
    except ValueError as exc:
        st.error(literal(exc))
        return
    for note in report.notes:
        st.info(literal(f"{table.filename}: {note}."))
    st.write(f"**{len(report.accepted)}** valid row(s), **{len(report.rejected)}** rejected.")
    if report.rejected:
        st.dataframe(report.rejected_frame(), hide_index=True, width="stretch",
                     column_config={"row": table.row_label.capitalize()})
        st.download_button("Download rejected rows for fixing (CSV)",
                           importing.rejected_rows_csv(table, report),
                           f"rejected-{table.filename}.csv", "text/csv", key="rejected_csv")
    if len(report.accepted):
        st.dataframe(report.accepted.drop(columns="_row"), hide_index=True, width="stretch")
        if st.button(f"Import {len(report.accepted)} valid row(s)", type="primary",
                     key="do_import"):
            try:
                ids = store().add_sites(report.accepted.drop(columns="_row"), who=who)
            except DuplicateSitesError as exc:
                st.error(f"Nothing was imported: {len(exc.duplicates)} row(s) are already "
                         "stored.")
                st.dataframe(pd.DataFrame(exc.duplicates), hide_index=True, width="stretch")
                return
            st.success(f"Imported {len(ids)} site(s).")


LEAVE_BEHIND_LABELS = {"status": "Status", "earliest_date": "Start date",
                       "doses": "Doses left behind", "people": "People reached",
                       "evidence": "Evidence", "source_url": "Evidence link"}
SITE_LABELS = {"name": "Name", "type": "Type", "address": "Address", "lat": "Latitude",
               "lon": "Longitude", "status": "Status", "jurisdiction_fips": "Jurisdiction"}


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _read_leave_behind(fips: str) -> tuple[int, dict[str, object]]:
    """(stored version, values shown) for a jurisdiction; the version is read before the
    data so the values are never older than the version."""
    local = store().leave_behind().set_index("fips")
    version = int(local.loc[fips, "version"]) if fips in local.index else 0
    row = data_with_local_updates().leave_behind.set_index("fips").loc[fips]
    values = {field: (None if pd.isna(row.get(field)) else row.get(field))
              for field in LEAVE_BEHIND_FIELDS}
    values["origin"] = str(row["origin"])
    return version, values


def _leave_behind_tab(who: str) -> None:
    _show_flash("leave_behind")
    data = data_with_local_updates()
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
    fips = st.selectbox("Jurisdiction", list(names), format_func=names.get, key="lb_fips")

    def save(values: dict[str, object], expected: int, editor: str) -> int:
        return store().save_leave_behind(fips, values, expected_version=expected, who=editor)

    done = f"Saved {names[fips]}."
    if _conflict("leave_behind", "leave_behind", fips, LEAVE_BEHIND_LABELS, save, who,
                 done):
        return
    opened = _opened("leave_behind", fips, lambda: _read_leave_behind(fips))
    shown, serial = opened["values"], opened["serial"]
    st.caption(f"Shown: {shown['origin']}. Version {opened['version']}.")
    with st.form(f"leave_behind_form_{serial}"):
        status = st.selectbox("Status", LEAVE_BEHIND_STATUSES,
                              index=LEAVE_BEHIND_STATUSES.index(shown["status"]),
                              format_func=LEAVE_BEHIND_STATUS_LABELS.get)
        start = st.text_input("Start date (YYYY-MM or YYYY-MM-DD)",
                              value=_text(shown["earliest_date"]))
        doses = st.number_input("Doses left behind (leave 0 if unknown)", min_value=0, step=1,
                                value=int(shown["doses"]) if shown["doses"] is not None else 0)
        people = st.number_input("People reached (leave 0 if unknown)", min_value=0, step=1,
                                 value=int(shown["people"]) if shown["people"] is not None
                                 else 0)
        evidence = st.text_area("Evidence", value=_text(shown["evidence"]))
        link = st.text_input("Evidence link", value=_text(shown["source_url"]))
        if st.form_submit_button("Save"):
            if start and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", start.strip()):
                st.error("Start date must look like 2019-10 or 2019-10-15.")
                return
            _save("leave_behind", "leave_behind", fips, {
                "status": status, "earliest_date": start.strip() or None,
                "doses": int(doses) or None, "people": int(people) or None,
                "evidence": evidence.strip() or None, "source_url": link.strip() or None},
                int(opened["version"]), save, who, done)


def _coordinate(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.6f}"


def _read_site(site_id: str) -> tuple[int, dict[str, object]]:
    """(stored version, values shown) for a site; version read before the data."""
    local = store().sites().set_index("id")
    version = int(local.loc[site_id, "version"]) if site_id in local.index else 0
    site = data_with_local_updates().sites.set_index("id").loc[site_id]
    values = {f: (None if pd.isna(site.get(f)) else site.get(f)) for f in SITE_FIELDS}
    values.update(status="closed" if bool(site["closed"]) else "open",
                  origin=str(site["origin"]), closed=bool(site["closed"]),
                  display_status=str(site["status"]))
    return version, values


def _sites_tab(who: str) -> None:
    _show_flash("site")
    data = data_with_local_updates()
    sites = data.sites
    labels = dict(zip(sites["id"], sites["name"] + " · " + sites["jurisdiction_fips"]
                      + " · " + sites["id"], strict=True))
    site_id = st.selectbox("Site", list(labels), format_func=labels.get, key="site_pick",
                           index=None, placeholder="Search by name or id")
    if site_id is None:
        return
    opened = _opened("site", site_id, lambda: _read_site(site_id))
    shown, serial = opened["values"], opened["serial"]
    overrides_public = str(shown["origin"]).startswith("public")

    def save(values: dict[str, object], expected: int, editor: str) -> int:
        return store().save_site(site_id, values, expected_version=expected, who=editor,
                                 overrides_public=overrides_public,
                                 action="close" if values["status"] == "closed" else "update")

    if _conflict("site", "site", site_id, SITE_LABELS, save, who, "Saved."):
        return
    st.caption(f"{shown['origin']}; status {shown['display_status']}; "
               f"version {opened['version']}.")
    with st.form(f"site_form_{serial}"):
        name = st.text_input("Name", value=_text(shown["name"]))
        site_type = st.selectbox("Type", list(SITE_TYPE_LABELS),
                                 index=list(SITE_TYPE_LABELS).index(shown["type"]),
                                 format_func=SITE_TYPE_LABELS.get)
        address = st.text_input("Address", value=_text(shown["address"]))
        lat_column, lon_column = st.columns(2)
        lat = lat_column.text_input("Latitude", value=_coordinate(shown["lat"]))
        lon = lon_column.text_input("Longitude", value=_coordinate(shown["lon"]))
        closed = st.checkbox("Closed (kept listed, left out of distances)",
                             value=bool(shown["closed"]))
        if st.form_submit_button("Save"):
            values = {f: shown.get(f) for f in SITE_FIELDS}
            values.update(name=name.strip(), type=site_type, address=address.strip() or None,
                          status="closed" if closed else "open")
            if (lat.strip(), lon.strip()) != (_coordinate(shown["lat"]),
                                              _coordinate(shown["lon"])):
                checked = importing.validate(
                    importing.ImportTable(pd.DataFrame([{"name": name, "type": site_type,
                                                         "lat": lat, "lon": lon}]),
                                          "site form", "utf-8"),
                    {"name": "name", "type": "type", "lat": "lat", "lon": "lon"},
                    data.jurisdictions, sites[sites["id"] != site_id])
                if checked.rejected:
                    st.error(f"Not saved: {markdown_literal(checked.rejected[0]['reason'])}.")
                    return
                row = checked.accepted.iloc[0]
                values.update(lat=row["lat"], lon=row["lon"],
                              jurisdiction_fips=row["jurisdiction_fips"],
                              location_precision=row["location_precision"])
            _save("site", "site", site_id, values, int(opened["version"]), save, who, "Saved.")


def _history_tab(who: str) -> None:
    """The change history (editors only: it names people and holds previous values)."""
    _show_flash("history")
    changes = store().history()
    if changes.empty:
        st.info("No local changes yet.")
        return
    st.dataframe(changes, hide_index=True, width="stretch")
    change = st.selectbox("Revert change", changes["id"].tolist(), key="revert_pick",
                          format_func=lambda i: f"#{i}")
    if st.button("Revert", key="do_revert"):
        try:
            store().revert(int(change), who=who)
        except (ConflictError, ValueError) as exc:
            st.error(markdown_literal(exc))
            return
        _flash("history", f"Reverted change #{change}.")
        st.session_state.pop(OPENED_KEY, None)
        st.rerun()


def _oidc_editor(emails: set[str]) -> str | None:
    """The signed-in OIDC user's address when it is an editor's (``st.login``)."""
    if not st.user.is_logged_in:
        st.button("Sign in with your organisation", on_click=st.login, key="oidc_login")
        return None
    email = str(st.user.get("email", "")).lower()
    if email not in emails:
        st.error(f"{markdown_literal(email) or 'This account'} is not on the editors' list.")
        st.button("Sign out", on_click=st.logout, key="oidc_logout")
        return None
    st.success(f"Signed in as editor: {markdown_literal(email)}")
    return email


def render() -> None:
    current_view()
    st.title("Manage data")
    st.caption("The bundled public data is never changed; pages show local updates when "
               "'Include local updates' is on.")
    secrets_mapping = _secrets()
    password_hash = auth.configured_hash(secrets_mapping)
    oidc_emails = auth.oidc_editor_emails(secrets_mapping)
    if oidc_emails is not None and password_hash is None:
        who = _oidc_editor(oidc_emails)
    elif password_hash is None:
        st.info("Editing is not enabled. The operator enables it by setting an editor "
                "password hash: run `python -m geo hash-password`, then set "
                "`NALOXONE_EDITOR_PASSWORD_HASH` or add `[editor] password_hash = \"…\"` "
                "to `.streamlit/secrets.toml`, and restart the dashboard. The change "
                "history is shown to signed-in editors only.")
        return
    else:
        who = _sign_in(password_hash)
    if who is not None:
        _editor_area(who)


def _editor_area(who: str) -> None:
    """The store (password masked) and the editing tabs, or what is wrong with the store."""
    st.caption(f"Store: {markdown_literal(masked_location(store_location()))}")
    try:
        store().revision()
        _editor_tabs(who)
    except STORE_ERRORS as exc:
        _show_store_problem(exc)


def _editor_tabs(who: str) -> None:
    tabs = st.tabs(["Import sites", "Leave-behind", "Sites", "History"])
    with tabs[0]:
        _import_tab(who)
    with tabs[1]:
        _leave_behind_tab(who)
    with tabs[2]:
        _sites_tab(who)
    with tabs[3]:
        _history_tab(who)


guarded(render)
