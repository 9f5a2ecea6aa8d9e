"""A refresh from a public source (:mod:`geo.data.refresh`) compared with the current
sites, and written, after review, as one draft change in the store.

The comparison (:func:`compare`) takes the current sites of the same source (public
rows whose ``source`` names it, and local rows a refresh added, whose ``source_id`` is
the source's id: ``osm-node-123``, ``overture-<GERS id>``), of the types the source
lists, and matches each fetched site to at most one current site: first by source id,
then by compatible name (:func:`name_key`) within ``NAME_MATCH_M`` metres (nearest pairs
first; a name with nothing but generic words must be within ``SAME_TYPE_DISTANCE_M``).
Distances are straight lines in EPSG:26985 metres. A matched site farther than
``MOVED_M`` from where it is listed is **moved**, else **unchanged**; a fetched site
matched to none is **new**; a current, open, mapped site matched by none is **gone**
("no longer in the source"). Closed sites take part in matching (a closed store still
listed in the source is not proposed again) but are never proposed as gone or moved.

The plan (:func:`plan`) writes new sites (id ``local-<source id>``) and moved sites
(a correction under the site's own id); a gone site is closed only when the editor
names it (``close``), one by one. Each written row carries its source, the fetch date
(``source_date``) and the source's licence. Nothing is ever removed.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data.refresh import Fetched, Source
from geo.engine.distance import lonlat_to_xy_m
from geo.errors import InputError
from geo.local.duplicates import SAME_TYPE_DISTANCE_M, normalise_name
from geo.local.tables import SITE_FIELDS
from geo.text import one_line

#: A matched site farther than this (metres, straight line) from its listing has moved.
MOVED_M = 50.0
#: Sites with compatible names are matched up to this far apart (metres).
NAME_MATCH_M = 300.0
#: Words that say nothing about which pharmacy it is.
GENERIC_WORDS = frozenset(
    {"pharmacy", "pharmacies", "the", "inc", "llc", "store", "drug", "drugs", "rx", "and", "of"}
)
ROW_FIELDS = ("name", "type", "lat", "lon", "address", "city", "zip", "phone", "hours")


def name_key(name: object) -> frozenset[str]:
    """The words of a normalised name that tell pharmacies apart: generic words and
    store numbers dropped (``CVS Pharmacy #1234`` → {cvs})."""
    words = normalise_name(str(name or "")).split()
    return frozenset(w for w in words if w not in GENERIC_WORDS and not w.isdigit())


def _compatible(a: frozenset[str], b: frozenset[str], distance_m: float) -> bool:
    if not a or not b:
        return distance_m <= SAME_TYPE_DISTANCE_M
    return a <= b or b <= a


def from_source(sites: pd.DataFrame, source: Source) -> pd.Series:
    """Which current sites come from ``source``: their ``source_id`` is one of its ids,
    or their ``source`` names it; and they are of a type it lists."""
    ids = sites["source_id"] if "source_id" in sites else pd.Series(pd.NA, index=sites.index)
    prefix = f"{source.key}-"
    by_id = ids.astype("string").str.startswith(prefix).fillna(False).astype(bool)
    by_name = sites["source"].astype("string").str.contains(source.label.split()[0], regex=False)
    return (by_id | by_name.fillna(False).astype(bool)) & sites["type"].isin(source.types)


@dataclass(frozen=True)
class RefreshDiff:
    """What a refresh would change: ``new``, ``moved`` and ``unchanged`` fetched rows
    (``moved``/``unchanged`` with the current ``id``, ``from_lat``, ``from_lon`` and
    ``moved_m``), and ``gone``: current sites no longer in the source."""

    fetched: Fetched
    new: pd.DataFrame
    moved: pd.DataFrame
    gone: pd.DataFrame
    unchanged: pd.DataFrame

    @property
    def source(self) -> Source:
        return self.fetched.source

    @property
    def fetched_date(self) -> str:
        """The day the source's list stood so (YYYY-MM-DD)."""
        return self.fetched.fetched[:10]

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "moved": len(self.moved),
            "gone": len(self.gone),
            "unchanged": len(self.unchanged),
        }

    def as_json(self) -> dict[str, object]:
        """``{"source", "fetched", "counts": {...}, "new": [...], "moved": [...],
        "gone": [...]}``; each row with name, type, lat, lon, address and phone where the
        source has them (moved: also the current id, where it was and how far, metres)."""
        return {
            "source": self.source.key,
            "fetched": self.fetched.fetched,
            "counts": self.counts(),
            "new": _records(self.new, ("source_id", *ROW_FIELDS, "jurisdiction_fips")),
            "moved": _records(
                self.moved, ("id", "source_id", *ROW_FIELDS, "from_lat", "from_lon", "moved_m")
            ),
            "gone": _records(self.gone, ("id", *ROW_FIELDS, "jurisdiction_fips")),
        }

    def as_text(self) -> str:
        """The diff for a person: one line of counts, then each new, moved and gone site."""
        c = self.counts()
        lines = [
            f"{self.source.label} as of {one_line(self.fetched_date)}: {c['new']} new, "
            f"{c['moved']} moved (> {MOVED_M:g} m), {c['gone']} no longer in the source, "
            f"{c['unchanged']} unchanged"
        ]
        for _, row in self.new.iterrows():
            lines.append(f"  new    {_label(row)}  {row['lat']:.6f}, {row['lon']:.6f}")
        for _, row in self.moved.iterrows():
            lines.append(f"  moved  {row['id']} {_label(row)}: {row['moved_m']:,.0f} m")
        for _, row in self.gone.iterrows():
            lines.append(f"  gone   {row['id']} {_label(row)} (proposal: close after review)")
        return "\n".join(lines)


def _label(row: Mapping[str, object] | pd.Series) -> str:
    """A site for a terminal line: its name (address, city), control characters escaped."""
    where = ", ".join(one_line(row[f]) for f in ("address", "city") if _present(row.get(f)))
    return one_line(row["name"]) + (f" ({where})" if where else "")


def _present(value: object) -> bool:
    return (
        value is not None
        and value is not pd.NA
        and not (isinstance(value, float) and math.isnan(value))
    )


def _plain(value: object) -> object:
    if not _present(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _records(frame: pd.DataFrame, fields: Iterable[str]) -> list[dict[str, object]]:
    fields = [f for f in fields if f in frame.columns]
    return [{f: _plain(row[f]) for f in fields} for row in frame.to_dict("records")]


def _distances_m(new_rows: pd.DataFrame, lat: pd.Series, lon: pd.Series) -> np.ndarray:
    """Straight-line metres (EPSG:26985) from each fetched row to each current site;
    infinite to an unmapped one."""
    mapped = np.flatnonzero((lat.notna() & lon.notna()).to_numpy())
    distance = np.full((len(new_rows), len(lat)), np.inf)
    if len(new_rows) and len(mapped):
        a = lonlat_to_xy_m(new_rows["lon"].to_numpy(float), new_rows["lat"].to_numpy(float))
        b = lonlat_to_xy_m(lon.to_numpy()[mapped], lat.to_numpy()[mapped])
        distance[:, mapped] = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    return distance


def _match(new_rows: pd.DataFrame, current: pd.DataFrame, distance: np.ndarray) -> dict[int, int]:
    """Fetched row -> current row: by source id first, then compatible names of the same
    type within ``NAME_MATCH_M``, nearest pairs first; each current row matched once."""
    current_ids = (
        current["source_id"].astype("string")
        if "source_id" in current
        else pd.Series(pd.NA, index=current.index, dtype="string")
    )
    match: dict[int, int] = {}
    by_source_id = {sid: j for j, sid in enumerate(current_ids) if isinstance(sid, str)}
    for i, sid in enumerate(new_rows["source_id"]):
        if sid in by_source_id:
            match[i] = by_source_id[sid]
    taken = set(match.values())
    keys_new = [name_key(n) for n in new_rows["name"]]
    keys_cur = [name_key(n) for n in current["name"]]
    types_new = new_rows["type"].tolist()
    types_cur = current["type"].tolist()
    pairs = []
    for i in (i for i in range(len(new_rows)) if i not in match):
        for near_j in np.flatnonzero(distance[i] <= NAME_MATCH_M):
            if (
                near_j not in taken
                and types_new[i] == types_cur[near_j]
                and _compatible(keys_new[i], keys_cur[near_j], distance[i, near_j])
            ):
                pairs.append((distance[i, near_j], i, int(near_j)))
    for _, i, j in sorted(pairs):
        if i not in match and j not in taken:
            match[i] = j
            taken.add(j)
    return match


def compare(fetched: Fetched, current_sites: pd.DataFrame) -> RefreshDiff:
    """Match ``fetched`` against the current sites (the editors' working copy: public
    rows with local updates, drafts included) of the same source. See the module."""
    new_rows = fetched.sites.reset_index(drop=True)
    current = current_sites[from_source(current_sites, fetched.source)].reset_index(drop=True)
    lat = pd.to_numeric(current["lat"], errors="coerce")
    lon = pd.to_numeric(current["lon"], errors="coerce")
    distance = _distances_m(new_rows, lat, lon)
    match = _match(new_rows, current, distance)
    closed = (
        current["closed"].astype(bool)
        if "closed" in current
        else pd.Series(False, index=current.index)
    )
    matched = []
    for i, j in sorted(match.items()):
        row = new_rows.loc[i].to_dict()
        d = distance[i, j]
        if not np.isfinite(d):  # matched by id, the current row unmapped
            d = math.inf if pd.notna(lat[j]) else 0.0
        row.update(
            id=current.at[j, "id"],
            from_lat=_plain(lat[j]),
            from_lon=_plain(lon[j]),
            moved_m=float(d) if np.isfinite(d) else None,
            closed=bool(closed[j]),
        )
        matched.append(row)
    columns = [*new_rows.columns, "id", "from_lat", "from_lon", "moved_m", "closed"]
    pairs_frame = pd.DataFrame(matched, columns=columns)
    is_moved = pairs_frame["moved_m"].fillna(0).gt(MOVED_M) & ~pairs_frame["closed"].astype(bool)
    gone = current[
        ~current.index.isin(list(match.values()))
        & ~closed.to_numpy()
        & lat.notna().to_numpy()
        & lon.notna().to_numpy()
    ]
    gone_columns = [c for c in ("id", *ROW_FIELDS, "jurisdiction_fips") if c in gone.columns]
    return RefreshDiff(
        fetched=fetched,
        new=new_rows.drop(index=list(match)).reset_index(drop=True),
        moved=pairs_frame[is_moved].reset_index(drop=True),
        gone=pd.DataFrame(gone[gone_columns]).reset_index(drop=True),
        unchanged=pairs_frame[~is_moved].reset_index(drop=True),
    )


def _source_text(source: Source, date: str) -> str:
    return f"{source.label} via {source.service}, as of {date}"


def _site_record(row: Mapping[Hashable, object]) -> dict[str, object]:
    """A current site (a row of the merged site frame) as the store's fields."""
    record = {f: _plain(row.get(f)) for f in SITE_FIELDS}
    record["status"] = "closed" if bool(row.get("closed", False)) else "open"
    return record


def plan(
    diff: RefreshDiff,
    current_sites: pd.DataFrame,
    versions: Mapping[str, int],
    *,
    close: Iterable[str] = (),
) -> list[tuple[str, dict[str, object], int]]:
    """The store rows (site id, values, version read) that write ``diff``: every new
    site, every moved site at its new place, and the gone sites named in ``close``
    closed. ``versions``: the stored local rows' versions (0 for a site with none).
    A name in ``close`` that the diff does not list as gone is refused."""
    source, date = diff.source, diff.fetched_date
    close = list(dict.fromkeys(close))
    unknown = [site_id for site_id in close if site_id not in set(diff.gone["id"])]
    if unknown:
        raise InputError(
            f"{', '.join(unknown[:5])}: not among the sites no longer in "
            f"{source.label}, so not closed"
        )
    by_id = current_sites.set_index("id")
    rows: list[tuple[str, dict[str, object], int]] = []
    for fetched in diff.new.to_dict("records"):
        record = {f: _plain(fetched.get(f)) for f in SITE_FIELDS}
        record.update(
            location_precision="exact",
            status="open",
            source=_source_text(source, date),
            source_date=date,
            licence=source.licence,
            notes=f"Added by a refresh from {source.label} ({fetched['source_id']}); "
            "listed, not confirmed stock",
        )
        site_id = f"local-{fetched['source_id']}"
        rows.append((site_id, record, int(versions.get(site_id, 0))))
    for fetched in diff.moved.to_dict("records"):
        site_id = str(fetched["id"])
        record = _site_record(by_id.loc[site_id].to_dict() | {"id": site_id})
        for field in ("lat", "lon", "jurisdiction_fips", "source_id"):
            record[field] = _plain(fetched[field])
        for field in ("address", "city", "zip", "phone", "hours"):
            if _present(fetched.get(field)):
                record[field] = fetched[field]
        record.update(
            location_precision="exact",
            source=_source_text(source, date),
            source_date=date,
            licence=source.licence,
            notes=f"Moved {fetched['moved_m']:,.0f} m by a refresh from {source.label}",
        )
        rows.append((site_id, record, int(versions.get(site_id, 0))))
    for site_id in close:
        record = _site_record(by_id.loc[site_id].to_dict())
        record.update(
            status="closed",
            notes=f"No longer in {source.label} as of {date}; closed after an editor's review",
        )
        rows.append((site_id, record, int(versions.get(site_id, 0))))
    return rows


def summary(diff: RefreshDiff, closed: int = 0) -> str:
    """The change's sentence: ``Refreshed from OpenStreetMap (as of 2026-12-01): 3 new
    sites, 1 moved, 2 closed as no longer listed``."""
    c = diff.counts()
    said = f"Refreshed from {diff.source.label} (as of {diff.fetched_date}): {c['new']} new"
    said += f" site{'' if c['new'] == 1 else 's'}, {c['moved']} moved"
    if closed:
        said += f", {closed} closed as no longer listed"
    return said


def stored_versions(store) -> dict[str, int]:
    """Site id -> the version of its stored local row (the version a write must find)."""
    stored = store.sites()
    if stored.empty:
        return {}
    return dict(zip(stored["id"], stored["version"].astype(int), strict=True))


def refresh_and_write(
    store, diff: RefreshDiff, current_sites: pd.DataFrame, who: str, *, close: Iterable[str] = ()
) -> int | None:
    """Write ``diff`` (and the gone sites named in ``close``) as one draft change in
    ``store``; its id, or None when there is nothing to write."""
    close = list(close)
    rows = plan(diff, current_sites, stored_versions(store), close=close)
    if not rows:
        return None
    return store.write_refresh(summary(diff, len(close)), rows, who)


def coverage_warning(diff: RefreshDiff) -> str | None:
    """A caution when most current sites of the source are missing from its answer (an
    answer or file covering only part of Maryland would propose them all as gone)."""
    c = diff.counts()
    listed = c["gone"] + c["moved"] + c["unchanged"]
    if listed and c["gone"] > listed / 2:
        return (
            f"{c['gone']} of the {listed} current {diff.source.label} sites are not in this "
            "answer: check that it covers all of Maryland before closing any of them"
        )
    return None


def close_gone_site(
    store, diff: RefreshDiff, current_sites: pd.DataFrame, site_id: str, who: str
) -> int:
    """Close one site the refresh lists as no longer in the source, as its own draft
    change ("Closed CVS Pharmacy: no longer in OpenStreetMap (as of 2026-12-01)"), after
    an editor has checked it; returns the change id."""
    only = RefreshDiff(
        diff.fetched, diff.new.iloc[0:0], diff.moved.iloc[0:0], diff.gone, diff.unchanged
    )
    rows = plan(only, current_sites, stored_versions(store), close=[site_id])
    name = rows[0][1].get("name") or site_id
    said = f"Closed {name}: no longer in {diff.source.label} (as of {diff.fetched_date})"
    return store.write_refresh(said, rows, who)
