"""What-if sites on Access gaps: add hypothetical sites (map click or coordinates) or
remove listed ones; nothing is saved and what-if sites are never shown as real."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import metrics
from geo.config import MARYLAND_LAT_RANGE, MARYLAND_LON_RANGE
from geo.errors import InputError
from geo.render import formatting
from geo.schema import SITE_TYPE_LABELS
from shell.frame import page_context

ADDED_KEY = "what_if_added"
REMOVED_KEY = "what_if_removed"


def _add_site(lat: float, lon: float) -> None:
    added = list(st.session_state.get(ADDED_KEY, []))
    candidate = (round(float(lat), 6), round(float(lon), 6), f"What-if site {len(added) + 1}")
    try:
        metrics.what_if_sites(
            page_context().data, pd.DataFrame([candidate], columns=["lat", "lon", "name"])
        )
    except InputError as exc:
        st.session_state["what_if_error"] = str(exc)
        return
    st.session_state[ADDED_KEY] = [*added, candidate]


def _reset_what_if() -> None:
    """Clear the what-if sites and removals (a callback: it runs before the widgets exist)."""
    st.session_state[ADDED_KEY] = []
    st.session_state[REMOVED_KEY] = []


def _add_typed_site() -> None:
    _add_site(st.session_state["what_if_lat"], st.session_state["what_if_lon"])


def what_if_controls(removable: pd.DataFrame, clicked: dict | None) -> None:
    st.subheader("What if…")
    st.caption(
        "Add hypothetical sites (click the map, then the button, or type coordinates) "
        "or remove listed sites; every number on this page is recomputed. Nothing is "
        "saved and what-if sites are never shown as real."
    )
    add_column, remove_column = st.columns(2)
    with add_column:
        if clicked:
            st.button(
                f"Add a site at the clicked point ({clicked['lat']:.4f}, {clicked['lng']:.4f})",
                on_click=_add_site,
                args=(clicked["lat"], clicked["lng"]),
                key="add_clicked",
            )
        with st.form("add_coordinates", clear_on_submit=False, border=False):
            lat_col, lon_col = st.columns(2)
            lat_col.number_input(
                "Latitude",
                value=39.0,
                min_value=MARYLAND_LAT_RANGE[0],
                max_value=MARYLAND_LAT_RANGE[1],
                format="%.5f",
                key="what_if_lat",
            )
            lon_col.number_input(
                "Longitude",
                value=-76.7,
                min_value=MARYLAND_LON_RANGE[0],
                max_value=MARYLAND_LON_RANGE[1],
                format="%.5f",
                key="what_if_lon",
            )
            st.form_submit_button("Add site at these coordinates", on_click=_add_typed_site)
        error = st.session_state.pop("what_if_error", None)
        if error:
            st.error(f"Not added: {formatting.markdown_literal(error)}.")
    with remove_column:
        real = removable
        labels = dict(
            zip(
                real["id"],
                real["name"]
                + " · "
                + real["type"].map(SITE_TYPE_LABELS)
                + " · "
                + real["jurisdiction_fips"].map(lambda f: context_names().get(f, f)),
                strict=True,
            )
        )
        st.multiselect("Remove listed sites", list(labels), format_func=labels.get, key=REMOVED_KEY)
        if st.session_state.get(ADDED_KEY) or st.session_state.get(REMOVED_KEY):
            st.button("Reset what-if", key="reset_what_if", on_click=_reset_what_if)


def context_names() -> dict[str, str]:
    """Jurisdiction names by FIPS, from this run's context."""
    return dict(page_context().names)
