"""The catalogue of bundled data: where each file comes from, its vintage and licence.

``data/manifest.json`` is written from this catalogue by ``python -m geo build``;
the Data & methods page and the exports read it for their source lines. The dates the
dashboard's "data as of" list and the printed maps' source line show are derived from
the vintages here (:func:`as_of_lines`, :func:`source_line`).
The entries themselves (every raw file's source, vintage, licence and caveats; every
processed layer's file and inputs) live in ``geo/data/catalog.toml``, transcribed from
``data/raw/PROVENANCE.md``; this module reads it once at import.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: Some public sites are placed at ZIP centroids from GeoNames, which asks for attribution.
GEONAMES_ATTRIBUTION = "ZIP centroids © GeoNames, CC BY 4.0"
#: Place names (each site's nearest town, the finder's town search) come from GeoNames too.
PLACE_NAMES_ATTRIBUTION = "Place names © GeoNames, CC BY 4.0"
#: The call-ahead caveat in a few words (finder answers, handouts, map popups).
CALL_AHEAD = "Call ahead: a listing is not confirmed stock."
STOCK_CAVEAT = (
    "A listed site is not confirmed stock: call ahead before relying on any site for naloxone."
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?\b")
DISTANCE_METHOD = (
    "Straight-line distance from 2020 census-tract centres of "
    "population, in metres in NAD83 / Maryland State Plane "
    "(EPSG:26985); no road network is used."
)


@dataclass(frozen=True)
class RawSource:
    """One raw file in ``data/raw`` and what is known about where it came from."""

    filename: str
    title: str
    source: str
    url: str
    vintage: str
    licence: str
    key_column: str
    caveats: str

    @property
    def snapshot_date(self) -> str:
        """The ISO date the vintage starts with (``2023-01-01 (OSM snapshot)`` →
        ``2023-01-01``; ``2021-07`` stays a month), or the whole vintage."""
        found = _ISO_DATE.match(self.vintage)
        return found.group(0) if found else self.vintage


@dataclass(frozen=True)
class Layer:
    """A processed layer in ``data/processed`` that the app reads."""

    name: str
    filename: str
    title: str
    key_column: str
    derived_from: tuple[str, ...]
    is_geo: bool


#: The catalogue file: one ``[[source]]`` per raw file, one ``[[layer]]`` per layer.
CATALOGUE_PATH = Path(__file__).with_name("catalog.toml")
#: The token ``catalog.toml`` writes for :data:`OSM_ATTRIBUTION` (one home for the credit).
_OSM_TOKEN = "{OSM_ATTRIBUTION}"


def read_catalogue(path: Path = CATALOGUE_PATH) -> tuple[tuple[RawSource, ...], dict[str, Layer]]:
    """The raw sources and the layers (by name) of ``catalog.toml``, with
    :data:`OSM_ATTRIBUTION` in place of its token. A missing or unknown field is a
    ``TypeError`` naming it (the file is part of the code, not user data)."""
    with open(path, "rb") as handle:
        parsed: dict[str, Any] = tomllib.load(handle)

    def filled(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value.replace(_OSM_TOKEN, OSM_ATTRIBUTION) if isinstance(value, str) else value
            for key, value in entry.items()
        }

    sources = tuple(RawSource(**filled(entry)) for entry in parsed["source"])
    layers = [
        Layer(**{**filled(entry), "derived_from": tuple(entry["derived_from"])})
        for entry in parsed["layer"]
    ]
    return sources, {layer.name: layer for layer in layers}


RAW_SOURCES, LAYERS = read_catalogue()


def raw_source(filename: str) -> RawSource:
    """The catalogue entry of a raw file, by file name."""
    for source in RAW_SOURCES:
        if source.filename == filename:
            return source
    raise KeyError(filename)


@dataclass(frozen=True)
class Citation:
    """How one raw source is named, with its date, in the dashboard's "data as of" list
    (``as_of``) and in printed maps' source line (``on_maps``; empty: not named there).
    ``{date}`` in either stands for the source's vintage as :func:`vintage_date` writes it."""

    filename: str
    label: str
    as_of: str
    on_maps: str = ""
    precision: str = "month"

    @property
    def date(self) -> str:
        return vintage_date(raw_source(self.filename).vintage, self.precision)


#: The sources the dashboard and printed maps cite, in the order they are listed.
CITATIONS: tuple[Citation, ...] = (
    Citation(
        "md_pharmacies_osm2023.csv",
        "Pharmacies",
        "OpenStreetMap, {date}",
        "pharmacies " + OSM_ATTRIBUTION + ", ODbL ({date})",
    ),
    Citation(
        "md_opioid_treatment_programs_samhsa_oeps.csv",
        "Opioid treatment programs",
        "SAMHSA directory, {date}",
        "SAMHSA opioid treatment programs ({date})",
    ),
    Citation(
        "md_local_health_departments.csv",
        "Health departments",
        "public list, {date}",
        "local health departments ({date})",
    ),
    Citation(
        "md_harm_reduction_sites_from_public_pages.csv",
        "Harm reduction / vending",
        "county pages, {date}",
        "harm reduction pages ({date})",
        precision="year",
    ),
    Citation(
        "md_tract_pop_centroids_cenpop2020.csv",
        "Population",
        "{date} census",
        "Census {date} boundaries and tract centres of population",
        precision="year",
    ),
    Citation(
        "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",
        "Deaths",
        "CDC WONDER {date}",
        "CDC WONDER deaths {date}",
    ),
    Citation(
        "md_ems_leave_behind_by_jurisdiction.csv", "Leave-behind evidence", "public pages {date}"
    ),
)
#: The month abbreviations :func:`vintage_date` writes (``calendar.month_abbr``, C locale).
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr)[1:]
_YEAR_MONTH = re.compile(r"\b(\d{4})(?:-(\d{2}))?\b")


def vintage_date(vintage: str, precision: str = "month") -> str:
    """A catalogue vintage in a few words: ``2023-01-01 (OSM snapshot)`` → ``Jan 2023``
    (``2023`` with ``precision="year"``); ``2022, 2023`` → ``2022-2023``; a vintage
    without a year is returned as it is."""
    found = _YEAR_MONTH.findall(vintage)
    if not found:
        return vintage
    years = sorted({int(year) for year, _ in found})
    if len(years) > 1:
        return f"{years[0]}-{years[-1]}"
    year, month = found[0]
    if precision == "month" and len(found) == 1 and month:
        return f"{calendar.month_abbr[int(month)]} {year}"
    return year


def as_of_lines(_: Callable[[str], str] = str) -> tuple[tuple[str, str], ...]:
    """The dashboard's "data as of" list: (what, source and date) per cited source;
    ``_`` translates the labels, the wording and a date's month (:mod:`geo.i18n`)."""
    return tuple((_(c.label), _(c.as_of).format(date=_month_named(c.date, _))) for c in CITATIONS)


def _month_named(date: str, _: Callable[[str], str]) -> str:
    """``Jan 2023`` with its month abbreviation through ``_``; other dates as they are."""
    month, _space, year = date.partition(" ")
    return f"{_(month)} {year}" if month in MONTH_ABBREVIATIONS and year else date


def source_line() -> str:
    """The source line printed under every static map and in briefings."""
    named = "; ".join(c.on_maps.format(date=c.date) for c in CITATIONS if c.on_maps)
    return f"Sources: {named}; {GEONAMES_ATTRIBUTION}. Straight-line distances."
