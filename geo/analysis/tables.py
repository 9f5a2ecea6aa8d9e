"""The layers as people download them: names joined in, jurisdiction geometry attached."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS, METRES_PER_MILE
from geo.data import layers
from geo.errors import InputError

EXPORTABLE_LAYERS = ("jurisdictions", "population", "sites", "leave-behind", "burden")
SITE_LISTING_COLUMNS = (
    "name",
    "type",
    "address",
    "city",
    "zip",
    "place",
    "jurisdiction",
    "location_precision",
    "status",
    "origin",
    "updated",
    "source",
    "source_date",
    "evidence_date",
    "notes",
)
"""The columns of the site listing shown and downloaded on the pages (with lat, lon)."""
STATEWIDE_LABEL = "Maryland (statewide)"
"""The jurisdiction of a site listed statewide (unmapped, no county given)."""


def with_site_jurisdiction(sites: pd.DataFrame, jurisdictions: pd.DataFrame) -> pd.DataFrame:
    """``sites`` with a ``jurisdiction`` name column; statewide sites are named as such."""
    names = pd.concat(
        [
            jurisdictions[["fips", "name"]],
            pd.DataFrame({"fips": [MARYLAND_STATE_FIPS], "name": [STATEWIDE_LABEL]}),
        ],
        ignore_index=True,
    )
    return sites.merge(
        names.rename(columns={"fips": "jurisdiction_fips", "name": "jurisdiction"}),
        on="jurisdiction_fips",
        how="left",
    )


def distances_in(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """``frame`` with every distance column in ``unit`` (``mi`` or ``km``), in place:
    ``*_miles`` becomes ``*_km`` in km (value × 1.609344), so shown and downloaded headers
    never say miles in km mode; metres (``*_distance_m``) become ``*_distance_km`` or
    ``*_distance_miles``. Without such columns the frame is returned as is."""
    suffix, per_metre = ("_km", 1 / 1000) if unit == "km" else ("_miles", 1 / METRES_PER_MILE)
    miles = [c for c in frame.columns if str(c).endswith("_miles")] if unit == "km" else []
    metres = [c for c in frame.columns if str(c).endswith("_distance_m")]
    if not miles and not metres:
        return frame
    out = frame.copy()
    for column in miles:
        out[column] = out[column].astype(float) * (METRES_PER_MILE / 1000)
    for column in metres:
        out[column] = out[column].astype(float) * per_metre
    return out.rename(
        columns={c: c.removesuffix("_miles") + "_km" for c in miles}
        | {c: c.removesuffix("_m") + suffix for c in metres}
    )


def export_frame(
    layer: str,
    *,
    with_geometry: bool,
    include_local: bool = False,
    store_location: str | None = None,
) -> pd.DataFrame:
    """The named layer for download, with jurisdiction names.

    Tabular layers (``leave-behind``, ``burden``) get the jurisdiction polygon
    when ``with_geometry``; geometry is dropped otherwise. With ``include_local``
    sites and leave-behind include the published local updates in the store.
    """
    from geo.local import merge

    local_sites, local_leave_behind = pd.DataFrame(), pd.DataFrame()
    if include_local and layer in ("sites", "leave-behind"):
        local_sites, local_leave_behind, _ = merge.load_local(store_location)
    if layer not in EXPORTABLE_LAYERS:
        raise InputError(f"unknown layer {layer!r}; choose one of " + ", ".join(EXPORTABLE_LAYERS))
    jurisdictions = layers.load_jurisdictions()
    names = jurisdictions[["fips", "name"]]
    if layer == "jurisdictions":
        frame: pd.DataFrame = jurisdictions
    elif layer == "population":
        frame = layers.load_population().merge(
            names.rename(columns={"name": "jurisdiction"}), on="fips", how="left"
        )
    elif layer == "sites":
        frame = with_site_jurisdiction(
            merge.merge_sites(layers.load_sites(), local_sites), jurisdictions
        )
    else:
        table = (
            merge.merge_leave_behind(layers.load_leave_behind(), local_leave_behind)
            if layer == "leave-behind"
            else layers.load_burden()
        )
        if with_geometry:
            frame = gpd.GeoDataFrame(
                table.merge(jurisdictions[["fips", "geometry"]], on="fips", how="left"),
                geometry="geometry",
                crs=jurisdictions.crs,
            )
        else:
            frame = table
    if not with_geometry:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return frame
