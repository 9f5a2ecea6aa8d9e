"""Manage data: the Refresh tab. Compare the site list with OpenStreetMap (Overpass API)
or Overture Maps, live or from a downloaded file; read the differences; write the new and
moved sites as one draft change; close sites no longer in the source one by one. Nothing
is written before the editor asks. Helpers for ``manage.py``; nothing runs at import."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geo.data import refresh
from geo.local import refreshing
from geo.local.store import ConflictError
from geo.render.formatting import markdown_literal
from pages.screens.manage_forms import flash, show_flash
from shell import upload_guard
from shell.common import show_table, store
from shell.frame import PageContext

_DIFF_KEY = "refresh_diff"
_WRITTEN_KEY = "refresh_written"
_SHOWN = ["name", "type", "address", "city", "zip", "phone", "hours", "lat", "lon"]


def _fetch(source: str, upload) -> refresh.Fetched:
    """The source's Maryland sites: from the uploaded file when given, else live."""
    if upload is None:
        return refresh.fetch(source)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        return refresh.fetch(source, from_file=path)


def _compare_part(context: PageContext) -> None:
    """Choose the source (and a file), then compare: the diff is kept for this session."""
    labels = {key: source.label for key, source in refresh.SOURCES.items()}
    source = st.radio(
        "Source", list(labels), format_func=labels.get, key="refresh_source", horizontal=True
    )
    chosen = refresh.SOURCES[source]
    kind = "Overpass JSON answer" if source == "osm" else "Overture places GeoParquet"
    reader_bytes = refresh.MAX_RESPONSE_BYTES if source == "osm" else refresh.MAX_FILE_BYTES
    limit_mb = upload_guard.uploader_mb(reader_bytes)
    larger = (
        ""
        if limit_mb * 2**20 >= reader_bytes
        else f" A larger file (up to {reader_bytes // 2**20:,} MB): "
        f"`python -m geo sites refresh --source {source} --from-file FILE`."
    )
    st.caption(
        f"A downloaded file may be up to {limit_mb} MB here.{larger} "
        + upload_guard.limits_sentence()
    )
    upload_guard.open_uploads()  # this session may upload while it shows the uploader
    upload = st.file_uploader(
        f"Or a downloaded {kind} (optional; without one, {chosen.service} is asked now)",
        type=["json"] if source == "osm" else ["parquet"],
        key=f"refresh_file_{source}",
        max_upload_size=limit_mb,
    )
    if st.button(f"Compare with {chosen.label}", key="do_refresh_compare", type="primary"):
        st.session_state.pop(_DIFF_KEY, None)
        st.session_state.pop(_WRITTEN_KEY, None)
        try:
            with st.spinner(f"Asking {chosen.service}…" if upload is None else "Reading…"):
                fetched = _fetch(source, upload)
        except refresh.RefreshError as exc:
            st.error(f"The refresh failed: {markdown_literal(exc)}.")
            return
        current = context.local_data().sites
        st.session_state[_DIFF_KEY] = refreshing.compare(fetched, current)


def _write_part(context: PageContext, diff: refreshing.RefreshDiff, who: str) -> None:
    """The new and moved sites, and the button writing them as one draft change (once)."""
    counts = diff.counts()
    st.subheader(f"New ({counts['new']})")
    if counts["new"]:
        show_table(diff.new[[c for c in ["source_id", *_SHOWN] if c in diff.new]])
    else:
        st.caption("No site in the source is missing from the list.")
    st.subheader(f"Moved more than {refreshing.MOVED_M:g} m ({counts['moved']})")
    if counts["moved"]:
        shown = ["id", "name", "type", "moved_m", "from_lat", "from_lon", "lat", "lon"]
        moved = diff.moved[shown].assign(moved_m=diff.moved["moved_m"].round(0))
        show_table(
            moved,
            column_config={
                "moved_m": "moved (m, straight line)",
                "from_lat": "listed at lat",
                "from_lon": "listed at lon",
            },
        )
    else:
        st.caption("No listed site has moved.")
    written = st.session_state.get(_WRITTEN_KEY)
    if written is not None:
        st.info(
            f"Written as draft change {written}: visitors see it once an editor publishes "
            "it (Changes tab). Compare again to check for anything newer."
        )
        return
    if not counts["new"] and not counts["moved"]:
        return
    label = f"Write {counts['new']} new and {counts['moved']} moved as one draft change"
    if st.button(label, key="do_refresh_write"):
        try:
            made = refreshing.refresh_and_write(store(), diff, context.local_data().sites, who)
        except (ConflictError, ValueError) as exc:
            st.error(f"Nothing was written: {markdown_literal(exc)}")
            return
        st.session_state[_WRITTEN_KEY] = made
        flash(
            "refresh",
            f"Draft change {made} written: visitors see it once an editor publishes it "
            "(Changes tab).",
        )
        st.rerun()


def _gone_part(context: PageContext, diff: refreshing.RefreshDiff, who: str) -> None:
    """The sites no longer in the source: a proposal; each is closed only on its own."""
    gone = diff.gone
    st.subheader(f"No longer in {diff.source.label} ({len(gone)}): proposals, not changes")
    if gone.empty:
        st.caption("Every current site of this source is still listed.")
        return
    st.caption(
        "A site missing from the source may have closed, moved or just lost its tag. Check "
        "each one (a phone call, a visit, the chain's store finder) before closing it."
    )
    show_table(gone[[c for c in ["id", *_SHOWN] if c in gone]])
    labels = dict(zip(gone["id"], gone["name"] + " (" + gone["id"] + ")", strict=True))
    pick = st.selectbox(
        "Close a site that someone has checked",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choose a site",
        key="refresh_close_pick",
    )
    if st.button("Close this site", key="do_refresh_close", disabled=pick is None):
        try:
            made = refreshing.close_gone_site(
                store(), diff, context.local_data().sites, str(pick), who
            )
        except (ConflictError, ValueError) as exc:
            st.error(f"Nothing was closed: {markdown_literal(exc)}")
            return
        st.session_state[_DIFF_KEY] = refreshing.RefreshDiff(
            diff.fetched, diff.new, diff.moved, gone[gone["id"] != pick], diff.unchanged
        )
        flash("refresh", f"Closed {labels[pick]} as draft change {made}.")
        st.rerun()


def refresh_tab(context: PageContext, who: str) -> None:
    """Compare with a live public source, read the differences, then write them."""
    st.caption(
        "Compare the pharmacies (and, from OpenStreetMap, naloxone vending machines) with "
        "what OpenStreetMap (ODbL, © OpenStreetMap contributors) or Overture Maps "
        "(CDLA-Permissive-2.0) list in Maryland today. Nothing is written until you "
        "choose to; what you write is one draft change, published from the Changes tab. "
        "A listed site is not confirmed naloxone stock."
    )
    show_flash("refresh")
    _compare_part(context)
    diff = st.session_state.get(_DIFF_KEY)
    if diff is None:
        return
    counts = diff.counts()
    st.markdown(
        markdown_literal(
            f"{diff.source.label} as of {diff.fetched_date}: {counts['new']} new, "
            f"{counts['moved']} moved, {counts['gone']} no longer in the source, "
            f"{counts['unchanged']} unchanged."
        )
    )
    warning = refreshing.coverage_warning(diff)
    if warning:
        st.warning(markdown_literal(warning) + ".")
    _write_part(context, diff, who)
    _gone_part(context, diff, who)
