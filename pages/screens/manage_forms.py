"""Manage data: edit forms that keep the version of the record they were opened with.

A form reads its record once (:func:`opened`) and saves against that version
(:func:`save`); a save that finds a newer version keeps both values, and
:func:`conflict` shows them side by side with the two choices. Messages for a tab
survive ``st.rerun`` (:func:`flash`). Helpers for ``manage.py``; nothing runs at
import.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.errors import InputError
from geo.local.store import ConflictError
from geo.render.formatting import markdown_literal
from shell.common import show_table, store

OPENED_KEY = "edit_opened"
CONFLICT_KEY = "edit_conflict"
FLASH_KEY = "edit_flash"
SERIAL_KEY = "edit_serial"
KEEP_STORED = "Keep the stored value"
SAVE_MINE = "Save mine over it"

SaveFunction = Callable[[dict[str, object], int, str], int]


def opened(
    form: str, key: str, read: Callable[[], tuple[int, dict[str, object]]]
) -> dict[str, object]:
    """The record as the form first showed it: ``version``, ``values`` and ``serial``
    (which names the widgets). Read once per record; kept across reruns until saved,
    discarded or another record is chosen."""
    snapshots = st.session_state.setdefault(OPENED_KEY, {})
    snapshot = snapshots.get(form)
    if snapshot is None or snapshot["key"] != key:
        version, values = read()
        serial = st.session_state.get(SERIAL_KEY, 0) + 1
        st.session_state[SERIAL_KEY] = serial
        snapshot = {"key": key, "version": version, "values": values, "serial": serial}
        snapshots[form] = snapshot
    return snapshot


def close(form: str, message: str | None = None) -> None:
    """Forget the form's snapshot and conflict (the next run re-reads the record)."""
    st.session_state.get(OPENED_KEY, {}).pop(form, None)
    st.session_state.get(CONFLICT_KEY, {}).pop(form, None)
    if message:
        flash(form, message)


def flash(form: str, message: str) -> None:
    """A message for ``form``'s tab on the next run (after ``st.rerun``)."""
    st.session_state.setdefault(FLASH_KEY, {})[form] = message


def show_flash(form: str) -> None:
    message = st.session_state.get(FLASH_KEY, {}).pop(form, None)
    if message:
        st.success(markdown_literal(message))


def text(value: object) -> str:
    """A stored value as form or table text ("" when missing)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _stored_record(kind: str, key: str) -> dict[str, object] | None:
    """The record as stored now (fields, version, updated_by, updated_at), or None."""
    frame, column = (
        (store().leave_behind(), "fips") if kind == "leave_behind" else (store().sites(), "id")
    )
    rows = frame[frame[column] == key]
    if rows.empty:
        return None
    return {
        k: (None if not isinstance(v, str) and pd.isna(v) else v)
        for k, v in rows.iloc[0].to_dict().items()
    }


def save(
    form: str,
    kind: str,
    key: str,
    mine: dict[str, object],
    expected: int,
    saver: SaveFunction,
    who: str,
    done: str,
) -> None:
    """Save ``mine`` over ``expected``; on a conflict keep both for the editor to choose."""
    try:
        saver(mine, expected, who)
    except ConflictError as exc:
        stored = exc.current if exc.current is not None else _stored_record(kind, key)
        st.session_state.setdefault(CONFLICT_KEY, {})[form] = {
            "key": key,
            "mine": mine,
            "stored": stored,
            "expected": expected,
        }
        st.rerun()
    except InputError as exc:
        st.error(f"Not saved: {markdown_literal(exc)}.")
        return
    close(form, done)
    st.rerun()


def _pending(form: str, key: str) -> dict[str, object] | None:
    """The conflict kept for record ``key`` in ``form`` (one for another record is
    dropped: the editor chose another record)."""
    conflicts = st.session_state.get(CONFLICT_KEY, {})
    found = conflicts.get(form)
    if found is not None and found["key"] != key:
        conflicts.pop(form)
        found = None
    return found


def _comparison(found: dict[str, object], labels: dict[str, str], who: str) -> None:
    """Says who changed the record, and shows yours next to the stored values."""
    mine, stored = found["mine"], found["stored"]
    if stored is None:
        st.warning(
            "This record was changed after you opened it: it has no local update "
            "now (the public data applies). Your change is not saved yet."
        )
        stored = {}
    else:
        st.warning(
            f"{markdown_literal(stored.get('updated_by'))} changed this record at "
            f"{markdown_literal(stored.get('updated_at'))} after you opened it (now version "
            f"{markdown_literal(stored.get('version'))}). Your change is not saved yet: "
            "compare and choose."
        )
    rows = [
        (label, text(mine.get(field)), text(stored.get(field))) for field, label in labels.items()
    ]
    rows += [
        ("Version", str(found["expected"]), text(stored.get("version"))),
        ("Changed by", who, text(stored.get("updated_by"))),
        ("Changed at", "", text(stored.get("updated_at"))),
    ]
    show_table(pd.DataFrame(rows, columns=["Field", "Yours", "Stored now"]))


def conflict(
    form: str, kind: str, key: str, labels: dict[str, str], saver: SaveFunction, who: str, done: str
) -> bool:
    """Show a pending conflict for record ``key`` in ``form`` (yours vs. stored now) and
    the two choices; False when there is none."""
    found = _pending(form, key)
    if found is None:
        return False
    _comparison(found, labels, who)
    keep, overwrite = st.columns(2)
    if keep.button(KEEP_STORED, key=f"keep_{form}"):
        close(form, "Kept the stored value; the form shows it now.")
        st.rerun()
    if overwrite.button(SAVE_MINE, key=f"mine_{form}", type="primary"):
        stored = found["stored"]
        expected = 0 if stored is None else int(stored["version"])  # type: ignore[index]
        save(form, kind, key, found["mine"], expected, saver, who, done)
    return True
