"""When two site records are the same site: the rules an import and the store share.

Names are compared normalised (:func:`normalise_name`). While an import is validated,
:class:`ImportDuplicates` flags a row with the same name as an existing site or an
earlier row within ``DUPLICATE_DISTANCE_M`` (or, unmapped, in the same jurisdiction).
When the store writes an import, :func:`find_duplicates` refuses rows that match an
already stored local site: same type within ``SAME_TYPE_DISTANCE_M``, same name within
``SAME_NAME_DISTANCE_M``, or (unmapped) same name, type and jurisdiction.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.engine.distance import lonlat_to_xy_m

DUPLICATE_DISTANCE_M = 50.0
"""While validating: an existing site or earlier row with the same name this close."""
SAME_TYPE_DISTANCE_M = 25.0
"""An imported site this close to a stored local site of the same type is a duplicate."""
SAME_NAME_DISTANCE_M = 50.0
"""... and this close to one with the same normalised name (any type)."""


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed: for duplicate detection."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _xy(lon: float, lat: float) -> np.ndarray:
    return lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]


class ImportDuplicates:
    """Likely duplicates among the rows of one import: each row is checked against the
    existing sites and the rows of the file already accepted, then remembered."""

    def __init__(self, existing_sites: pd.DataFrame, row_label: str) -> None:
        mapped = existing_sites[existing_sites["lat"].notna()]
        xy = lonlat_to_xy_m(mapped["lon"], mapped["lat"]) if len(mapped) else np.empty((0, 2))
        self._tree = cKDTree(xy) if len(xy) else None
        self._names = [normalise_name(n) for n in mapped["name"]]
        self._ids = mapped["id"].tolist()
        self._named_in = {(normalise_name(n), f): i for n, f, i in zip(
            existing_sites["name"], existing_sites["jurisdiction_fips"], existing_sites["id"],
            strict=True)}
        self._row_label = row_label
        self._mapped_rows: list[tuple[float, float, str, int]] = []
        self._unmapped_rows: dict[tuple[str, str | None], int] = {}

    def check(self, name: str, lat: float | None, lon: float | None, fips: str | None,
              number: int) -> str | None:
        """Why row ``number`` looks like a duplicate, or None (and the row is remembered)."""
        key = normalise_name(name)
        if lat is None or lon is None:
            return self._check_unmapped(key, fips, number)
        xy = _xy(lon, lat)
        if self._tree is not None:
            for index in self._tree.query_ball_point(xy, DUPLICATE_DISTANCE_M):
                if self._names[index] == key:
                    return (f"likely duplicate of existing site {self._ids[index]} (same name "
                            f"within {DUPLICATE_DISTANCE_M:.0f} m)")
        for x, y, other, other_row in self._mapped_rows:
            if other == key and np.hypot(x - xy[0], y - xy[1]) <= DUPLICATE_DISTANCE_M:
                return f"likely duplicate of {self._row_label} {other_row} in this file"
        self._mapped_rows.append((float(xy[0]), float(xy[1]), key, number))
        return None

    def _check_unmapped(self, key: str, fips: str | None, number: int) -> str | None:
        if (key, fips) in self._named_in:
            return (f"likely duplicate of existing site {self._named_in[(key, fips)]} (same "
                    "name, same jurisdiction, no coordinates)")
        if (key, fips) in self._unmapped_rows:
            return (f"likely duplicate of {self._row_label} "
                    f"{self._unmapped_rows[(key, fips)]} in this file")
        self._unmapped_rows[(key, fips)] = number
        return None


def _stored_match(record: dict[str, object], stored: pd.DataFrame, xy: np.ndarray,
                  mapped: np.ndarray) -> tuple[int, str] | None:
    """(position in ``stored``, reason) of the stored site ``record`` duplicates."""
    key = normalise_name(str(record.get("name") or ""))
    same_type = (stored["type"] == record.get("type")).to_numpy()
    if record.get("lat") is None or record.get("lon") is None:
        same = np.flatnonzero(~mapped & (stored["key"] == key).to_numpy() & same_type
                              & (stored["jurisdiction_fips"]
                                 == record.get("jurisdiction_fips")).to_numpy())
        return (int(same[0]), "same name, type and jurisdiction, no coordinates") \
            if len(same) else None
    here = _xy(float(record["lon"]), float(record["lat"]))
    distance = np.hypot(xy[:, 0] - here[0], xy[:, 1] - here[1])
    near_type = same_type & (distance <= SAME_TYPE_DISTANCE_M)
    near_name = (stored["key"] == key).to_numpy() & (distance <= SAME_NAME_DISTANCE_M)
    candidates = np.flatnonzero(near_type | near_name)
    if not len(candidates):
        return None
    best = int(candidates[np.argmin(distance[candidates])])
    why = "same type" if near_type[best] else "same name"
    return best, f"{why}, {distance[best]:.0f} m away"


def find_duplicates(records: list[dict[str, object]], labels: list[object],
                    stored: pd.DataFrame) -> list[dict[str, object]]:
    """For each record that duplicates a stored site (see ``Store.add_sites``): its label,
    name, the stored id and name, and why (nearest match first)."""
    found: list[dict[str, object]] = []
    if stored.empty:
        return found
    stored = stored.assign(key=[normalise_name(n or "") for n in stored["name"]])
    lat = pd.to_numeric(stored["lat"], errors="coerce")
    lon = pd.to_numeric(stored["lon"], errors="coerce")
    mapped = (lat.notna() & lon.notna()).to_numpy()
    xy = np.full((len(stored), 2), np.nan)
    if mapped.any():
        xy[mapped] = lonlat_to_xy_m(lon[mapped].to_numpy(), lat[mapped].to_numpy())
    for label, record in zip(labels, records, strict=True):
        match = _stored_match(record, stored, xy, mapped)
        if match is not None:
            index, reason = match
            found.append({"row": label, "name": record.get("name"),
                          "stored_id": stored["id"].iloc[index],
                          "stored_name": stored["name"].iloc[index], "reason": reason})
    return found
