"""Names on maps (geo.render.map_labels): which jurisdictions and towns are shown, where,
and that they never crowd; distance legends in plain bands of the chosen unit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from geo.render import label_layout, map_labels, palette, static_maps

UNMATCHED = (
    "Andrews AFB",
    "Chevy Chase",
    "Delmar",
    "Edgewater",
    "Joppatowne",
    "Linganore",
    "Lusby",
    "Mitchellville",
)


def _statewide(jurisdictions, focus=None, width_pt=11 * 72):
    x0, y0, x1, y1 = static_maps.extent_m(jurisdictions, focus)
    return map_labels.static_labels(jurisdictions, focus, (x0, y0, x1, y1), (x1 - x0) / width_pt)


def test_towns_rank_by_geonames_population_unmatched_last():
    towns = map_labels.town_candidates()
    assert towns["name"].head(3).tolist() == ["Baltimore", "Columbia", "Germantown"]
    ranked = towns["name"].tolist()
    assert ranked.index("Annapolis") < ranked.index("Salisbury") < ranked.index("Oakland")
    assert towns["population"].head(323).notna().all()
    assert sorted(towns["name"].tail(8)) == sorted(UNMATCHED), "no figure: ranked last"
    assert towns.loc[towns["name"] == "Oakland", "fips"].item() == "24023"


def test_statewide_printed_map_names_every_county_and_only_the_main_towns(jurisdictions):
    labels = _statewide(jurisdictions)
    names = {k.text for k in labels if k.kind == "jurisdiction"}
    towns = [k.text for k in labels if k.kind == "town"]
    assert {"Garrett", "Worcester", "Prince George's", "Baltimore County"} <= names
    assert len(names) >= 23, "every county; Baltimore City only if its name fits"
    assert {"Baltimore", "Annapolis", "Salisbury", "Hagerstown"} <= set(towns)
    assert len(towns) <= map_labels.STATIC_TOWNS["state"]
    assert "Mountain Lake Park" not in towns and "Lonaconing" not in towns, (
        "a town of a few thousand people is not named statewide"
    )


def test_a_focus_map_names_the_focus_in_full_and_its_towns(jurisdictions):
    labels = _statewide(jurisdictions, "24023")
    assert labels[0].kind == "focus" and labels[0].text == "Garrett County"
    towns = [k.text for k in labels if k.kind == "town"]
    # the focus's own towns come first, by GeoNames population (Mountain Lake Park 2,111,
    # Oakland 1,875); 2.4 km apart, both are named on their county's map
    assert towns[:2] == ["Mountain Lake Park", "Oakland"]
    city = _statewide(jurisdictions, "24510")
    assert city[0].text == "Baltimore City"
    assert "Baltimore" in [k.text for k in city if k.kind == "town"]


def test_the_focus_label_is_inside_its_polygon(jurisdictions):
    import shapely

    projected = jurisdictions.to_crs(26985).set_index("fips")
    for fips in ("24023", "24510", "24009"):
        (focus,) = [k for k in _statewide(jurisdictions, fips) if k.kind == "focus"]
        assert projected.geometry[fips].contains(shapely.Point(focus.x_m, focus.y_m))


def _boxes_overlap(a, b, scale):
    fonts = map_labels.FONT
    box_a = label_layout.label_box(a, scale, fonts)
    box_b = label_layout.label_box(b, scale, fonts)
    return label_layout.overlaps(box_a, [box_b])


@pytest.mark.parametrize("focus", [None, "24023"])
def test_interactive_labels_never_overlap_at_any_zoom(jurisdictions, focus):
    labels = map_labels.interactive_labels(jurisdictions, focus)
    for zoom in (6, 7, 8, 10, 12):
        shown = [k for k in labels if k.min_zoom <= zoom and k.kind != "focus"]
        scale = map_labels._METRES_PER_PX_Z0 / 2**zoom
        assert not any(_boxes_overlap(a, b, scale) for a, b in itertools.combinations(shown, 2)), (
            zoom
        )
    by_text = {k.text: k.min_zoom for k in labels if k.kind == "town"}
    assert by_text["Baltimore"] <= 8 < by_text["Lonaconing"]
    assert map_labels.interactive_labels(jurisdictions, focus) is labels, "cached"


def test_distance_legend_reads_as_plain_bands():
    assert palette.distance_class_labels(5 * 1609.344, "mi") == (
        "within 5 miles (covered)",
        "5–10 miles",
        "10–15 miles",
        "over 15 miles",
    )
    assert palette.distance_class_labels(8000.0, "km") == (
        "within 8 km (covered)",
        "8–16 km",
        "16–24 km",
        "over 24 km",
    )
    assert palette.distance_class_labels(1609.344, "mi")[0] == "within 1 mile (covered)"
    assert palette.unit_of("8 km") == "km" and palette.unit_of("5 miles") == "mi"


def test_a_blocked_name_moves_left_of_its_dot_and_a_smaller_town_never_stands_in():
    label = map_labels.MapLabel
    county = label("Wicomico", "jurisdiction", 100.0, 0.0, 0, 0)  # centred at x = 100
    big = label("Salisbury", "town", 80.0, 0.0, 0, 0)
    small = label("Fruitland", "town", 85.0, 0.0, 0, 0)
    placed = label_layout.place([big, small], 1.0, map_labels.STATIC_FONT, [county])
    assert [(k.text, k.side) for k in placed] == [("Salisbury", "left")]
    # with no room either side the larger town is left out, and its neighbour too
    wide = label("W" * 40, "jurisdiction", 80.0, 0.0, 0, 0)
    assert label_layout.place([big, small], 1.0, map_labels.STATIC_FONT, [wide]) == []
    far = label("Ocean City", "town", 500.0, 0.0, 0, 0)
    assert [
        k.text for k in label_layout.place([big, small, far], 1.0, map_labels.STATIC_FONT, [wide])
    ] == ["Ocean City"]


def test_the_statewide_interactive_map_names_the_main_towns_at_zoom_8(jurisdictions):
    # zoom 8: where the overview opens on a 1400 px wide screen
    labels = map_labels.interactive_labels(jurisdictions)
    by_text = {k.text: k.min_zoom for k in labels if k.kind == "town"}
    assert max(by_text["Baltimore"], by_text["Annapolis"], by_text["Salisbury"]) <= 8
    names = {k.text: k for k in labels if k.kind == "jurisdiction"}
    assert names["Wicomico"].min_zoom <= 8 and names["Anne Arundel"].min_zoom <= 8


def test_a_jurisdiction_name_moves_off_a_main_town_where_it_has_room():
    import shapely

    towns = map_labels.town_candidates()
    salisbury = towns.loc[towns["name"] == "Salisbury"].iloc[0]
    square = shapely.box(
        salisbury.x - 30e3, salisbury.y - 30e3, salisbury.x + 30e3, salisbury.y + 30e3
    )
    (moved,) = map_labels._name_points(np.array([square]), ["Wicomico"])
    assert square.contains(moved)
    assert (
        moved.distance(shapely.Point(salisbury.x, salisbury.y)) >= map_labels.MAIN_TOWN_CLEARANCE_M
    )
    far = shapely.box(0.0, 0.0, 60e3, 60e3)  # no main town near: the usual point
    (kept,) = map_labels._name_points(np.array([far]), ["Far"])
    assert kept.equals(shapely.point_on_surface(far))


def test_a_focus_map_spaces_only_its_own_towns_of_about_the_same_size_closer():
    label = map_labels.MapLabel
    big = label("Mountain Lake Park", "town", 0.0, 0.0, 0, 0, own=True, population=2111)
    seat = label("Oakland", "town", -20.0, 5.0, 0, 0, own=True, population=1875)  # 21 pt
    other = label("Westernport", "town", 0.0, -25.0, 0, 0, population=1888)  # not the focus's
    placed = label_layout.place([big, seat, other], 1.0, map_labels.STATIC_FONT, [])
    assert [(k.text, k.side) for k in placed] == [
        ("Mountain Lake Park", "right"),
        ("Oakland", "left"),
    ]
    small = label("Loch Lynn Heights", "town", -20.0, 5.0, 0, 0, own=True, population=469)
    unknown = label("Nowhere", "town", -20.0, 5.0, 0, 0, own=True)  # no population
    for neighbour in (small, unknown):  # a much smaller or unranked town keeps the spacing
        assert [
            k.text for k in label_layout.place([big, neighbour], 1.0, map_labels.STATIC_FONT, [])
        ] == [big.text]


def test_a_town_is_near_a_dot_within_its_spacing_only():
    """Hand-computed at 1 m per px: towns 36 px apart, two towns of the focus of about
    the same population 8 px; an unknown population is never about the same."""

    def town(x: float, population: float = 1000.0, own: bool = False) -> map_labels.MapLabel:
        return map_labels.MapLabel("T", "town", x, 0.0, 0.0, 0.0, own=own, population=population)

    assert label_layout.near(town(0), [town(100), town(35.9)], 1.0)
    assert not label_layout.near(town(0), [town(36.0), town(-36.5)], 1.0)
    peer = town(10.0, 900.0, own=True)
    assert not label_layout.near(town(0, own=True), [peer], 1.0)
    assert label_layout.near(town(0, own=True), [town(7.9, 900.0, own=True)], 1.0)
    assert label_layout.near(town(0, own=True), [town(10.0, 700.0, own=True)], 1.0)
    assert label_layout.near(town(0, float("nan"), own=True), [peer], 1.0)
    assert label_layout.near(town(0), [peer], 1.0)  # not the focus's own: 36 px
    assert not label_layout.near(town(0), [], 1.0)
