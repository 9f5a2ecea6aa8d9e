"""The maps' JavaScript and CSS live in geo/render/assets and are inlined into each map at
render time: nothing is fetched, and every value passed to them is HTML-safe JSON."""

from __future__ import annotations

import re
from importlib import resources

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.config import WGS84
from geo.render import maps
from geo.render.map_controls import MapTitle, add_legend
from geo.render.map_layers import PointLayer, asset

HOSTILE = '</script><img src=x onerror="alert(1)">'


def _assets() -> dict[str, str]:
    folder = resources.files("geo.render").joinpath("assets")
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file()}


def _a_map_with_every_piece() -> str:
    squares = gpd.GeoDataFrame(
        {"fips": ["24001", "24003"], "name": ["Allegany", "Anne Arundel"]},
        geometry=[box(-79, 39, -78.9, 39.1), box(-77, 39, -76.9, 39.1)],
        crs=WGS84,
    )
    fmap = maps.new_map(title=f"Map {HOSTILE}")
    maps.add_jurisdictions(fmap, squares, focus_fips="24001")
    points = pd.DataFrame({"kind": ["a", "a"], "name": [HOSTILE, "plain"], "flag": [None, "x"]})
    fmap.add_child(
        PointLayer(
            [-78.95, -76.95],
            [39.05, 39.05],
            points,
            colour_key="kind",
            colours={"a": "#000000"},
            popup_fields=(("name", "Name"),),
            tooltip_key="name",
            footer="Call ahead.",
            ring_key="flag",
        )
    )
    add_legend(fmap, "Legend", [("#000000", HOSTILE, "ring")], note=HOSTILE)
    fmap.add_child(MapTitle(HOSTILE, HOSTILE, HOSTILE))
    return fmap.get_root().render()


def test_every_asset_is_inlined_and_nothing_is_fetched():
    assets = _assets()
    assert {"point_layer.js", "legend.css", "legend.js", "labels.js", "labels.css"} <= set(assets)
    html = _a_map_with_every_piece()
    for name, text in assets.items():
        assert text in html, f"{name} is not inlined into the map"
        assert asset(name) == text
    assert not re.search(r"<(script|link)[^>]*(src|href)=[^>]*assets/", html)
    for name in assets:
        assert "{{" not in assets[name], f"{name}: a template, not plain JavaScript/CSS"


def test_values_from_data_reach_the_scripts_escaped():
    html = _a_map_with_every_piece()
    assert HOSTILE not in html and "<img src=x" not in html
    assert html.count("</script>") == html.count("<script"), "no script closed by data"
    # a popup or label value: JSON-escaped, shown with textContent
    assert '\\u003c/script\\u003e\\u003cimg src=x onerror=\\"alert(1)\\"\\u003e' in html
    # legend, title, note and the map's name: HTML-escaped
    assert "&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html or (
        "&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    )
