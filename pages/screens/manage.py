"""Manage data: import sites, edit leave-behind records and sites, history and revert.

Viewing is open; every change here needs the editor sign-in configured by the
operator. The bundled public data is never modified.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import auth, importing
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, LEAVE_BEHIND_STATUSES, SITE_TYPE_LABELS
from geo.store import SITE_FIELDS, ConflictError
from pages.screens.common import current_view, data_with_local_updates, guarded, store

EDITOR_KEY = "editor_name"


def _secrets():
    try:
        return st.secrets
    except Exception:  # no secrets file
        return None


def _sign_in(password_hash: str) -> bool:
    if st.session_state.get(EDITOR_KEY):
        left, right = st.columns([4, 1])
        left.success(f"Signed in as editor: {st.session_state[EDITOR_KEY]}")
        if right.button("Sign out"):
            st.session_state.pop(EDITOR_KEY)
            st.rerun()
        return True
    with st.form("sign_in"):
        name = st.text_input("Your name (recorded with every change)")
        password = st.text_input("Editor password", type="password")
        if st.form_submit_button("Sign in"):
            if not name.strip():
                st.error("Give your name: it is recorded in the change history.")
            elif auth.verify_password(password, password_hash):
                st.session_state[EDITOR_KEY] = name.strip()
                st.rerun()
            else:
                st.error("Wrong password.")
    return False


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
            ids = store().add_sites(report.accepted.drop(columns="_row"), who=who)
            st.success(f"Imported {len(ids)} site(s).")


def _leave_behind_tab(who: str) -> None:
    data = data_with_local_updates()
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
    fips = st.selectbox("Jurisdiction", list(names), format_func=names.get, key="lb_fips")
    local = store().leave_behind().set_index("fips")
    current = data.leave_behind.set_index("fips").loc[fips]
    version = int(local.loc[fips, "version"]) if fips in local.index else 0
    st.caption(f"Shown: {current['origin']}. Version {version}.")
    with st.form("leave_behind_form"):
        status = st.selectbox("Status", LEAVE_BEHIND_STATUSES,
                              index=LEAVE_BEHIND_STATUSES.index(current["status"]),
                              format_func=LEAVE_BEHIND_STATUS_LABELS.get)
        start = st.text_input("Start date (YYYY-MM or YYYY-MM-DD)",
                              value="" if pd.isna(current["earliest_date"])
                              else str(current["earliest_date"]))
        doses = st.number_input("Doses left behind (leave 0 if unknown)", min_value=0, step=1,
                                value=int(current["doses"]) if pd.notna(current["doses"]) else 0)
        people = st.number_input("People reached (leave 0 if unknown)", min_value=0, step=1,
                                 value=int(current["people"]) if pd.notna(current["people"])
                                 else 0)
        evidence = st.text_area("Evidence", value="" if pd.isna(current["evidence"])
                                else str(current["evidence"]))
        link = st.text_input("Evidence link", value="" if pd.isna(current["source_url"])
                             else str(current["source_url"]))
        if st.form_submit_button("Save"):
            if start and not importing.re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", start.strip()):
                st.error("Start date must look like 2019-10 or 2019-10-15.")
                return
            try:
                store().save_leave_behind(fips, {
                    "status": status, "earliest_date": start.strip() or None,
                    "doses": int(doses) or None, "people": int(people) or None,
                    "evidence": evidence.strip() or None, "source_url": link.strip() or None},
                    expected_version=version, who=who)
            except (ConflictError, ValueError) as exc:
                st.error(str(exc))
                return
            st.success(f"Saved {names[fips]}.")
            st.rerun()


def _sites_tab(who: str) -> None:
    data = data_with_local_updates()
    sites = data.sites
    labels = dict(zip(sites["id"], sites["name"] + " · " + sites["jurisdiction_fips"]
                      + " · " + sites["id"], strict=True))
    site_id = st.selectbox("Site", list(labels), format_func=labels.get, key="site_pick",
                           index=None, placeholder="Search by name or id")
    if site_id is None:
        return
    site = sites.set_index("id").loc[site_id]
    local = store().sites().set_index("id")
    version = int(local.loc[site_id, "version"]) if site_id in local.index else 0
    st.caption(f"{site['origin']}; status {site['status']}; version {version}.")
    with st.form("site_form"):
        name = st.text_input("Name", value=str(site["name"]))
        site_type = st.selectbox("Type", list(SITE_TYPE_LABELS),
                                 index=list(SITE_TYPE_LABELS).index(site["type"]),
                                 format_func=SITE_TYPE_LABELS.get)
        address = st.text_input("Address", value="" if pd.isna(site["address"])
                                else str(site["address"]))
        lat_column, lon_column = st.columns(2)
        lat = lat_column.text_input("Latitude", value="" if pd.isna(site["lat"])
                                    else f"{site['lat']:.6f}")
        lon = lon_column.text_input("Longitude", value="" if pd.isna(site["lon"])
                                    else f"{site['lon']:.6f}")
        closed = st.checkbox("Closed (kept listed, left out of distances)",
                             value=bool(site["closed"]))
        if st.form_submit_button("Save"):
            values = {f: (None if pd.isna(site.get(f)) else site.get(f)) for f in SITE_FIELDS}
            values.update(name=name.strip(), type=site_type, address=address.strip() or None,
                          status="closed" if closed else "open",
                          jurisdiction_fips=site["jurisdiction_fips"])
            moved = (lat.strip(), lon.strip()) != (
                "" if pd.isna(site["lat"]) else f"{site['lat']:.6f}",
                "" if pd.isna(site["lon"]) else f"{site['lon']:.6f}")
            if moved:
                checked = importing.validate(
                    importing.ImportTable(pd.DataFrame([{"name": name, "type": site_type,
                                                         "lat": lat, "lon": lon}]),
                                          "site form", "utf-8"),
                    {"name": "name", "type": "type", "lat": "lat", "lon": "lon"},
                    data.jurisdictions, sites[sites["id"] != site_id])
                if checked.rejected:
                    st.error(f"Not saved: {checked.rejected[0]['reason']}.")
                    return
                row = checked.accepted.iloc[0]
                values.update(lat=row["lat"], lon=row["lon"],
                              jurisdiction_fips=row["jurisdiction_fips"],
                              location_precision=row["location_precision"])
            try:
                store().save_site(site_id, values, expected_version=version, who=who,
                                  overrides_public=site["origin"] == "public"
                                  or site["origin"].startswith("public"),
                                  action="close" if closed else "update")
            except (ConflictError, ValueError) as exc:
                st.error(str(exc))
                return
            st.success("Saved.")
            st.rerun()


def _history_tab(who: str | None) -> None:
    changes = store().history()
    if changes.empty:
        st.info("No local changes yet.")
        return
    st.dataframe(changes, hide_index=True, width="stretch")
    if who is None:
        return
    change = st.selectbox("Revert change", changes["id"].tolist(), key="revert_pick",
                          format_func=lambda i: f"#{i}")
    if st.button("Revert", key="do_revert"):
        try:
            store().revert(int(change), who=who)
        except (ConflictError, ValueError) as exc:
            st.error(str(exc))
            return
        st.success(f"Reverted change #{change}.")
        st.rerun()


def _oidc_editor(emails: set[str]) -> str | None:
    """The signed-in OIDC user's address when it is an editor's (``st.login``)."""
    if not st.user.is_logged_in:
        st.button("Sign in with your organisation", on_click=st.login, key="oidc_login")
        return None
    email = str(st.user.get("email", "")).lower()
    if email not in emails:
        st.error(f"{email or 'This account'} is not on the editors' list.")
        st.button("Sign out", on_click=st.logout, key="oidc_logout")
        return None
    st.success(f"Signed in as editor: {email}")
    return email


def render() -> None:
    current_view()
    st.title("Manage data")
    st.caption(f"Store: `{store().location}`. The bundled public data is never changed; "
               "pages show local updates when 'Include local updates' is on.")
    secrets = _secrets()
    password_hash = auth.configured_hash(secrets)
    oidc_emails = auth.oidc_editor_emails(secrets)
    if oidc_emails is not None and password_hash is None:
        who = _oidc_editor(oidc_emails)
        if who is not None:
            _editor_tabs(who)
        return
    if password_hash is None:
        st.info("Editing is not enabled. The operator enables it by setting an editor "
                "password hash: run `python -m geo hash-password`, then set "
                "`NALOXONE_EDITOR_PASSWORD_HASH` or add `[editor] password_hash = \"…\"` "
                "to `.streamlit/secrets.toml`, and restart the dashboard.")
        _history_tab(None)
        return
    if not _sign_in(password_hash):
        return
    _editor_tabs(st.session_state[EDITOR_KEY])


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
