"""Where an imported row is: its stated coordinates, else its ZIP's centroid, else
unmapped; in the jurisdiction stated, of the point, or of the ZIP, else statewide.

A stated point outside Maryland or outside the stated jurisdiction rejects the row; a
ZIP centroid that fails is dropped (the row stays, unmapped, with a note). Nothing is
ever placed by guess. Used by :func:`geo.local.importing.validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS
from geo.data.places import JurisdictionLookup
from geo.local.columns import Reject, shown
from geo.local.duplicates import normalise_name

STATEWIDE_NAMES = ("maryland", "statewide", "maryland statewide", "md")
"""A stated jurisdiction that means the whole state (kept unmapped, statewide)."""


STATEWIDE_NOTE = "no address, ZIP or jurisdiction given: listed statewide, not mapped"


ZIP_CENTROIDS = "md_zip_centroids_zipcodes3.csv"  # in data/raw: places a row given only a ZIP


def cell_number(value: object, field_name: str) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise Reject(field_name, f"{shown(value)} is not a number") from None
    if not np.isfinite(number):
        raise Reject(field_name, f"{shown(value)} is not a finite number")
    return number


@dataclass
class Places:
    """What rows are located against: the jurisdictions (by FIPS and by name) and the
    ZIP centroids."""

    jurisdictions: gpd.GeoDataFrame
    zips: pd.DataFrame
    names: dict[str, str] = field(init=False)  # FIPS -> name
    by_name: dict[str, str] = field(init=False)  # normalised name or "<name> county" -> FIPS
    by_zip_county: dict[str, str] = field(init=False)  # a ZIP's county name -> FIPS
    lookup: JurisdictionLookup = field(init=False)

    def __post_init__(self) -> None:
        self.lookup = JurisdictionLookup(self.jurisdictions)
        self.names = dict(zip(self.jurisdictions["fips"], self.jurisdictions["name"], strict=True))
        self.by_name = {normalise_name(n): f for f, n in self.names.items()}
        self.by_name.update({normalise_name(n) + " county": f for f, n in self.names.items()})
        self.by_zip_county = {normalise_name(n) + " county": f for f, n in self.names.items()}
        self.by_zip_county["baltimore city"] = "24510"

    def stated_fips(self, stated: str | None) -> str | None:
        """The FIPS of a stated jurisdiction (FIPS, county code or name), None if none."""
        if not stated:
            return None
        if stated == MARYLAND_STATE_FIPS or normalise_name(stated) in STATEWIDE_NAMES:
            return MARYLAND_STATE_FIPS
        text = stated.zfill(3) if stated.isdigit() and len(stated) <= 3 else stated
        if text in self.names:
            return text
        if f"{MARYLAND_STATE_FIPS}{text}" in self.names:
            return f"{MARYLAND_STATE_FIPS}{text}"
        fips = self.by_name.get(normalise_name(stated))
        if fips is None:
            raise Reject("jurisdiction", f"unknown Maryland jurisdiction {shown(stated)}")
        return fips

    def zip_point(self, zip5: str) -> tuple[float, float] | None:
        """(lat, lon) of a Maryland ZIP's centroid, or None."""
        if not (zip5 and zip5 in self.zips.index):
            return None
        return float(self.zips["lat"].loc[zip5]), float(self.zips["lon"].loc[zip5])

    def zip_fips(self, zip5: str) -> str | None:
        """The jurisdiction of a Maryland ZIP (by its county name), or None."""
        if not (zip5 and zip5 in self.zips.index):
            return None
        return self.by_zip_county.get(normalise_name(str(self.zips.loc[zip5, "county_name"])))

    def containing(self, lat: float, lon: float) -> str | None:
        """The FIPS of the jurisdiction the point lies in, or None (outside Maryland)."""
        return self.lookup([lon], [lat])[0]


@dataclass
class Location:
    """Where an accepted row is: coordinates (None: unmapped), how exact, jurisdiction."""

    lat: float | None
    lon: float | None
    precision: str
    fips: str | None
    note: str | None = None


def coordinates(cells: dict[str, str | None]) -> tuple[float | None, float | None]:
    """Stated (lat, lon): numbers, both or neither, not swapped, valid."""
    lat, lon = cell_number(cells["lat"], "lat"), cell_number(cells["lon"], "lon")
    if (lat is None) != (lon is None):
        raise Reject(
            "lat" if lat is None else "lon", "give both latitude and longitude, or neither"
        )
    if lat is not None and lon is not None:
        if -80 <= lat <= -74 and 37 <= lon <= 40:
            raise Reject("lat", f"latitude {lat} and longitude {lon} look swapped")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Reject("lat", f"({lat}, {lon}) is not a valid coordinate")
    return lat, lon


def place_point(
    lat: float, lon: float, precision: str, zip5: str, stated: str | None, places: Places
) -> Location:
    """Check a point against Maryland and the stated jurisdiction: an exact point that
    fails is rejected; a ZIP centroid that fails is dropped (unmapped, with a note)."""
    found = places.containing(lat, lon)
    if found is None:
        if precision == "exact":
            raise Reject("lat", f"({lat:.5f}, {lon:.5f}) is outside Maryland")
        return Location(
            None, None, "none", stated, f"ZIP {zip5} centroid is outside Maryland: not mapped"
        )
    if stated and found != stated:
        if precision == "exact":
            raise Reject(
                "jurisdiction",
                f"the point lies in {places.names[found]}, not {places.names[stated]}",
            )
        return Location(
            None,
            None,
            "none",
            stated,
            f"ZIP {zip5} centroid lies in {places.names[found]}, outside the "
            "stated jurisdiction: not mapped",
        )
    return Location(lat, lon, precision, found)


def locate(cells: dict[str, str | None], stated: str | None, places: Places) -> Location:
    """Coordinates, else the ZIP centroid, else unmapped; the jurisdiction stated, of the
    point, or of the ZIP, else statewide (``MARYLAND_STATE_FIPS``): a site with nothing
    locatable is kept unmapped, listed, and never used in distances."""
    lat, lon = coordinates(cells)
    zip5 = re.sub(r"\D", "", cells["zip"] or "")[:5] if cells["zip"] else ""
    precision = "exact"
    if lat is None:
        point = places.zip_point(zip5)
        if point is not None:
            (lat, lon), precision = point, "zip_centroid"
    if lat is not None and lon is not None:  # "statewide" and a point: the point's county
        location = place_point(
            lat, lon, precision, zip5, None if stated == MARYLAND_STATE_FIPS else stated, places
        )
    else:
        location = Location(None, None, "none", stated)
    if location.fips is None:
        location.fips = places.zip_fips(zip5)
    if location.fips is None:  # outreach teams, mail-based and mobile programs
        location.fips = MARYLAND_STATE_FIPS
        location.note = location.note or STATEWIDE_NOTE
    return location
