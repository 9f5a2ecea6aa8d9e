"""The dashboard's three maps, each built by one function that both the pages (shown and
downloaded) and ``python -m geo map`` use: the same map on screen, in slides and on paper.

A :class:`MapExport` holds a map's title, subtitle (focus; radius and unit where the map
depends on them), source line with as-of dates and attributions (OpenStreetMap, GeoNames),
the stock caveat where sites are shown, and how to draw it interactively (folium) and in
print (matplotlib: PNG at 200 dpi, SVG with text kept as text, PDF), or as one offline
HTML file. Distances and legends follow the unit chosen (``mi`` or ``km``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS
from geo.data.catalog import (
    CITATIONS,
    GEONAMES_ATTRIBUTION,
    PLACE_NAMES_ATTRIBUTION,
    STOCK_CAVEAT,
    raw_source,
    source_line,
    vintage_date,
)
from geo.errors import InputError
from geo.render import formatting, maps
from geo.render.map_controls import MapTitle
from geo.schema import SITE_TYPE_LABELS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from geo.analysis.scenario import Scenario
    from geo.render import static_maps

MAP_KINDS = ("overview", "leave-behind", "access-gaps")
FORMATS = ("png", "svg", "pdf", "html")
PNG_DPI = 200
LEAVE_BEHIND_FILE = "md_ems_leave_behind_by_jurisdiction.csv"
BOUNDARIES_FILE = "md_counties_cb2020_500k.geojson"
SITE_FILES = (
    "md_pharmacies_osm2023.csv",
    "md_opioid_treatment_programs_samhsa_oeps.csv",
    "md_local_health_departments.csv",
    "md_harm_reduction_sites_from_public_pages.csv",
)

Interactive = Callable[[maps.Tiles | None, str], folium.Map]


@dataclass(frozen=True)
class MapExport:
    """One map ready to show or write: ``interactive(tiles, asset_base)`` builds the folium
    map, ``drawer()`` the matplotlib layers; ``stem`` names its files."""

    kind: str
    stem: str
    title: str
    subtitle: str
    source: str
    caveat: str | None
    unit: str
    focus_fips: str | None
    jurisdictions: gpd.GeoDataFrame = field(repr=False)
    interactive: Interactive = field(repr=False)
    drawer: Callable[[], static_maps.Drawer] = field(repr=False)

    def folium_map(
        self, tiles: maps.Tiles | None = None, asset_base: str = maps.APP_STATIC_BASE
    ) -> folium.Map:
        """The interactive map as the page shows it."""
        return self.interactive(tiles, asset_base)

    def figure(self) -> Figure:
        """The printed map: title, subtitle, names, legend, scale bar, caveat, sources."""
        return _drawing().map_figure(
            self.drawer(),
            self.jurisdictions,
            self.title,
            subtitle=self.subtitle,
            zoom_fips=self.focus_fips,
            legend_title="Legend",
            source=self.source,
            caveat=self.caveat,
            unit=self.unit,
        )

    def html(self, tiles: maps.Tiles | None = None) -> bytes:
        """One self-contained offline HTML file, with title, subtitle and sources on it."""
        fmap = self.interactive(tiles, maps.APP_STATIC_BASE)
        fmap.add_child(
            MapTitle(self.title, self.subtitle, " ".join(filter(None, (self.caveat, self.source)))),
            name="map_title",
        )
        return maps.standalone_html(fmap).encode("utf-8")

    def image(self, fmt: str) -> bytes:
        """PNG (200 dpi), SVG (text kept as text) or PDF bytes."""
        return _drawing().figure_bytes(self.figure(), fmt, dpi=PNG_DPI)

    def render(self, fmt: str, tiles: maps.Tiles | None = None) -> bytes:
        """The map in one of :data:`FORMATS`."""
        if fmt == "html":
            return self.html(tiles)
        if fmt not in _drawing().FORMATS:
            raise InputError(f"unknown map format {fmt!r}; choose from " + ", ".join(FORMATS))
        return self.image(fmt)


def focus_name(jurisdictions: pd.DataFrame, fips: str | None) -> str:
    """The printed name of the focus (``Garrett County``, ``Baltimore City``) or
    ``Maryland`` for the whole state."""
    if fips is None or fips == MARYLAND_STATE_FIPS:
        return "Maryland"
    names = jurisdictions.set_index("fips")
    column = "full_name" if "full_name" in names else "name"
    return str(names.loc[fips, column])


def _focus(fips: str | None) -> str | None:
    return None if fips in (None, MARYLAND_STATE_FIPS) else fips


def _types_text(types: Sequence[str]) -> str:
    if set(types) >= set(SITE_TYPE_LABELS):
        return "all site types"
    return "site types: " + ", ".join(SITE_TYPE_LABELS[t] for t in types)


def _sites_source() -> str:
    """The source line of a map of sites (catalogue dates, OSM and GeoNames credits)."""
    return f"{source_line()} {PLACE_NAMES_ATTRIBUTION}."


def _leave_behind_evidence() -> str:
    """``EMS leave-behind evidence: public pages per jurisdiction, 2018-2023``."""
    source = raw_source(LEAVE_BEHIND_FILE)
    return (
        f"EMS leave-behind evidence: {source.source.split(' (')[0].lower()}, "
        f"{vintage_date(source.vintage)}"
    )


def _leave_behind_source(with_sites: bool) -> str:
    """Evidence, boundaries and (when shown) the sites' sources, with their dates."""
    sites = "; ".join(c.on_maps.format(date=c.date) for c in CITATIONS if c.filename in SITE_FILES)
    return (
        f"Sources: {_leave_behind_evidence()} (dated per jurisdiction); Census "
        f"{raw_source(BOUNDARIES_FILE).vintage} boundaries"
        + (f"; sites: {sites}; {GEONAMES_ATTRIBUTION}" if with_sites else "")
        + f". {PLACE_NAMES_ATTRIBUTION}."
    )


def overview_export(
    jurisdictions: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    types: Sequence[str],
    focus_fips: str | None = None,
    unit: str = "mi",
) -> MapExport:
    """Every listed (open) site of ``types`` in ``sites``, by type."""
    focus = _focus(focus_fips)

    def interactive(tiles: maps.Tiles | None, asset_base: str) -> folium.Map:
        return maps.sites_map(
            jurisdictions, sites, focus_fips=focus, tiles=tiles, asset_base=asset_base, unit=unit
        )

    return MapExport(
        "overview",
        "naloxone-sites",
        f"Naloxone access points in {focus_name(jurisdictions, focus)}",
        f"Listed sites, {_types_text(types)}.",
        _sites_source(),
        STOCK_CAVEAT,
        unit,
        focus,
        jurisdictions,
        interactive,
        lambda: _drawing().sites_drawer(jurisdictions, sites, focus),
    )


def leave_behind_export(
    jurisdictions: gpd.GeoDataFrame,
    leave_behind: pd.DataFrame,
    sites: gpd.GeoDataFrame | None = None,
    *,
    focus_fips: str | None = None,
    unit: str = "mi",
) -> MapExport:
    """Public evidence of EMS naloxone leave-behind by jurisdiction; ``sites`` on top
    when given. Its subtitle and sources name the evidence, not a radius."""
    focus = _focus(focus_fips)

    def interactive(tiles: maps.Tiles | None, asset_base: str) -> folium.Map:
        return maps.leave_behind_map(
            jurisdictions,
            leave_behind,
            sites,
            focus_fips=focus,
            tiles=tiles,
            asset_base=asset_base,
            unit=unit,
        )

    return MapExport(
        "leave-behind",
        "ems-leave-behind",
        "EMS naloxone leave-behind: public evidence by jurisdiction",
        f"{focus_name(jurisdictions, focus)}. {_leave_behind_evidence()}. Grey: no public "
        "evidence found, which is not evidence of no program.",
        _leave_behind_source(sites is not None),
        STOCK_CAVEAT if sites is not None else None,
        unit,
        focus,
        jurisdictions,
        interactive,
        lambda: _drawing().leave_behind_drawer(jurisdictions, leave_behind, sites, focus),
    )


def access_gaps_export(
    jurisdictions: gpd.GeoDataFrame,
    nearest: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    radius_m: float,
    *,
    types: Sequence[str],
    unit: str = "mi",
    recommended: pd.DataFrame | None = None,
    what_if: pd.DataFrame | None = None,
    focus_fips: str | None = None,
) -> MapExport:
    """Residents (tract centres) by straight-line distance to the nearest listed site, in
    bands of the radius (in ``unit``), with the sites, recommended and what-if locations;
    tracts whose ``list_gap`` column (when ``nearest`` has one) is set are outlined."""
    focus = _focus(focus_fips)
    radius = formatting.radius(radius_m, unit)
    drawn = {"recommended": recommended, "what_if": what_if, "focus_fips": focus}

    def interactive(tiles: maps.Tiles | None, asset_base: str) -> folium.Map:
        return maps.access_gap_map(
            jurisdictions,
            nearest,
            sites,
            radius_m,
            radius,
            tiles=tiles,
            asset_base=asset_base,
            unit=unit,
            **drawn,
        )

    return MapExport(
        "access-gaps",
        "naloxone-access-gaps",
        "Distance to the nearest naloxone site",
        f"{focus_name(jurisdictions, focus)}. Radius {radius} (straight line), "
        f"{_types_text(types)}.",
        _sites_source(),
        STOCK_CAVEAT,
        unit,
        focus,
        jurisdictions,
        interactive,
        lambda: _drawing().access_gap_drawer(
            jurisdictions, nearest, sites, radius_m, radius, unit=unit, **drawn
        ),
    )


def scenario_export(
    scenario: Scenario, kind: str, focus_fips: str | None = None, *, unit: str = "mi"
) -> MapExport:
    """Map ``kind`` (:data:`MAP_KINDS`) of a scenario, as its page draws it: the open
    sites of the scenario's types; residents by distance at its radius."""
    data = scenario.data
    types = scenario.types
    sites = data.sites[data.sites["type"].isin(types) & ~data.sites["closed"]]
    if kind == "overview":
        return overview_export(
            data.jurisdictions, sites, types=types, focus_fips=focus_fips, unit=unit
        )
    if kind == "leave-behind":
        return leave_behind_export(
            data.jurisdictions, data.leave_behind, sites, focus_fips=focus_fips, unit=unit
        )
    if kind == "access-gaps":
        from geo.analysis.completeness import with_list_gap

        real = data.sites.merge(scenario.selected[["id"]], on="id")
        return access_gaps_export(
            data.jurisdictions,
            with_list_gap(scenario.nearest, data),
            real,
            scenario.radius_m,
            types=types,
            unit=unit,
            focus_fips=focus_fips,
        )
    raise InputError(f"unknown map {kind!r}; choose from " + ", ".join(MAP_KINDS))


__all__ = [
    "FORMATS",
    "MAP_KINDS",
    "MapExport",
    "access_gaps_export",
    "focus_name",
    "leave_behind_export",
    "overview_export",
    "scenario_export",
]


def _drawing() -> ModuleType:
    """:mod:`geo.render.static_maps`, imported on first use: it loads matplotlib, which the
    dashboard needs only when a map is downloaded."""
    from geo.render import static_maps

    return static_maps
