"""Map building blocks: settings from geo.config, shared palette, true scale bar, escaping."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import geopandas as gpd
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from shapely.geometry import box

from geo.config import MARYLAND_MAP_BOUNDS, REPO_ROOT, WGS84
from geo.data.catalog import OSM_ATTRIBUTION
from geo.render import maps, static_maps


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "MPLBACKEND": ""},
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_static_maps_changes_no_matplotlib_setting_and_loads_no_folium():
    out = _python(
        "import json, sys, matplotlib\n"
        "before = {k: str(v) for k, v in matplotlib.rcParams.items()}\n"
        "import geo.render.static_maps\n"
        "after = {k: str(v) for k, v in matplotlib.rcParams.items()}\n"
        "print(json.dumps({'changed': sorted(k for k in before if before[k] != after[k]),\n"
        "                  'folium': 'folium' in sys.modules}))\n"
    )
    report = json.loads(out)
    assert report == {"changed": [], "folium": False}


def test_scale_bar_is_true_length(data):
    figure = static_maps.map_figure(
        static_maps.sites_drawer(data.jurisdictions, data.sites), data.jurisdictions, "Scale"
    )
    (ax,) = figure.axes
    (bar,) = [a for a in ax.artists if isinstance(a, AnchoredSizeBar)]
    x0, x1 = ax.get_xlim()
    length, label = static_maps._nice_length_m(x1 - x0)
    assert (length, label) == (50 * 1609.344, "50 mi"), "in the chosen unit (miles)"
    assert static_maps._nice_length_m(x1 - x0, "km") == (100_000.0, "100 km")
    (rectangle,) = bar.size_bar.get_children()
    assert rectangle.get_width() == length, "axes are metres (EPSG:26985)"
    assert bar.txt_label.get_text() == label
    assert static_maps.figure_bytes(figure, "png", dpi=40).startswith(b"\x89PNG")


def test_tiles_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("NALOXONE_TILES_URL", raising=False)
    monkeypatch.delenv("NALOXONE_TILES_ATTRIBUTION", raising=False)
    assert maps.tiles_from_environment() is None
    monkeypatch.setenv("NALOXONE_TILES_URL", " https://tiles.example/{z}/{x}/{y}.png ")
    assert maps.tiles_from_environment() == maps.Tiles(
        "https://tiles.example/{z}/{x}/{y}.png", OSM_ATTRIBUTION
    )
    monkeypatch.setenv("NALOXONE_TILES_ATTRIBUTION", "Example tiles")
    assert maps.tiles_from_environment().attribution == "Example tiles"


def test_map_opens_on_maryland_and_escapes_jurisdiction_names():
    hostile = '<img src=x onerror="alert(1)">'
    squares = gpd.GeoDataFrame(
        {"fips": ["24001", "24003"], "name": [hostile, "Plain"]},
        geometry=[box(-79, 39, -78.9, 39.1), box(-77, 39, -76.9, 39.1)],
        crs=WGS84,
    )
    fmap = maps.new_map()
    maps.add_jurisdictions(fmap, squares, focus_fips="24003")
    document = fmap.get_root().render()
    assert hostile not in document
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;".replace("&", "\\u0026")
    assert escaped in document, "escaped, then written as JSON"
    assert (
        json.dumps([list(MARYLAND_MAP_BOUNDS[0]), list(MARYLAND_MAP_BOUNDS[1])]) not in document
    ), "a focus map opens on its focus, not the state"
    assert "[[39.0, -77.0], [39.1, -76.9]]" in document
    statewide = maps.new_map()
    maps.add_jurisdictions(statewide, squares)
    assert (
        json.dumps([list(MARYLAND_MAP_BOUNDS[0]), list(MARYLAND_MAP_BOUNDS[1])])
        in statewide.get_root().render()
    )


def test_maps_with_zip_centroid_sites_credit_geonames(jurisdictions, sites):
    from geo.render import maps

    assert sites["location_precision"].eq("zip_centroid").any()
    html = maps.sites_map(jurisdictions, sites).get_root().render()
    assert "GeoNames, CC BY 4.0" in html
    exact = sites[sites["location_precision"] == "exact"]
    exact_html = maps.sites_map(jurisdictions, exact).get_root().render()
    assert "ZIP centroids © GeoNames" not in exact_html
    # every popup names the nearest town, so every site map credits GeoNames for it
    assert "Place names © GeoNames, CC BY 4.0" in exact_html
    bare = maps.new_map()
    maps.add_jurisdictions(bare, jurisdictions, labels=False)
    maps.add_sites(bare, exact.assign(place=None))
    assert "Place names" not in bare.get_root().render(), "no town named, no credit"
    assert (
        "Place names © GeoNames"
        in maps.sites_map(jurisdictions, exact.assign(place=None)).get_root().render()
    ), "the map names towns"


def test_context_map_fills_by_class_and_greys_the_unknown(jurisdictions):
    from geo.data import layers
    from geo.render import palette

    context = layers.load_context().copy()
    context.loc[context["fips"] == "24029", "svi_overall"] = float("nan")
    fmap = maps.context_map(
        jurisdictions, context, "svi_overall", "SVI 2022 overall", "Source: OEPS"
    )
    html = fmap.get_root().render()
    assert palette.CONTEXT_UNKNOWN in html and "unknown" in html
    assert palette.context_colour(0.85, "svi_overall") == palette.CONTEXT_COLOURS[4]
    assert palette.context_colour(0.1, "svi_theme") == palette.CONTEXT_COLOURS[0]
    assert palette.context_colour(float("nan"), "opioid_rx_per_100") == palette.CONTEXT_UNKNOWN
    assert palette.context_colour(80.0, "opioid_rx_per_100") == palette.CONTEXT_COLOURS[4]
    assert "OEPS" in html
