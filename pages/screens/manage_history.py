"""Manage data: the History tab, for signed-in editors only (it names people and holds
previous values); any change can be reverted. Helpers for ``manage.py``; nothing runs
at import."""

from __future__ import annotations

import streamlit as st

from geo.local.store import ConflictError
from geo.render.formatting import markdown_literal
from pages.screens.common import store
from pages.screens.manage_forms import OPENED_KEY, flash, show_flash


def history_tab(who: str) -> None:
    """The change history and the revert button."""
    show_flash("history")
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
        flash("history", f"Reverted change #{change}.")
        st.session_state.pop(OPENED_KEY, None)
        st.rerun()
