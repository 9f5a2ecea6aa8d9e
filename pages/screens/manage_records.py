"""Manage data: the Leave-behind and Sites tabs (edit one record at a time, against the
version it was opened with; see ``manage_forms``). Helpers for ``manage.py``; nothing
runs at import."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from geo.local import importing
from geo.local.limits import MAX_COUNT, field_chars
from geo.local.store import LEAVE_BEHIND_FIELDS, SITE_FIELDS
from geo.render.formatting import markdown_literal
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, LEAVE_BEHIND_STATUSES, SITE_TYPE_LABELS
from pages.screens.manage_forms import conflict, opened, save, show_flash, text
from shell.common import store
from shell.frame import PageContext, local_data_at

LEAVE_BEHIND_LABELS = {
    "status": "Status",
    "earliest_date": "Start date",
    "doses": "Doses left behind",
    "people": "People reached",
    "evidence": "Evidence",
    "source_url": "Evidence link",
}
SITE_LABELS = {
    "name": "Name",
    "type": "Type",
    "address": "Address",
    "lat": "Latitude",
    "lon": "Longitude",
    "status": "Status",
    "jurisdiction_fips": "Jurisdiction",
}


def bounded_input(
    label: str, shown: Mapping[str, object], field: str, *, area: bool = False
) -> str:
    """A text box that takes at most the field's stored limit
    (:data:`geo.local.limits.FIELD_CHARS`), showing the stored value."""
    limit = field_chars(field)
    widget = st.text_area if area else st.text_input
    return widget(label, value=text(shown[field])[:limit], max_chars=limit)


def _fresh_local_data():
    """The data with local updates at a revision read now. Opening a form reads the
    record's version first and then this (a second revision read in that run, on
    purpose): the values shown are never older than the version the form saves over."""
    return local_data_at(store().revision())


def _read_leave_behind(fips: str) -> tuple[int, dict[str, object]]:
    """(stored version, values shown) for a jurisdiction; the version is read before the
    data so the values are never older than the version."""
    local = store().leave_behind().set_index("fips")
    version = int(local.loc[fips, "version"]) if fips in local.index else 0
    row = _fresh_local_data().leave_behind.set_index("fips").loc[fips]
    values = {
        field: (None if pd.isna(row.get(field)) else row.get(field))
        for field in LEAVE_BEHIND_FIELDS
    }
    values["origin"] = str(row["origin"])
    return version, values


def _count(value: object) -> int:
    return int(value) if value is not None else 0


def leave_behind_tab(context: PageContext, who: str) -> None:
    show_flash("leave_behind")
    names = context.names
    fips = st.selectbox("Jurisdiction", list(names), format_func=names.get, key="lb_fips")

    def saver(values: dict[str, object], expected: int, editor: str) -> int:
        return store().save_leave_behind(
            fips, values, expected_version=expected, who=editor, place=names[fips]
        )

    done = f"Saved {names[fips]}."
    if conflict("leave_behind", "leave_behind", fips, LEAVE_BEHIND_LABELS, saver, who, done):
        return
    snapshot = opened("leave_behind", fips, lambda: _read_leave_behind(fips))
    shown = snapshot["values"]
    st.caption(f"Shown: {markdown_literal(shown['origin'])}. Version {snapshot['version']}.")
    with st.form(f"leave_behind_form_{snapshot['serial']}"):
        status = st.selectbox(
            "Status",
            LEAVE_BEHIND_STATUSES,
            index=LEAVE_BEHIND_STATUSES.index(shown["status"]),
            format_func=LEAVE_BEHIND_STATUS_LABELS.get,
        )
        start = bounded_input("Start date (YYYY-MM or YYYY-MM-DD)", shown, "earliest_date")
        doses = st.number_input(
            "Doses left behind (leave 0 if unknown)",
            min_value=0,
            max_value=MAX_COUNT,
            step=1,
            value=min(_count(shown["doses"]), MAX_COUNT),
        )
        people = st.number_input(
            "People reached (leave 0 if unknown)",
            min_value=0,
            max_value=MAX_COUNT,
            step=1,
            value=min(_count(shown["people"]), MAX_COUNT),
        )
        evidence = bounded_input("Evidence", shown, "evidence", area=True)
        link = bounded_input("Evidence link", shown, "source_url")
        if st.form_submit_button("Save"):
            if start and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", start.strip()):
                st.error("Start date must look like 2019-10 or 2019-10-15.")
                return
            save(
                "leave_behind",
                "leave_behind",
                fips,
                {
                    "status": status,
                    "earliest_date": start.strip() or None,
                    "doses": int(doses) or None,
                    "people": int(people) or None,
                    "evidence": evidence.strip() or None,
                    "source_url": link.strip() or None,
                },
                int(snapshot["version"]),
                saver,
                who,
                done,
            )


def _coordinate(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.6f}"


def _read_site(site_id: str) -> tuple[int, dict[str, object]]:
    """(stored version, values shown) for a site; version read before the data."""
    local = store().sites().set_index("id")
    version = int(local.loc[site_id, "version"]) if site_id in local.index else 0
    site = _fresh_local_data().sites.set_index("id").loc[site_id]
    values = {f: (None if pd.isna(site.get(f)) else site.get(f)) for f in SITE_FIELDS}
    values.update(
        status="closed" if bool(site["closed"]) else "open",
        origin=str(site["origin"]),
        closed=bool(site["closed"]),
        display_status=str(site["status"]),
    )
    return version, values


def _checked_location(
    context: PageContext, site_id: str, name: str, site_type: str, lat: str, lon: str
) -> dict[str, object] | None:
    """The corrected location's fields (validated like an imported row), or None after
    showing why it is refused."""
    data = context.local_data()
    others = data.sites[data.sites["id"] != site_id]
    checked = importing.validate(
        importing.ImportTable(
            pd.DataFrame([{"name": name, "type": site_type, "lat": lat, "lon": lon}]),
            "site form",
            "utf-8",
        ),
        {"name": "name", "type": "type", "lat": "lat", "lon": "lon"},
        data.jurisdictions,
        others,
    )
    if checked.rejected:
        st.error(f"Not saved: {markdown_literal(checked.rejected[0]['reason'])}.")
        return None
    row = checked.accepted.iloc[0]
    return {
        "lat": row["lat"],
        "lon": row["lon"],
        "jurisdiction_fips": row["jurisdiction_fips"],
        "location_precision": row["location_precision"],
    }


def _site_form(
    context: PageContext,
    site_id: str,
    snapshot: dict[str, object],
    submit: Callable[[dict[str, object]], None],
) -> None:
    """The site's form; ``submit`` gets the values when it is submitted and valid."""
    shown = snapshot["values"]
    with st.form(f"site_form_{snapshot['serial']}"):
        name = bounded_input("Name", shown, "name")
        site_type = st.selectbox(
            "Type",
            list(SITE_TYPE_LABELS),
            index=list(SITE_TYPE_LABELS).index(shown["type"]),
            format_func=SITE_TYPE_LABELS.get,
        )
        address = bounded_input("Address", shown, "address")
        lat_column, lon_column = st.columns(2)
        lat = lat_column.text_input("Latitude", value=_coordinate(shown["lat"]))
        lon = lon_column.text_input("Longitude", value=_coordinate(shown["lon"]))
        closed = st.checkbox(
            "Closed (kept listed, left out of distances)", value=bool(shown["closed"])
        )
        if not st.form_submit_button("Save"):
            return
        values = {f: shown.get(f) for f in SITE_FIELDS}
        values.update(
            name=name.strip(),
            type=site_type,
            address=address.strip() or None,
            status="closed" if closed else "open",
        )
        if (lat.strip(), lon.strip()) != (_coordinate(shown["lat"]), _coordinate(shown["lon"])):
            location = _checked_location(context, site_id, name, site_type, lat, lon)
            if location is None:
                return
            values.update(location)
        submit(values)


def sites_tab(context: PageContext, who: str) -> None:
    show_flash("site")
    sites = context.local_data().sites
    labels = dict(
        zip(
            sites["id"],
            sites["name"] + " · " + sites["jurisdiction_fips"] + " · " + sites["id"],
            strict=True,
        )
    )
    site_id = st.selectbox(
        "Site",
        list(labels),
        format_func=labels.get,
        key="site_pick",
        index=None,
        placeholder="Search by name or id",
    )
    if site_id is None:
        return
    snapshot = opened("site", site_id, lambda: _read_site(site_id))
    shown = snapshot["values"]
    overrides_public = not site_id.startswith("local-")  # a public site, corrected

    def saver(values: dict[str, object], expected: int, editor: str) -> int:
        return store().save_site(
            site_id,
            values,
            expected_version=expected,
            who=editor,
            overrides_public=overrides_public,
            action="close" if values["status"] == "closed" else "update",
        )

    if conflict("site", "site", site_id, SITE_LABELS, saver, who, "Saved."):
        return
    st.caption(
        f"{markdown_literal(shown['origin'])}; status "
        f"{markdown_literal(shown['display_status'])}; "
        f"version {snapshot['version']}."
    )
    _site_form(
        context,
        site_id,
        snapshot,
        lambda values: save(
            "site", "site", site_id, values, int(snapshot["version"]), saver, who, "Saved."
        ),
    )
