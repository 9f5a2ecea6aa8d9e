"""The layers as people download them: names joined in, jurisdiction geometry attached."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo import layers

EXPORTABLE_LAYERS = ("jurisdictions", "population", "sites", "leave-behind", "burden")


def export_frame(layer: str, *, with_geometry: bool) -> pd.DataFrame:
    """The named layer for download, with jurisdiction names.

    Tabular layers (``leave-behind``, ``burden``) get the jurisdiction polygon
    when ``with_geometry``; geometry is dropped otherwise.
    """
    if layer not in EXPORTABLE_LAYERS:
        raise ValueError(f"unknown layer {layer!r}; choose one of "
                         + ", ".join(EXPORTABLE_LAYERS))
    jurisdictions = layers.load_jurisdictions()
    names = jurisdictions[["fips", "name"]]
    if layer == "jurisdictions":
        frame: pd.DataFrame = jurisdictions
    elif layer == "population":
        frame = layers.load_population().merge(
            names.rename(columns={"name": "jurisdiction"}), on="fips", how="left")
    elif layer == "sites":
        sites = layers.load_sites()
        frame = sites.merge(names.rename(columns={"fips": "jurisdiction_fips",
                                                  "name": "jurisdiction"}),
                            on="jurisdiction_fips", how="left")
    else:
        table = layers.load_leave_behind() if layer == "leave-behind" else layers.load_burden()
        if with_geometry:
            frame = gpd.GeoDataFrame(
                table.merge(jurisdictions[["fips", "geometry"]], on="fips", how="left"),
                geometry="geometry", crs=jurisdictions.crs)
        else:
            frame = table
    if not with_geometry:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return frame
