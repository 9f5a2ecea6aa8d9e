"""What the interactive maps send stays small without visible change: boundaries within
50 m of the Census ones, points sent column by column and rebuilt as the same GeoJSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import shapely

from geo.config import MARYLAND_STATE_PLANE_M, WGS84
from geo.render import boundaries
from geo.render.map_layers import PointLayer, packed_columns


def test_drawn_boundaries_stay_within_50_m(jurisdictions):
    drawn = boundaries.simplified(jurisdictions, boundaries.SIMPLIFY_TOLERANCE_M)
    assert drawn.crs == WGS84
    original = jurisdictions.geometry.to_crs(MARYLAND_STATE_PLANE_M).values
    simple = drawn.to_crs(MARYLAND_STATE_PLANE_M).values
    worst = max(shapely.hausdorff_distance(a, b) for a, b in zip(original, simple, strict=True))
    assert worst <= 50.0
    assert drawn.count_coordinates().sum() < 0.7 * jurisdictions.count_coordinates().sum()
    coordinates = drawn.get_coordinates()
    assert np.allclose(coordinates, coordinates.round(4), rtol=0, atol=1e-9)  # rounded


def test_boundaries_are_simplified_once_per_process(jurisdictions):
    first = boundaries.simplified(jurisdictions, boundaries.SIMPLIFY_TOLERANCE_M)
    hits = boundaries._simplified_wkb.cache_info().hits
    again = boundaries.simplified(jurisdictions.copy(), boundaries.SIMPLIFY_TOLERANCE_M)
    assert boundaries._simplified_wkb.cache_info().hits == hits + 1
    assert first.geom_equals_exact(again, 0).all()


def test_repeated_values_are_sent_once():
    records = pd.DataFrame(
        {"type": ["a", "a", "b", "a"], "name": ["w", "x", "y", "z"], "n": [1, 1, 1, None]}
    ).astype(object)
    records = records.where(records.notna(), None)
    assert packed_columns(records) == [
        {"key": "type", "values": ["a", "b"], "codes": [0, 0, 1, 0]},
        {"key": "name", "values": ["w", "x", "y", "z"]},
        {"key": "n", "values": [1, None], "codes": [0, 0, 0, 1]},
    ]


def test_points_rebuild_the_same_features():
    properties = pd.DataFrame(
        {
            "type": ["pharmacy", "pharmacy", "pharmacy"],
            "name": ["A <b>", "B", None],
            "n": [1.5, 2.0, float("nan")],
        }
    )
    layer = PointLayer(
        np.array([-76.123456, -77.0, -78.5]),
        np.array([39.1, 38.9, 39.6]),
        properties,
        colour_key="type",
        colours={"pharmacy": "#000"},
        popup_fields=(("name", "Name"), ("n", "N")),
        tooltip_key="name",
    )
    assert layer.data["features"][0] == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-76.12346, 39.1]},
        "properties": {"type": "pharmacy", "name": "A <b>", "n": 1.5},
    }
    assert layer.data["features"][2]["properties"] == {"type": "pharmacy", "name": None, "n": None}
    assert len(json.dumps(layer.packed)) < len(json.dumps(layer.data))


def test_the_sites_map_sends_each_source_once(jurisdictions, sites):
    from geo.render import maps

    html = maps.sites_map(jurisdictions, sites).get_root().render()
    source = sites["source"].dropna().mode()[0]
    assert html.count(json.dumps(source)[1:-1]) == 1
