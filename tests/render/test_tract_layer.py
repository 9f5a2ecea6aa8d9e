"""One tract layer for the straight-line and the travel-time access-gap maps: the same
popup (tract, residents, the measure, the tract context, the list-gap flag) on both."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from geo.analysis.completeness import LIST_GAP_LEGEND
from geo.render import maps
from geo.render.map_points import LIST_GAP_TEXT, TRACT_CONTEXT_FIELDS
from geo.render.travel_maps import travel_gap_map


def _tracts(*, context: bool, list_gap: bool) -> pd.DataFrame:
    tracts = pd.DataFrame(
        {
            "geoid": ["24510000100", "24510000200", "24510000300"],
            "fips": ["24510"] * 3,
            "lat": [39.29, 39.30, 39.31],
            "lon": [-76.61, -76.62, -76.63],
            "population": [1200, 3400, 0],
            "minutes": [10.0, 31.0, 50.0],  # threshold 15: classes 0, 2, 3
            "far_from_network": [False, True, False],
            "distance_m": [500.0, 3000.0, 20000.0],
        }
    )
    tracts["distance_miles"] = tracts["distance_m"] / 1609.344
    if context:
        tracts["no_vehicle_pct"] = [42.04, np.nan, 3.0]
        tracts["transit_commute_pct"] = [20.0, 1.0, np.nan]
        tracts["walk_commute_pct"] = [10.0, 2.0, 0.0]
        tracts["ruca_code"] = pd.array([1, 99, pd.NA], dtype="Int64")
        tracts["rurality"] = ["Urban", None, None]
    if list_gap:
        tracts["list_gap"] = [False, True, False]
    return tracts


def _layer(html: str) -> dict:
    """The options of the tract layer (the one named by its popup's first field)."""
    for match in re.finditer(r"return mdPointLayer\(map_\w+, (\{.*?\})\);\n", html):
        options = json.loads(match.group(1))
        if options["fields"][0] == ["geoid", "Census tract"]:
            return options
    raise AssertionError("no tract layer")


def _column(options: dict, key: str) -> list:
    (column,) = [c for c in options["packed"]["columns"] if c["key"] == key]
    values = column["values"]
    return [values[i] for i in column["codes"]] if "codes" in column else values


def _travel(tracts: pd.DataFrame) -> str:
    sites = pd.DataFrame({"lat": [], "lon": [], "type": []})
    fmap = travel_gap_map(
        _jurisdictions(),
        tracts,
        sites,
        15.0,
        trip="walk",
        label="walking minutes",
        method_note="Walking on Baltimore City streets.",
    )
    return fmap.get_root().render()


def _jurisdictions():
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"fips": ["24510"], "name": ["Baltimore City"]},
        geometry=[box(-76.72, 39.19, -76.52, 39.38)],
        crs="EPSG:4326",
    )


def test_the_travel_map_popups_carry_tract_context_and_the_list_gap_flag():
    html = _travel(_tracts(context=True, list_gap=True))
    options = _layer(html)
    labels = [label for _, label in options["fields"]]
    assert labels == [
        "Census tract",
        "Residents (2020)",
        "Nearest site (walking minutes)",
        *(label for _, label in TRACT_CONTEXT_FIELDS),
        "Our pharmacy list",
    ]
    assert _column(options, "measure") == [
        "10 min walk",
        "31 min walk (over 500 m from a street: approximate)",
        "50 min walk",
    ]
    assert _column(options, "class") == ["0", "2", "3"]
    assert _column(options, "no_vehicle") == ["42.0%", "unknown (no households)", "3.0%"]
    assert _column(options, "commute")[0] == "20.0% transit, 10.0% on foot"
    assert _column(options, "rural") == ["Urban (RUCA 1)", "not coded (RUCA 99)", "unknown"]
    assert _column(options, "completeness") == [None, LIST_GAP_TEXT, None]
    assert options["ringKey"] == "completeness" and options["ringStyle"] == "outline"
    assert LIST_GAP_LEGEND in html, "the flagged ring has its legend row"


def test_without_context_or_flags_the_travel_popup_has_neither():
    html = _travel(_tracts(context=False, list_gap=False))
    options = _layer(html)
    assert [f for f, _ in options["fields"]] == ["geoid", "people", "measure", "completeness"]
    assert _column(options, "completeness") == [None, None, None]
    assert LIST_GAP_LEGEND not in html


def test_both_access_gap_maps_build_the_same_tract_popup():
    tracts = _tracts(context=True, list_gap=True)
    straight = _layer(
        maps.access_gap_map(
            _jurisdictions(),
            tracts,
            pd.DataFrame({"lat": [], "lon": [], "type": []}),
            1609.344,
            "1 mile",
        )
        .get_root()
        .render()
    )
    travel = _layer(_travel(tracts))
    assert straight["fields"][2] == ["measure", "Nearest site (straight line)"]
    assert straight["fields"][:2] + straight["fields"][3:] == (
        travel["fields"][:2] + travel["fields"][3:]
    )
    for key in ("no_vehicle", "commute", "rural", "completeness", "people", "geoid"):
        assert _column(straight, key) == _column(travel, key), key
    assert _column(straight, "measure") == ["0.3 mi", "1.9 mi", "12.4 mi"]
