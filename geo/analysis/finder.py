"""Find naloxone: the sites nearest a ZIP, town, address, coordinates or map click.

The core (:func:`nearest_n`) is numpy on EPSG:26985 metres, like every other distance
of the library, so the finder's distances equal the dashboard's. :class:`Finder` wraps
it for the sites frame: open sites only, a type filter, the details a person needs
(place, jurisdiction, address, phone, hours, source and date) and the unmapped sites
of the searched jurisdiction, listed apart and never placed by guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.finder_query import (
    EXAMPLES,
    AmbiguousPlaceError,
    FinderError,
    QueryPoint,
    read_query,
)
from geo.analysis.metrics import AccessData
from geo.config import MARYLAND_LAT_RANGE, MARYLAND_LON_RANGE, MARYLAND_STATE_PLANE_M
from geo.data.catalog import CALL_AHEAD as CALL_AHEAD
from geo.data.catalog import PLACE_NAMES_ATTRIBUTION
from geo.data.gazetteer import Gazetteer, load_gazetteer
from geo.data.geocoder import CensusGeocoder, ClientGeocoder
from geo.data.places import jurisdiction_of
from geo.engine.distance import lonlat_to_xy_m
from geo.schema import SITE_TYPES

__all__ = [
    "CALL_AHEAD",
    "DEFAULT_N",
    "MAX_N",
    "STRAIGHT_LINE_NOTE",
    "AmbiguousPlaceError",
    "Finder",
    "FinderError",
    "FinderResult",
    "QueryPoint",
    "nearest_n",
]

DEFAULT_N = 5
#: Two listed sites are one place to a person looking for naloxone (issue 28: "Walmart
#: Pharmacy" and "Walmart Pharmacy Drive-Thru" took two of five slots) when they are
#: this close (metres, straight line, EPSG:26985), or share a non-empty street address,
#: or one's name begins with the other's within :data:`SAME_NAME_M`.
SAME_PLACE_M = 30.0
SAME_NAME_M = 150.0
MAX_N = 50
#: How far off the shoreline-clipped boundaries a point may lie and still belong to the
#: nearest jurisdiction (a waterfront town, a ZIP centroid in a bay).
SHORE_TOLERANCE_M = 5000.0
STRAIGHT_LINE_NOTE = "Distances are straight-line (as the crow flies), not by road."
RESULT_COLUMNS = (
    "id",
    "name",
    "type",
    "distance_m",
    "distance_miles",
    "lat",
    "lon",
    "place",
    "place_distance_m",
    "jurisdiction",
    "address",
    "phone",
    "hours",
    "source",
    "as_of",
    "evidence_date",
    "location_precision",
)


def nearest_n(origin_xy: np.ndarray, sites_xy: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``n`` sites nearest ``origin_xy`` (x, y metres) and their
    distances, nearest first; equal distances (to 0.1 m) keep the sites' order."""
    if len(sites_xy) == 0 or n <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    distance = np.hypot(sites_xy[:, 0] - origin_xy[0], sites_xy[:, 1] - origin_xy[1])
    order = np.lexsort((np.arange(len(distance)), np.round(distance, 1)))[:n]
    return order.astype(np.int64), distance[order]


def _text(value: object) -> str | None:
    missing = value is None or pd.isna(value)  # type: ignore[call-overload]  # pandas-stubs: isna(object) is valid
    return None if missing or str(value).strip() == "" else str(value)


def full_address(row: pd.Series) -> str | None:
    """Street, town and ZIP as the source gives them (None when it gives none)."""
    parts = [_text(row.get(column)) for column in ("address", "city", "zip")]
    street = parts[0] or ""
    rest = [part for part in parts[1:] if part and part not in street]
    text = ", ".join([p for p in [street, *rest[:1]] if p])
    if len(rest) > 1:
        text = f"{text}, MD {rest[1]}" if text else rest[1]
    return text or None


@dataclass(frozen=True)
class FinderResult:
    """A search answered: the point, the nearest sites (``results``, nearest first) and
    the open sites without a location in its jurisdiction (``also_in_jurisdiction``)."""

    query: QueryPoint
    results: pd.DataFrame
    also_in_jurisdiction: pd.DataFrame
    jurisdiction: str | None
    notes: tuple[str, ...] = (STRAIGHT_LINE_NOTE, CALL_AHEAD, PLACE_NAMES_ATTRIBUTION)


class Finder:
    """Nearest-site searches over one sites frame (closed sites left out)."""

    def __init__(
        self, sites: pd.DataFrame, jurisdictions: gpd.GeoDataFrame, gazetteer: Gazetteer
    ) -> None:
        open_sites = sites[~sites["closed"].astype(bool)] if "closed" in sites else sites
        self.names = dict(zip(jurisdictions["fips"], jurisdictions["name"], strict=True))
        self.jurisdictions = jurisdictions
        self.gazetteer = gazetteer
        self.sites = self._details(open_sites.reset_index(drop=True))
        mapped = self.sites["lat"].notna().to_numpy()
        # sorted by id, so sites at equal distances are listed in id order
        self.mapped = self.sites[mapped].sort_values("id", kind="stable").reset_index(drop=True)
        self.unmapped = self.sites[~mapped].reset_index(drop=True)
        self.xy = lonlat_to_xy_m(
            self.mapped["lon"].to_numpy(float), self.mapped["lat"].to_numpy(float)
        )
        self.mapped_types = self.mapped["type"].to_numpy()

    @classmethod
    def from_data(cls, data: AccessData, gazetteer: Gazetteer | None = None) -> Finder:
        """The finder over the dashboard's data (public, or with local updates)."""
        return cls(data.sites, data.jurisdictions, gazetteer or load_gazetteer())

    def _details(self, sites: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "id": sites["id"],
                "name": sites["name"],
                "type": sites["type"],
                "lat": sites["lat"].astype(float),
                "lon": sites["lon"].astype(float),
            }
        )
        for column in ("phone", "hours", "place", "place_distance_m"):
            out[column] = sites.get(column, np.nan)
        missing = out["place"].isna().to_numpy() & out["lat"].notna().to_numpy()
        if missing.any():  # sites added locally have no place yet
            names, metres = self.gazetteer.nearest(
                out["lon"].to_numpy()[missing], out["lat"].to_numpy()[missing]
            )
            out["place"] = out["place"].astype(object)
            out.loc[missing, "place"] = names
            out.loc[missing, "place_distance_m"] = metres.round(0)
        out["jurisdiction_fips"] = sites["jurisdiction_fips"].astype(str)
        out["jurisdiction"] = out["jurisdiction_fips"].map(self.names)
        out["address"] = [full_address(row) for _, row in sites.iterrows()]
        out["source"] = sites["source"]
        out["as_of"] = sites["source_date"]
        out["evidence_date"] = sites.get("evidence_date", pd.Series(pd.NA, index=sites.index))
        out["location_precision"] = sites["location_precision"]
        return out

    @cached_property
    def _projected(self) -> gpd.GeoSeries:
        return self.jurisdictions.geometry.to_crs(MARYLAND_STATE_PLANE_M)

    def place_point(self, point: QueryPoint) -> QueryPoint:
        """``point`` with its jurisdiction; ``FinderError`` when it is outside Maryland."""
        outside = FinderError.of(
            "{place} is outside Maryland; this finder lists Maryland sites only.",
            EXAMPLES[:2],
            place=point.matched,
        )
        if not (
            MARYLAND_LAT_RANGE[0] <= point.lat <= MARYLAND_LAT_RANGE[1]
            and MARYLAND_LON_RANGE[0] <= point.lon <= MARYLAND_LON_RANGE[1]
        ):
            raise outside
        fips = jurisdiction_of([point.lon], [point.lat], self.jurisdictions)[0]
        if fips is None:
            xy = lonlat_to_xy_m(np.array([point.lon]), np.array([point.lat]))[0]
            distances = self._projected.distance(gpd.points_from_xy([xy[0]], [xy[1]])[0])
            nearest = int(np.argmin(distances.to_numpy()))
            if distances.iloc[nearest] > SHORE_TOLERANCE_M:
                raise outside
            fips = str(self.jurisdictions["fips"].iloc[nearest])
        return replace(point, fips=fips)

    @staticmethod
    def check_types(types: Iterable[str] | None) -> tuple[str, ...]:
        """The site types asked for (all when none); ``FinderError`` for unknown ones."""
        chosen = tuple(dict.fromkeys(t.strip() for t in (types or ()) if t.strip()))
        unknown = [t for t in chosen if t not in SITE_TYPES]
        if unknown:
            raise FinderError.of("Unknown site type {type!r}.", SITE_TYPES, type=unknown[0])
        return chosen or SITE_TYPES

    def nearest(
        self, point: QueryPoint, n: int = DEFAULT_N, types: Iterable[str] | None = None
    ) -> FinderResult:
        """The ``n`` nearest open sites of ``types`` to a point already placed."""
        if not 1 <= int(n) <= MAX_N:
            raise FinderError.of("Ask for between 1 and {most} sites.", (), most=MAX_N)
        chosen = self.check_types(types)
        if point.fips is None:
            point = self.place_point(point)
        fips = point.fips
        assert fips is not None, "place_point places the point in a jurisdiction"
        wanted = np.flatnonzero(np.isin(self.mapped_types, chosen))
        origin = lonlat_to_xy_m(np.array([point.lon]), np.array([point.lat]))[0]
        index, distance = nearest_n(origin, self.xy[wanted], min(len(wanted), 4 * int(n) + 8))
        candidates = self.mapped.iloc[wanted[index]].reset_index(drop=True)
        candidates.insert(3, "distance_m", distance)
        candidates.insert(4, "distance_miles", distance / 1609.344)
        results = one_listing_per_place(candidates, self.xy[wanted[index]], int(n))
        also = self.unmapped[
            self.unmapped["jurisdiction_fips"].eq(fips) & self.unmapped["type"].isin(chosen)
        ]
        return FinderResult(
            point,
            results[list(RESULT_COLUMNS)],
            also[[c for c in RESULT_COLUMNS if c in also]].reset_index(drop=True),
            self.names.get(fips),
        )

    def find(
        self,
        text: object,
        n: int = DEFAULT_N,
        types: Iterable[str] | None = None,
        geocoder: CensusGeocoder | ClientGeocoder | None = None,
    ) -> FinderResult:
        """Read a search and answer it (raises ``FinderError`` with a sentence)."""
        self.check_types(types)
        point = self.place_point(read_query(text, self.gazetteer, geocoder))
        return self.nearest(point, n, types)


def _same_place(name_a: str, address_a: str, name_b: str, address_b: str, apart_m: float) -> bool:
    """Whether two listed sites ``apart_m`` metres apart are one place (see
    :data:`SAME_PLACE_M`): addresses compared without case, commas or extra spaces."""
    if apart_m <= SAME_PLACE_M:
        return True
    street = [" ".join(x.lower().replace(",", " ").split()) for x in (address_a, address_b)]
    if street[0] and street[0] == street[1]:
        return True
    names = sorted(" ".join(x.lower().split()) for x in (name_a, name_b))
    return apart_m <= SAME_NAME_M and names[1].startswith(names[0])


def one_listing_per_place(candidates: pd.DataFrame, xy_m: np.ndarray, n: int) -> pd.DataFrame:
    """The first ``n`` places among ``candidates`` (nearest first, with ``xy_m`` their
    EPSG:26985 coordinates in metres): a site that is the same place as a nearer one
    (:func:`_same_place`) joins its listing, its name added ("Walmart Pharmacy / Walmart
    Pharmacy Drive-Thru"); the listing keeps the nearer site's id, type and distance.
    Sites placed at a ZIP centre are never merged: they share a point because their
    location is unknown, not because they are one place."""
    kept: list[int] = []
    names: dict[int, list[str]] = {}
    site_names = candidates["name"].astype(str).to_numpy()
    addresses = candidates["address"].fillna("").astype(str).to_numpy()
    precision = (
        candidates["location_precision"].astype(str).to_numpy()
        if "location_precision" in candidates
        else np.full(len(candidates), "exact")
    )
    for i in range(len(candidates)):
        home = next(
            (
                j
                for j in kept
                if precision[i] != "zip_centroid"
                and precision[j] != "zip_centroid"
                and _same_place(
                    site_names[i],
                    addresses[i],
                    site_names[j],
                    addresses[j],
                    float(np.linalg.norm(xy_m[i] - xy_m[j])),
                )
            ),
            None,
        )
        if home is None:
            if len(kept) < n:
                kept.append(i)
                names[i] = [site_names[i]]
        elif site_names[i] not in names[home]:
            names[home].append(site_names[i])
    out = candidates.iloc[kept].reset_index(drop=True)
    out["name"] = [" / ".join(names[i]) for i in kept]
    return out
