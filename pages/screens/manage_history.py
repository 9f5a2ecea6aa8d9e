"""Manage data: the Changes tab, for signed-in editors only (it names people and holds
previous values): every change as a sentence, the drafts to publish (one or all), and
any change reverted as a whole (an import: every site it added). Helpers for
``manage.py``; nothing runs at import."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.local.store import ConflictError
from geo.render.formatting import markdown_literal
from pages.screens.manage_forms import OPENED_KEY, flash, show_flash
from shell.common import store


def _done(message: str) -> None:
    flash("history", message)
    st.session_state.pop(OPENED_KEY, None)
    st.rerun()


def _publish_part(drafts: pd.DataFrame, who: str) -> None:
    """The drafts, and buttons to publish the chosen ones or all of them."""
    st.subheader(f"Drafts ({len(drafts)}): editors see them; visitors do not yet")
    if drafts.empty:
        st.caption("Nothing waits to be published.")
        return
    sentences = dict(zip(drafts["id"], drafts["sentence"], strict=True))
    chosen = st.multiselect(
        "Publish these changes", list(sentences), key="publish_pick", format_func=sentences.get
    )
    left, right = st.columns(2)
    ids: list[int] | None
    if left.button("Publish chosen", key="do_publish", disabled=not chosen):
        ids = [int(i) for i in chosen]
    elif right.button(f"Publish all {len(drafts)} draft(s)", key="do_publish_all", type="primary"):
        ids = None
    else:
        return
    try:
        made = store().publish(ids, who=who)
    except (ConflictError, ValueError) as exc:
        st.error(markdown_literal(exc))
        return
    sentence = store().changes().set_index("id").loc[made, "sentence"]
    _done(f"{sentence}. Visitors now see these updates, marked as local updates.")


def _revert_part(changes: pd.DataFrame, who: str) -> None:
    """Revert one whole change (as a new draft)."""
    revertible = changes[changes["kind"] != "publish"]
    if revertible.empty:
        return
    sentences = dict(zip(revertible["id"], revertible["sentence"], strict=True))
    change = st.selectbox(
        "Revert a change",
        list(sentences),
        key="revert_pick",
        format_func=sentences.get,
        index=None,
        placeholder="Choose a change",
    )
    if st.button("Revert", key="do_revert", disabled=change is None):
        try:
            store().revert_change(int(change), who=who)
        except (ConflictError, ValueError) as exc:
            st.error(markdown_literal(exc))
            return
        _done(f"Reverted: {sentences[change]}. The revert is a draft until published.")


def history_tab(who: str) -> None:
    """The changes as sentences, publishing drafts, and reverting a change."""
    show_flash("history")
    changes = store().changes()
    if changes.empty:
        st.info("No local changes yet.")
        return
    _publish_part(changes[changes["state"] == "draft"], who)
    st.subheader("History")
    st.markdown("\n".join(f"- {markdown_literal(sentence)}" for sentence in changes["sentence"]))
    _revert_part(changes, who)
