"""Manage data: the Import sites tab (read the upload in a child process, match the
columns, validate every row, import the valid ones in one transaction). Helpers for
``manage.py``; nothing runs at import."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.errors import InputError
from geo.local import importing
from geo.local.store import DuplicateSitesError
from geo.render.exports import csv_bytes
from geo.render.formatting import markdown_literal
from shell import upload_guard
from shell.common import show_table, store
from shell.frame import PageContext

_PARSED_KEY = "import_parsed"
_REPORT_KEY = "import_report"


def _parsed(upload) -> importing.ImportTable | str:
    """The upload read in a child process with time and memory limits, once per uploaded
    file; the reason as text when it cannot be read."""
    parsed = st.session_state.get(_PARSED_KEY)
    if parsed is None or parsed[0] != upload.file_id:
        try:
            result: importing.ImportTable | str = importing.read_upload_isolated(
                upload.name, upload.getvalue()
            )
        except InputError as exc:
            result = str(exc)
        parsed = (upload.file_id, result)
        st.session_state[_PARSED_KEY] = parsed
    return parsed[1]


def _validated(
    context: PageContext,
    file_id: str,
    table: importing.ImportTable,
    mapping: dict[str, object],
    confirm: bool,
) -> importing.ImportReport:
    """The validation report, computed once per (file, column matching, data revision,
    confirmation) in this session: other widgets' reruns do not validate again."""
    key = (file_id, tuple(sorted(mapping.items())), context.local_key())
    memo = st.session_state.get(_REPORT_KEY)
    if memo is None or memo[0] != key:
        memo = (key, {})  # a report with and one without the confirmation
        st.session_state[_REPORT_KEY] = memo
    if confirm not in memo[1]:
        data = context.local_data()
        memo[1][confirm] = importing.validate(
            table, mapping, data.jurisdictions, data.sites, confirm_duplicates=confirm
        )
    return memo[1][confirm]


def _column_mapping(table: importing.ImportTable) -> dict[str, object]:
    """A selectbox per field, preset with the guessed column."""
    guessed = importing.guess_mapping(list(table.frame.columns))
    options = [None, *table.frame.columns]
    columns = st.columns(4)
    mapping = {}
    for index, target in enumerate(importing.FIELDS):
        default = options.index(guessed[target]) if guessed[target] in options else 0
        mapping[target] = columns[index % 4].selectbox(
            f"{target}{' *' if target in importing.REQUIRED else ''}",
            options,
            index=default,
            key=f"map_{target}",
            format_func=lambda c: "(none)" if c is None else str(c),
        )
    return mapping


def _show_report(table: importing.ImportTable, report: importing.ImportReport) -> None:
    """Notes, counts, and the rejected rows with a CSV to fix them in."""
    for note in report.notes:
        st.info(markdown_literal(f"{table.filename}: {note}."))
    st.write(f"**{len(report.accepted)}** valid row(s), **{len(report.rejected)}** rejected.")
    if report.rejected:
        show_table(report.rejected_frame(), column_config={"row": table.row_label.capitalize()})
        st.download_button(
            "Download rejected rows for fixing (CSV)",
            csv_bytes(importing.rejected_rows_frame(table, report)),
            f"rejected-{table.filename}.csv",
            "text/csv",
            key="rejected_csv",
        )


def _confirm_duplicates(table: importing.ImportTable, report: importing.ImportReport) -> bool:
    """The likely duplicates (same type within 25 m under another name) and the explicit
    confirmation that imports them too."""
    rows = ", ".join(str(r) for r in report.likely_duplicates)
    st.warning(
        f"{len(report.likely_duplicates)} {table.row_label}(s) ({rows}) look like a "
        "site already listed: the same type within 25 m under another name. They "
        "are not imported unless you confirm they are separate sites."
    )
    return st.checkbox(
        f"These {len(report.likely_duplicates)} {table.row_label}(s) are "
        "separate sites: import them too",
        value=False,
        key="confirm_duplicates",
    )


def _import_accepted(report: importing.ImportReport, who: str, source: str) -> None:
    """The valid rows and the button that imports them (nothing when one is stored)."""
    rows = report.accepted.drop(columns="_row")
    show_table(rows.drop(columns="_confirmed_duplicate"))
    if st.button(f"Import {len(report.accepted)} valid row(s)", type="primary", key="do_import"):
        try:
            ids = store().add_sites(rows, who=who, source=source)
        except DuplicateSitesError as exc:
            st.error(f"Nothing was imported: {len(exc.duplicates)} row(s) are already stored.")
            show_table(pd.DataFrame(exc.duplicates))
            return
        st.success(
            f"Imported {len(ids)} site(s) as a draft change: visitors see them once "
            "an editor publishes it (Changes tab)."
        )


def import_tab(context: PageContext, who: str) -> None:
    limit_mb = upload_guard.uploader_mb(importing.MAX_IMPORT_BYTES)
    st.caption(
        f"CSV, Excel (.xlsx) or GeoJSON, up to {limit_mb} MB, "
        f"{importing.MAX_IMPORT_ROWS:,} rows and {importing.MAX_IMPORT_COLUMNS} columns. "
        "Columns are matched automatically; correct the matching below. Rows with "
        "only a ZIP get the ZIP centroid; rows with nothing locatable stay unmapped. "
        + upload_guard.limits_sentence()
    )
    upload_guard.open_uploads()  # this session may upload while it shows the uploader
    upload = st.file_uploader(
        "Site list",
        type=["csv", "xlsx", "geojson", "json"],
        key="import_file",
        max_upload_size=limit_mb,
    )
    if upload is None:
        return
    table = _parsed(upload)
    if isinstance(table, str):
        st.error(markdown_literal(table))
        return
    mapping = _column_mapping(table)
    try:
        report = _validated(context, upload.file_id, table, mapping, False)
        if report.likely_duplicates and _confirm_duplicates(table, report):
            report = _validated(context, upload.file_id, table, mapping, True)
    except InputError as exc:
        st.error(markdown_literal(exc))
        return
    _show_report(table, report)
    if len(report.accepted):
        _import_accepted(report, who, table.filename)
