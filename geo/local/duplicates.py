"""When two site records are the same site: the rules an import and the store share.

Names are compared normalised (:func:`normalise_name`). While an import is validated,
:class:`ImportDuplicates` rejects a row with the same name as an existing site or an
earlier row within ``DUPLICATE_DISTANCE_M`` (or, unmapped, in the same jurisdiction),
and flags as a *likely* duplicate a row within ``SAME_TYPE_DISTANCE_M`` of a site or an
earlier row of the same type under any other name: such a row is imported only when
the importer confirms it. When the store writes an import, :func:`find_duplicates`
refuses rows that match an already stored local site by the same rules: same type
within ``SAME_TYPE_DISTANCE_M`` (unless that row was confirmed), same name within
``SAME_NAME_DISTANCE_M``, or (unmapped) same name, type and jurisdiction.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import cast

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


@functools.cache
def _latin_lookalikes() -> dict[str, str]:
    """Character → the ASCII letter or digit it is confusable with (Unicode's
    confusables.txt, via ``confusable_homoglyphs``): Cyrillic ``С`` → ``C``, Greek
    ``Ο`` → ``O``; letters preferred to digits."""
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    for char, entries in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_twins = [e["c"] for e in entries if len(e["c"]) == 1 and e["c"].isascii()]
        ascii_twins = [c for c in ascii_twins if c.isalnum()]
        if ascii_twins:
            table[char] = sorted(ascii_twins, key=lambda c: (not c.isalpha(), c.lower()))[0]
    return table


def _skeleton_char(char: str) -> str:
    """One character of a name's skeleton: its ASCII look-alike, else its base letter
    when it is an accented Latin letter (``é`` → ``e``), else itself."""
    twin = _latin_lookalikes().get(char)
    if twin is not None:
        return twin
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed[:1].isascii() and all(unicodedata.combining(c) for c in decomposed[1:]):
        return decomposed[:1]
    return char


def lookalike_note(name: str) -> str:
    """``; "С" (U+0421 CYRILLIC CAPITAL LETTER ES) imitates "C"`` for the first letter of
    ``name`` folded to a Latin look-alike, else ``""``: said with a duplicate."""
    for char in unicodedata.normalize("NFKC", str(name)):
        twin = _latin_lookalikes().get(char)
        if twin is not None:
            label = unicodedata.name(char, "an unnamed character")
            return f'; its "{char}" (U+{ord(char):04X} {label}) imitates "{twin}"'
    return ""


def normalise_name(name: str) -> str:
    """A name as compared for duplicate detection (a skeleton in the sense of Unicode
    TR39): NFKC (fullwidth and compatibility forms), invisible format characters
    removed, look-alike letters of other scripts folded to the Latin letter they
    imitate (Cyrillic "СVS" is "CVS"), accents removed from Latin letters, case folded,
    and every run of characters that are not letters, digits or marks made one space.
    Letters of every script are kept: Korean, Japanese or Amharic names stay distinct."""
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(_skeleton_char(c) for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text.casefold())
    kept = (c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return " ".join("".join(kept).split())


def _xy(lon: float, lat: float) -> np.ndarray:
    return lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]


class _RowGrid:
    """Accepted rows of a file by 50 m grid cell (EPSG:26985 metres), so a row is
    compared only with the rows in its own and the eight neighbouring cells."""

    CELL_M = DUPLICATE_DISTANCE_M  # >= every distance asked for

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, str, str | None, int]]] = {}

    def _cell(self, x: float, y: float) -> tuple[int, int]:
        return int(np.floor(x / self.CELL_M)), int(np.floor(y / self.CELL_M))

    def add(self, x: float, y: float, key: str, site_type: str | None, row: int) -> None:
        self._cells.setdefault(self._cell(x, y), []).append((x, y, key, site_type, row))

    def near(self, xy: np.ndarray, radius_m: float) -> list[tuple[float, str, str | None, int]]:
        """(distance m, name key, type, row) of the rows within ``radius_m`` of ``xy``,
        in the order they were added."""
        cx, cy = self._cell(float(xy[0]), float(xy[1]))
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x, y, key, site_type, row in self._cells.get((cx + dx, cy + dy), ()):
                    distance = float(np.hypot(x - xy[0], y - xy[1]))
                    if distance <= radius_m:
                        found.append((distance, key, site_type, row))
        return sorted(found, key=lambda entry: entry[3])


class ImportDuplicates:
    """Likely duplicates among the rows of one import: each row is checked against the
    existing sites and the rows of the file already accepted, then remembered."""

    def __init__(self, existing_sites: pd.DataFrame, row_label: str) -> None:
        mapped = existing_sites[existing_sites["lat"].notna()]
        xy = lonlat_to_xy_m(mapped["lon"], mapped["lat"]) if len(mapped) else np.empty((0, 2))
        self._tree = cKDTree(xy) if len(xy) else None
        self._names = [normalise_name(n) for n in mapped["name"]]
        self._ids = mapped["id"].tolist()
        self._types = mapped["type"].tolist()
        self._exact = (
            mapped["location_precision"].eq("exact").tolist()
            if "location_precision" in mapped
            else [True] * len(mapped)
        )
        self._labels = [
            f"existing site {i} ({n})" for i, n in zip(mapped["id"], mapped["name"], strict=True)
        ]
        self._named_in = {
            (normalise_name(n), f): i
            for n, f, i in zip(
                existing_sites["name"],
                existing_sites["jurisdiction_fips"],
                existing_sites["id"],
                strict=True,
            )
        }
        self._row_label = row_label
        self._mapped_rows = _RowGrid()
        self._unmapped_rows: dict[tuple[str, str | None], int] = {}

    def check(
        self, name: str, lat: float | None, lon: float | None, fips: str | None, number: int
    ) -> str | None:
        """Why row ``number`` is a duplicate by name, or None (and the row is remembered)."""
        key = normalise_name(name)
        if lat is None or lon is None:
            return self._check_unmapped(key, fips, number)
        xy = _xy(lon, lat)
        if self._tree is not None:
            for index in self._tree.query_ball_point(xy, DUPLICATE_DISTANCE_M):
                if self._names[index] == key:
                    return (
                        f"likely duplicate of existing site {self._ids[index]} (same name "
                        f"within {DUPLICATE_DISTANCE_M:.0f} m)"
                    )
        for _, other, _, other_row in self._mapped_rows.near(xy, DUPLICATE_DISTANCE_M):
            if other == key:
                return f"likely duplicate of {self._row_label} {other_row} in this file"
        return None

    def same_type_nearby(
        self, site_type: str, lat: float | None, lon: float | None, exact: bool = True
    ) -> str | None:
        """Why a row of ``site_type`` at (lat, lon) looks like a site already listed or an
        earlier row under another name (same type within ``SAME_TYPE_DISTANCE_M``). Only
        exact points count: two sites placed at one ZIP centroid are not near each other."""
        if lat is None or lon is None or not exact:
            return None
        xy = _xy(lon, lat)
        near: list[tuple[float, str]] = []
        if self._tree is not None:
            near += [
                (float(np.hypot(*(self._tree.data[i] - xy))), self._labels[i])
                for i in self._tree.query_ball_point(xy, SAME_TYPE_DISTANCE_M)
                if self._types[i] == site_type and self._exact[i]
            ]
        near += [
            (distance, f"{self._row_label} {row} in this file")
            for distance, _, other_type, row in self._mapped_rows.near(xy, SAME_TYPE_DISTANCE_M)
            if other_type == site_type
        ]
        near = [(d, label) for d, label in near if d <= SAME_TYPE_DISTANCE_M]
        if not near:
            return None
        distance, label = min(near)
        return f"likely duplicate of {label}: same type, {distance:.0f} m away under another name"

    def remember(
        self,
        name: str,
        site_type: str,
        lat: float | None,
        lon: float | None,
        fips: str | None,
        number: int,
        exact: bool = True,
    ) -> None:
        """Remember an accepted row, for the rows after it (``exact``: not a ZIP centroid)."""
        key = normalise_name(name)
        if lat is None or lon is None:
            self._unmapped_rows.setdefault((key, fips), number)
            return
        xy = _xy(lon, lat)
        self._mapped_rows.add(float(xy[0]), float(xy[1]), key, site_type if exact else None, number)

    def _check_unmapped(self, key: str, fips: str | None, number: int) -> str | None:
        if (key, fips) in self._named_in:
            return (
                f"likely duplicate of existing site {self._named_in[(key, fips)]} (same "
                "name, same jurisdiction, no coordinates)"
            )
        if (key, fips) in self._unmapped_rows:
            return (
                f"likely duplicate of {self._row_label} "
                f"{self._unmapped_rows[(key, fips)]} in this file"
            )
        return None


def _stored_match(
    record: dict[str, object],
    stored: pd.DataFrame,
    xy: np.ndarray,
    mapped: np.ndarray,
    confirmed: bool = False,
) -> tuple[int, str] | None:
    """(position in ``stored``, reason) of the stored site ``record`` duplicates; a
    ``confirmed`` likely duplicate is matched by name only."""
    key = normalise_name(str(record.get("name") or ""))
    same_type = (stored["type"] == record.get("type")).to_numpy()
    if record.get("lat") is None or record.get("lon") is None:
        same = np.flatnonzero(
            ~mapped
            & (stored["key"] == key).to_numpy()
            & same_type
            & (stored["jurisdiction_fips"] == record.get("jurisdiction_fips")).to_numpy()
        )
        return (
            (int(same[0]), "same name, type and jurisdiction, no coordinates")
            if len(same)
            else None
        )
    # a mapped record (lat and lon not None, checked above) holds numbers
    here = _xy(float(cast(float, record["lon"])), float(cast(float, record["lat"])))
    distance = np.hypot(xy[:, 0] - here[0], xy[:, 1] - here[1])
    exact = (record.get("location_precision") in (None, "exact")) and not confirmed
    if "location_precision" in stored:  # a ZIP centroid is no place to be near
        same_type = same_type & stored["location_precision"].fillna("exact").eq("exact").to_numpy()
    near_type = same_type & (distance <= SAME_TYPE_DISTANCE_M) & exact
    near_name = (stored["key"] == key).to_numpy() & (distance <= SAME_NAME_DISTANCE_M)
    candidates = np.flatnonzero(near_type | near_name)
    if not len(candidates):
        return None
    best = int(candidates[np.argmin(distance[candidates])])
    why = "same type" if near_type[best] else "same name"
    return best, f"{why}, {distance[best]:.0f} m away"


def find_duplicates(
    records: list[dict[str, object]],
    labels: list[object],
    stored: pd.DataFrame,
    confirmed: list[bool] | None = None,
) -> list[dict[str, object]]:
    """For each record that duplicates a stored site (see ``Store.add_sites``): its label,
    name, the stored id and name, and why (nearest match first). ``confirmed[i]``: the
    importer confirmed record ``i`` though it is a likely duplicate (same type nearby)."""
    found: list[dict[str, object]] = []
    confirmed = confirmed or [False] * len(records)
    if stored.empty:
        return found
    stored = stored.assign(key=[normalise_name(n or "") for n in stored["name"]])
    lat = pd.to_numeric(stored["lat"], errors="coerce")
    lon = pd.to_numeric(stored["lon"], errors="coerce")
    mapped = (lat.notna() & lon.notna()).to_numpy()
    xy = np.full((len(stored), 2), np.nan)
    if mapped.any():
        xy[mapped] = lonlat_to_xy_m(lon[mapped].to_numpy(), lat[mapped].to_numpy())
    for label, record, sure in zip(labels, records, confirmed, strict=True):
        match = _stored_match(record, stored, xy, mapped, bool(sure))
        if match is not None:
            index, reason = match
            found.append(
                {
                    "row": label,
                    "name": record.get("name"),
                    "stored_id": stored["id"].iloc[index],
                    "stored_name": stored["name"].iloc[index],
                    "reason": reason,
                }
            )
    return found
