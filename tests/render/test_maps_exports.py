"""The three dashboard maps as files (geo.render.map_exports): the same builder for the
page and the command line; title, subtitle, names, legend bands, sources and caveat on
each; SVG text kept as text; PNG at 200 dpi; escaped labels in the interactive map."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import pytest
from PIL import Image
from shapely.geometry import box

from geo.analysis.scenario import Scenario
from geo.config import WGS84
from geo.render import map_exports, maps


@pytest.fixture(scope="module")
def scenario_km(data):
    return Scenario.from_data(data, radius_m=8000.0)


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("text")]


def test_svg_keeps_names_legend_and_sources_as_text_in_km(scenario_km):
    export = map_exports.scenario_export(scenario_km, "access-gaps", "24023", unit="km")
    texts = svg_texts(export.render("svg"))
    joined = " ".join(texts)
    for expected in (
        "Garrett County",
        "Oakland",
        "Allegany",
        "Residents 8–16 km",
        "Residents over 24 km",
        "Garrett County. Radius 8 km (straight line), all site types.",
        "A listed site is not confirmed stock",
        "OpenStreetMap contributors",
        "Place names © GeoNames, CC BY 4.0",
    ):
        assert expected in joined, expected
    assert not re.search(r"\bmi\b|\bmiles?\b", joined), "km mode never shows miles"
    assert "×" not in joined


def test_statewide_overview_svg_names_counties_and_main_towns(scenario_km):
    export = map_exports.scenario_export(scenario_km, "overview", None, unit="mi")
    assert export.title == "Naloxone access points in Maryland"
    texts = svg_texts(export.render("svg"))
    assert {"Garrett", "Worcester", "Baltimore", "Hagerstown"} <= set(texts)
    assert "50 mi" in texts, "scale bar in the chosen unit"


def test_png_is_written_at_200_dpi(scenario_km):
    png = map_exports.scenario_export(scenario_km, "overview", "24510").render("png")
    image = Image.open(io.BytesIO(png))
    assert image.info["dpi"] == pytest.approx((200, 200), abs=0.1)
    assert image.size[1] == 1500 and 1500 <= image.size[0] <= 2200  # a tall city: narrower


def _blank_column_share(png: bytes) -> float:
    """Share of the map band's pixel columns (between title and footer) that are white."""
    import numpy as np

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    band = grey[int(0.12 * grey.shape[0]) : int(0.85 * grey.shape[0])]
    return float((band.min(axis=0) >= 250).mean())


def test_a_tall_jurisdictions_export_is_not_mostly_blank(scenario_km):
    """Issue 28, item 4: Garrett's exported map was 40% blank on the right; the page is now
    as wide as the map and its legend."""
    png = map_exports.scenario_export(scenario_km, "overview", "24023").render("png")
    assert _blank_column_share(png) < 0.2


def test_leave_behind_map_names_its_evidence_not_a_radius(scenario_km):
    export = map_exports.scenario_export(scenario_km, "leave-behind", "24023", unit="km")
    assert "Radius" not in export.subtitle and "km" not in export.subtitle
    assert "EMS leave-behind evidence: public pages per jurisdiction, 2018-2023" in export.subtitle
    assert export.source.startswith("Sources: EMS leave-behind evidence")
    assert "OpenStreetMap contributors" in export.source, "sites are shown on it"
    texts = " ".join(svg_texts(export.render("svg")))
    assert "Unknown: no public evidence found" in texts and "Garrett County" in texts


def test_unknown_format_is_refused(scenario_km):
    with pytest.raises(ValueError, match="unknown map format"):
        map_exports.scenario_export(scenario_km, "overview").render("bmp")
    with pytest.raises(ValueError, match="unknown map"):
        map_exports.scenario_export(scenario_km, "heatmap")


def test_html_map_has_title_labels_bands_and_zooms_to_the_focus(scenario_km):
    export = map_exports.scenario_export(scenario_km, "access-gaps", "24023", unit="km")
    html = export.render("html").decode()
    assert "Distance to the nearest naloxone site" in html and "md-map-title" in html
    # Oakland's name goes left of its dot, clear of Mountain Lake Park's (ranked first)
    assert '"Garrett County", "focus"' in html and '"Oakland", "town left"' in html
    assert "8–16 km" in html and "1-2 ×" not in html
    assert "L.control.scale({metric: true, imperial: false})" in html, "no miles in km"
    assert "interactive: false, keyboard: false" in html, "labels are no Tab stops"
    assert "fitBounds" in html and "39.72" in html, "opens on Garrett (north edge 39.72)"


def test_interactive_labels_escape_names_from_data():
    hostile = '<img src=x onerror="alert(1)">'
    squares = gpd.GeoDataFrame(
        {
            "fips": ["24001", "24003"],
            "name": [hostile, "Plain"],
            "full_name": [hostile + " County", "Plain County"],
        },
        geometry=[box(-79, 39, -78.9, 39.1), box(-77, 39, -76.9, 39.1)],
        crs=WGS84,
    )
    fmap = maps.new_map()
    maps.add_jurisdictions(fmap, squares, focus_fips="24001")
    document = fmap.get_root().render()
    assert hostile not in document
    assert "\\u003cimg src=x onerror=" in document, "JSON-escaped, shown with textContent"
    assert "text.textContent = label[0]" in document


def test_a_map_drawn_without_a_source_line_credits_geonames_itself(data):
    from matplotlib.figure import Figure

    from geo.render import static_maps

    figure = Figure()
    ax = figure.add_axes((0, 0, 1, 1))
    static_maps.draw_map(
        ax, static_maps.sites_drawer(data.jurisdictions, data.sites), data.jurisdictions, "24023"
    )
    texts = [t.get_text() for t in ax.texts]
    assert "Place names © GeoNames, CC BY 4.0" in texts and "Garrett County" in texts
    printed = static_maps.map_figure(
        static_maps.sites_drawer(data.jurisdictions, data.sites), data.jurisdictions, "Sites"
    )
    assert "Place names © GeoNames, CC BY 4.0" not in [
        t.get_text() for t in printed.axes[0].texts
    ], "said once, in the source line"
