"""The public layers with local updates applied (the store never changes ``data/``).

Sites: a local row with the id of a public site replaces it (a correction); other
local rows are added sites. Closed sites stay listed with ``closed = True`` and
are left out of every distance and coverage figure. Every local row is marked:
``origin`` "local update" (editors viewing drafts: "local update (draft)" for a change
not yet published) and ``updated``, the date of its change; public rows have
``origin`` "public" and no ``updated``. Leave-behind: a local record
replaces the public status, date, evidence and link, and adds doses and people.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import WGS84
from geo.local.store import Store
from geo.schema import SITE_COLUMNS

LOCAL_SOURCE = "local update"
#: The licence of a local row that names none (a refresh from a public source names its own).
LOCAL_LICENCE = "local update (not public data)"
LOCAL_ORIGIN = "local update"
DRAFT_ORIGIN = "local update (draft)"


def with_origin(public_sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The public sites with ``origin = 'public'``; ``closed`` as the public data records
    it (a cited closure, e.g. the Rite Aid stores), else False."""
    out = public_sites.copy()
    out["origin"] = "public"
    out["updated"] = pd.Series(pd.NA, index=out.index, dtype="string")
    closed = out["closed"] if "closed" in out else pd.Series(False, index=out.index)
    out["closed"] = closed.fillna(False).astype(bool)
    return out


def merge_sites(public_sites: gpd.GeoDataFrame, local: pd.DataFrame) -> gpd.GeoDataFrame:
    """Public sites with local corrections, closures and additions applied."""
    base = with_origin(public_sites)
    if local.empty:
        return base
    rows = local.copy()
    rows["closed"] = rows["status"].eq("closed")
    rows["status"] = np.where(rows["closed"], "closed (local update)", "open (local update)")
    draft = rows["draft"].astype(bool) if "draft" in rows else pd.Series(False, index=rows.index)
    rows["origin"] = np.where(draft, DRAFT_ORIGIN, LOCAL_ORIGIN)
    rows["updated"] = rows["updated_at"].astype(str).str[:10]
    rows["source"] = rows["source"].fillna(LOCAL_SOURCE)
    rows["licence"] = (
        rows["licence"] if "licence" in rows else pd.Series(pd.NA, index=rows.index)
    ).fillna(LOCAL_LICENCE)
    rows["source_url"] = pd.NA
    rows["subtype"] = rows["type"]
    for column in ("lat", "lon"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    mapped = rows["lat"].notna() & rows["lon"].notna()
    rows["location_precision"] = rows["location_precision"].where(mapped, "none")
    geometry = [None] * len(rows)
    for i in np.flatnonzero(mapped.to_numpy()):
        geometry[i] = gpd.points_from_xy([rows["lon"].iloc[i]], [rows["lat"].iloc[i]])[0]
    details = [c for c in ("phone", "hours", "source_id") if c in rows]
    columns = [*SITE_COLUMNS, *details, "origin", "updated", "closed"]
    local_frame = gpd.GeoDataFrame(rows[columns], geometry=geometry, crs=WGS84)
    kept = base[~base["id"].isin(rows["id"])]
    merged = pd.concat([kept, local_frame], ignore_index=True)
    for column in SITE_COLUMNS:
        if column not in ("lat", "lon"):
            merged[column] = merged[column].astype("string")
    merged["updated"] = merged["updated"].astype("string")
    merged["closed"] = merged["closed"].astype(bool)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


def merge_leave_behind(public: pd.DataFrame, local: pd.DataFrame) -> pd.DataFrame:
    """Public leave-behind evidence with local records applied (adds doses, people,
    updated_by, updated_at; ``origin`` says which rows are local)."""
    out = public.copy()
    out["doses"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["people"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["origin"] = "public"
    out["updated"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if local.empty:
        return out
    out = out.set_index("fips")
    for _, row in local.iterrows():
        fips = row["fips"]
        if fips not in out.index:
            continue
        for column in ("status", "earliest_date", "evidence", "source_url"):
            if pd.notna(row[column]) and row[column] != "":
                out.loc[fips, column] = row[column]
        out.loc[fips, "date_note"] = pd.NA
        for column in ("doses", "people"):
            if pd.notna(row[column]):
                out.loc[fips, column] = int(row[column])
        date = str(row["updated_at"])[:10]
        draft = bool(row.get("draft", False))
        out.loc[fips, "origin"] = f"{DRAFT_ORIGIN if draft else LOCAL_ORIGIN} ({date})"
        out.loc[fips, "updated"] = date
    return out.reset_index()


def load_local(
    location: str | None = None, *, drafts: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Local sites, local leave-behind records and the store revision (the published one
    without ``drafts``; empty when the
    store does not exist yet): as published (what visitors see), or with ``drafts``
    the editors' working copy, unpublished changes included. Raises
    ``StoreUnavailableError`` (plain message, no credentials) when the store cannot be
    reached or read: callers that can go on with the public data alone catch it."""
    store = Store.open_existing(location)
    if store is None:
        return pd.DataFrame(), pd.DataFrame(), 0
    if drafts:
        return store.sites(), store.leave_behind(), store.revision()
    return (
        store.published("site"),
        store.published("leave_behind"),
        store.revision(published=True),
    )
