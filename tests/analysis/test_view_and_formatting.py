"""The URL form of the dashboard view, and numbers formatted for people."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from geo.analysis.view import View, view_from_query, view_to_query
from geo.render import formatting
from geo.schema import SITE_TYPES

FIPS = {"24001", "24510"}


def test_round_trip():
    view = View(("pharmacy", "vending_machine"), 8.0, "km", "24510", "compare")
    again = view_from_query(view_to_query(view), FIPS, {"compare"})
    assert again == view
    assert again.radius_m == 8000.0
    assert View(radius=5).radius_m == pytest.approx(5 * 1609.344)
    assert View(radius=1).radius_label == "1 mile"
    assert View(radius=2.5, unit="km").radius_label == "2.5 km"


def test_the_link_keeps_the_gap_measure():
    for gap in ("deaths", "residents", "svi"):
        view = View(gap=gap)
        assert view_to_query(view)["gap"] == gap
        assert view_from_query(view_to_query(view), FIPS).gap == gap
    assert View().gap == "deaths"
    bad = view_from_query({"gap": "vibes"}, FIPS)
    assert bad.gap == "deaths" and any("unknown gap measure" in p for p in bad.problems)


def test_streamlit_list_values_are_accepted():
    view = view_from_query({"types": ["pharmacy"], "r": ["3"]}, FIPS)
    assert view.types == ("pharmacy",) and view.radius == 3.0


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"r": "0"}, "ignored radius"),
        ({"r": "-1"}, "ignored radius"),
        ({"r": "abc"}, "ignored radius"),
        ({"r": "nan"}, "ignored radius"),
        ({"r": "1e9"}, "ignored radius"),
        ({"unit": "furlong"}, "unknown radius unit"),
        ({"focus": "99999"}, "unknown jurisdiction"),
        ({"types": "x,y"}, "unknown site type"),
    ],
)
def test_bad_links_fall_back_with_a_reason(params, problem):
    view = view_from_query(params, FIPS, {"compare"})
    assert any(problem in p for p in view.problems)
    default = View()
    assert (view.types, view.radius, view.unit, view.focus) == (
        default.types,
        default.radius,
        default.unit,
        default.focus,
    )
    assert view.types == SITE_TYPES


def test_formatting():
    assert formatting.count(1234567.4) == "1,234,567"
    assert formatting.count(pd.NA) == formatting.MISSING
    assert formatting.count(float("nan")) == formatting.MISSING
    assert formatting.percent(94.06) == "94.1%"
    assert formatting.miles(3.456, 2) == "3.46 mi"
    assert formatting.decimal(12345.678) == "12,345.7"
    assert formatting.signed(-1234.0) == "-1,234"
    assert formatting.signed(math.nan) == formatting.MISSING


HOSTILE = "![t](http://host/track.png)"


@pytest.mark.parametrize(
    "params",
    [
        {"focus": HOSTILE},
        {"types": HOSTILE},
        {"unit": HOSTILE},
        {"r": HOSTILE},
        {"page": HOSTILE},
        {"data": HOSTILE},
    ],
)
def test_link_problems_never_echo_the_value(params):
    view = view_from_query(params, FIPS, {"compare"})
    assert view.problems, "the bad value is reported"
    for problem in view.problems:
        assert "http" not in problem and "![" not in problem and "track" not in problem


def test_markdown_literal_escapes_every_markdown_construct():
    literal = formatting.markdown_literal
    escaped = literal("![t](http://host/track.png) *x* _y_ `z` <b>a</b> $x$ :red[r] # h\n- i")
    assert "![" not in escaped and "](" not in escaped and "http://" not in escaped
    for raw in ("*x*", "_y_", "`z`", "<b>", "$x$", ":red[", "\n"):
        assert raw not in escaped, raw
    assert "\n" not in escaped and "\r" not in literal("a\r\nb")
    assert literal("www.example.org") == "www\\.example\\.org"
    assert literal("Prince George's") == "Prince George\\'s"
    assert literal("Plain text 123") == "Plain text 123"
    assert literal(None) == ""
    # every escape is a backslash before ASCII punctuation, so Markdown shows the text as is
    assert (
        re.sub(r"\\(.)", r"\1", escaped).replace(" ", "")
        == "![t](http://host/track.png)*x*_y_`z`<b>a</b>$x$:red[r]#h-i"
    )


def test_the_pages_choices_round_trip_through_the_link():
    from geo.analysis.view import View, view_from_query, view_to_query

    known = {"24001", "24003"}
    view = View(compare=("24001", "24003"), measure="gap_score", k=0)
    assert view_from_query(view_to_query(view), known) == view
    bad = view_from_query({"compare": "24001,99999", "chart": "x", "k": "99"}, known)
    assert (bad.compare, bad.measure, bad.k) == (("24001",), None, None)
    assert len(bad.problems) == 3
