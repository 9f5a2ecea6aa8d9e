"""Download buttons the pages share: a table as CSV, Excel and data dictionary; the
current map as HTML, PNG, SVG or PDF, and the briefing PDF for the focus jurisdiction.
Files other than the CSV are built only when a button is pressed, and matplotlib and
openpyxl are loaded only then. Nothing runs at import."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.scenario import Scenario
from geo.i18n import N_, Translator
from geo.render import columns, map_exports
from geo.render.exports import XLSX_MIME, csv_bytes, xlsx_bytes
from geo.schema import SITE_TYPE_LABELS
from shell.common import tiles
from shell.frame import PageContext

#: The formats of a static map and their MIME types (``geo.render.static_maps.FORMATS``).
IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def view_subtitle(context: PageContext) -> str:
    """What the exported map shows, for its subtitle."""
    view = context.view
    types = ", ".join(SITE_TYPE_LABELS[t] for t in view.types)
    return f"{context.focus_name}. Site types: {types}. Radius {view.radius_label}."


def short_radius(context: PageContext) -> str:
    """The view's radius as in headers: ``5 mi`` or ``8 km``."""
    return f"{context.view.radius:g} {context.view.unit}"


def table_files(
    frame: pd.DataFrame, context: PageContext, *, kind: str = "", _: Translator = N_
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table as downloaded (human headers with units, rounded numbers) and its data
    dictionary, in the view's unit and radius and the language of ``_``."""
    radius, gap_unit = short_radius(context), GAP_MEASURES[context.view.gap].unit
    unit = context.view.unit
    return (
        columns.human_table(frame, radius, kind, gap_unit, _),
        columns.data_dictionary(list(frame.columns), radius, kind, unit, gap_unit, _),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _xlsx(table: pd.DataFrame, dictionary: pd.DataFrame, sheets: tuple[str, str]) -> bytes:
    """The Excel file of a table and its dictionary (sheets named ``sheets``), made once
    per content."""
    return xlsx_bytes(dict(zip(sheets, (table, dictionary), strict=True)))


def table_downloads(
    frame: pd.DataFrame,
    stem: str,
    context: PageContext,
    *,
    label: str = "Download this table",
    kind: str = "",
    key: str | None = None,
    notes: tuple[str, ...] = (),
    dictionary_label: str = "Data dictionary (CSV)",
    excel_help: str = "Two sheets: the data, and a data dictionary (meaning, unit, source "
    "and date of every column).",
    _: Translator = N_,
) -> None:
    """CSV, Excel (a "Data" and a "Data dictionary" sheet) and the dictionary as CSV of
    ``frame`` (machine column names, distances in the view's unit; ``kind`` as in
    ``geo.render.columns.KINDS``), for spreadsheets;
    ``notes`` (caveats) close the CSV and the dictionary. The button words can be given
    in another language (``label``, ``dictionary_label``, ``excel_help``), and the
    files' headers, dictionary, sheet names and notes through ``_``."""
    key = key or f"download_{stem}"

    @functools.cache
    def files() -> tuple[pd.DataFrame, pd.DataFrame]:  # built when a button is pressed
        table, dictionary = table_files(frame, context, kind=kind, _=_)
        if notes:
            column, meaning = dictionary.columns[:2]
            rows = {column: [_("Note")] * len(notes), meaning: list(notes)}
            dictionary = pd.concat([dictionary, pd.DataFrame(rows)], ignore_index=True)
            closing = [_("note: {note}").format(note=note) for note in notes]
            table = pd.concat([table, pd.DataFrame({table.columns[0]: closing})], ignore_index=True)
        return table, dictionary

    # The files are made now, not when a button is pressed: a deferred file is dropped by
    # the next rerun, and a click landing meanwhile answered "Deferred file ... not found"
    # (issue 28, item 8). Their bytes name them, so a rerun serves the same address.
    table, dictionary = files()
    first, second, third = st.columns(3)
    first.download_button(f"{label} (CSV)", csv_bytes(table), f"{stem}.csv", "text/csv", key=key)
    second.download_button(
        f"{label} (Excel)",
        _xlsx(table, dictionary, (_("Data"), _("Data dictionary"))),
        f"{stem}.xlsx",
        XLSX_MIME,
        key=f"{key}_xlsx",
        help=excel_help,
    )
    third.download_button(
        dictionary_label,
        csv_bytes(dictionary),
        f"{stem}_dictionary.csv",
        "text/csv",
        key=f"{key}_dictionary",
    )


def map_downloads(export: map_exports.MapExport) -> None:
    """Download buttons for the current map: standalone HTML (offline), PNG, SVG, PDF:
    the same files as ``python -m geo map``."""
    key = export.stem
    with st.expander("Download this map for slides and reports"):
        columns = st.columns(4)
        columns[0].download_button(
            "Interactive map (HTML)",
            lambda: export.html(tiles()),
            f"{key}.html",
            "text/html",
            key=f"{key}_html",
            help="One self-contained file that works offline.",
        )
        for column, fmt in zip(columns[1:], ("png", "svg", "pdf"), strict=True):
            column.download_button(
                fmt.upper(),
                lambda fmt=fmt: export.image(fmt),
                f"{key}.{fmt}",
                IMAGE_FORMATS[fmt],
                key=f"{key}_{fmt}",
            )


def briefing_download(context: PageContext) -> None:
    """One-click briefing PDF for the focus jurisdiction (or Maryland)."""
    view, scenario = context.view, context.scenario()  # the page's: nearest sites reused
    st.download_button(
        f"Briefing PDF: {context.focus_name}",
        lambda: _briefing_pdf(
            scenario, view.focus, view.unit, st.session_state.get("candidates_widget")
        ),
        f"naloxone-briefing-{view.focus}.pdf",
        "application/pdf",
        key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        help="Two or three pages in the sidebar's unit: map, key figures next to Maryland's "
        "with the rank among the 24, coverage chart, what each figure means, EMS "
        "leave-behind evidence, recommended new locations by place, sources and dates.",
    )


def _briefing_pdf(
    scenario: Scenario, focus: str, unit: str, candidates: str | None = None
) -> bytes:
    """The briefing PDF; recommendations among the candidates chosen on Access gaps."""
    from geo.render import briefing  # matplotlib: loaded when a briefing is asked for

    return briefing.scenario_briefing_pdf(scenario, focus, unit=unit, candidates=candidates)
